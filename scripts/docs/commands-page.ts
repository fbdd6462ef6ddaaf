import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { buildProgram } from '../../src/cli/program';

// docs/commands.md carries each command's --help, so that a reader finds every option without
// installing the tool. The page's prose is written by hand; the help blocks come from the program:
// `npm run docs:commands` writes them, and test/unit/docs.test.ts fails when one differs.

/** The width help is printed at when it does not go to a terminal (commander's default). */
const WIDTH = 80;

export const REGENERATE = 'npm run docs:commands';

export interface HelpText {
  /** How a user asks for it, without --help: `lottery draw`, `lottery winners list`. */
  readonly command: string;
  readonly text: string;
}

/** The program, as `lottery --help` sees it: no command runs. */
function program(): CommandUnknownOpts {
  return buildProgram('0.0.0', async () => {
    throw new Error('the help pages run no command');
  });
}

function helpOf(command: CommandUnknownOpts): string {
  let text = '';
  command.configureOutput({
    writeOut: (chunk) => (text += chunk),
    getOutHelpWidth: () => WIDTH,
  });
  command.outputHelp();
  return text;
}

/**
 * `lottery --help`, then every command that runs something (`lottery winners list`, not the group
 * `lottery winners`, whose help only lists its commands), in the program's order.
 */
export function helpTexts(): HelpText[] {
  const root = program();
  const texts: HelpText[] = [{ command: 'lottery', text: helpOf(root) }];
  const visit = (command: CommandUnknownOpts, path: string) => {
    const children = command.commands.filter((child) => child.name() !== 'help');
    if (children.length === 0) texts.push({ command: path, text: helpOf(command) });
    for (const child of children) visit(child, `${path} ${child.name()}`);
  };
  for (const command of root.commands) visit(command, `lottery ${command.name()}`);
  return texts;
}

const marker = (command: string) => `<!-- help: ${command} -->`;
const block = (help: HelpText) => `${marker(help.command)}\n\`\`\`text\n${help.text}\`\`\``;
// A marker and the fenced block right after it.
const BLOCK = /<!-- help: ([^>]*?) -->\n```text\n([\s\S]*?)```/g;

/** The help blocks of a page, by command. */
export function pageBlocks(page: string): Map<string, string> {
  return new Map([...page.matchAll(BLOCK)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/**
 * The page with every help block as the program prints it now: a block of a command that is gone
 * is removed, and a command the page lacks gets a section at the end, to move where it belongs.
 */
export function updatePage(page: string, texts: readonly HelpText[]): string {
  const byCommand = new Map(texts.map((help) => [help.command, help]));
  const updated = page.replace(BLOCK, (_, command: string) => {
    const help = byCommand.get(command);
    return help ? block(help) : '';
  });
  const present = pageBlocks(updated);
  const missing = texts.filter((help) => !present.has(help.command));
  return (
    updated.trimEnd() +
    '\n' +
    missing.map((help) => `\n## \`${help.command}\`\n\n${block(help)}\n`).join('')
  );
}
