import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import MarkdownIt, { type Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { REGENERATE, helpTexts, pageBlocks } from '../../scripts/docs/commands-page';

// The docs cannot drift from the program: docs/commands.md holds each command's --help as the
// program prints it, and every link between the pages leads to a file and a heading that exist.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('docs/commands.md', () => {
  const page = pageBlocks(read('docs/commands.md'));
  const texts = helpTexts();

  it.each(texts.map((help) => [help.command, help.text]))(
    'holds `%s --help` as the program prints it',
    (command, text) => {
      expect(
        page.get(command),
        `docs/commands.md: the --help of \`${command}\` is not the program's; run ${REGENERATE}`,
      ).toBe(text);
    },
  );

  it('holds no help of a command the program does not have', () => {
    const commands = new Set(texts.map((help) => help.command));
    expect(
      [...page.keys()].filter((command) => !commands.has(command)),
      `docs/commands.md has help blocks of commands that are gone; run ${REGENERATE}`,
    ).toEqual([]);
  });
});

const markdown = new MarkdownIt();

/** The text a heading or link shows, as GitHub renders it before making an anchor of it. */
const plainText = (inline: Token | undefined) =>
  (inline?.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');

/** The anchors GitHub gives a page's headings (a repeated heading gets -1, -2, …). */
function anchorsOf(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const tokens = markdown.parse(text, {});
  return new Set(
    tokens.flatMap((token, index) =>
      token.type === 'heading_open' ? [slugger.slug(plainText(tokens[index + 1]))] : [],
    ),
  );
}

function linksOf(text: string): string[] {
  return markdown
    .parse(text, {})
    .flatMap((token) => token.children ?? [])
    .flatMap((child) => {
      const href = child.type === 'link_open' ? child.attrGet('href') : null;
      return href === null ? [] : [String(href)];
    });
}

const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** What is wrong with a link of `page`, or undefined when it leads somewhere. */
function brokenLink(page: string, href: string): string | undefined {
  // Addresses on the web are not checked here: the tests run without a network.
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  const [path = '', anchor] = href.split('#', 2);
  const target = path === '' ? page : relative(ROOT, join(ROOT, dirname(page), path));
  if (!existsSync(join(ROOT, target))) return `${target} does not exist`;
  if (anchor === undefined) return undefined;
  if (!target.endsWith('.md')) return `${target} is not a page with headings`;
  if (!anchorsOf(read(target)).has(anchor)) return `${target} has no heading #${anchor}`;
  return undefined;
}

describe('links in the README, CONTRIBUTING.md and docs/', () => {
  it.each(PAGES)(
    '%s: every relative link leads to a file, and every #anchor to a heading',
    (page) => {
      const broken = linksOf(read(page)).flatMap((href) => {
        const problem = brokenLink(page, href);
        return problem ? [`(${href}): ${problem}`] : [];
      });
      expect(broken, `${page} has links that lead nowhere`).toEqual([]);
    },
  );

  it('finds a link that leads nowhere, and one to a heading that is not there', () => {
    expect(brokenLink('README.md', 'docs/no-such-page.md')).toBe(
      'docs/no-such-page.md does not exist',
    );
    expect(brokenLink('docs/aws.md', 'beacon.md#no-such-heading')).toBe(
      'docs/beacon.md has no heading #no-such-heading',
    );
    expect(brokenLink('docs/aws.md', '#tearing-down')).toBeUndefined();
    expect(brokenLink('README.md', 'docs/running-an-event.md#the-show-lottery-draw---stage')).toBe(
      undefined,
    );
  });
});
