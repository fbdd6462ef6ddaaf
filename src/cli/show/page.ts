import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LotteryError } from '../../core/errors';
import { cannotRead } from '../files';
import { packageRoot } from '../package-root';
import type { PageAssets } from './server';

// The page's files, built from src/show-page/ into dist/show-page/ (scripts/build.mjs) and shipped
// in the package: nothing is fetched from the internet. `--theme FILE` replaces the style.

/** A theme holds colours and perhaps a logo as a data: URL; more is a mistake. */
const MAX_THEME_KIB = 1024;

export const pageDirectory = () => join(packageRoot(), 'dist', 'show-page');

/** The organiser's CSS file, checked: a regular file, not too large, UTF-8 text. */
export function readTheme(path: string): Buffer {
  const shown = `--theme ${path}`;
  let size: number;
  try {
    const info = statSync(path);
    if (!info.isFile())
      throw new LotteryError('usage', `${shown} is not a regular file`, {
        hint: 'name a CSS file (for example a copy of the default one, described in docs/show.md)',
      });
    size = info.size;
  } catch (error) {
    if (error instanceof LotteryError) throw error;
    throw cannotRead(shown, error);
  }
  if (size > MAX_THEME_KIB * 1024)
    throw new LotteryError(
      'usage',
      `${shown} is ${Math.ceil(size / 1024)} KiB; a theme may be at most ${MAX_THEME_KIB} KiB`,
      { hint: 'make the images it embeds smaller' },
    );
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    throw cannotRead(shown, error);
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new LotteryError('usage', `${shown} is not UTF-8 text`, {
      hint: 'save the CSS file as UTF-8',
    });
  }
  return content;
}

/** The page, its script, and its style (or the theme given instead). */
export function loadPage(theme?: string): PageAssets {
  const directory = pageDirectory();
  const read = (name: string) => {
    try {
      return readFileSync(join(directory, name));
    } catch (error) {
      throw new LotteryError(
        'environment',
        `the room's screen is missing its page: ${join(directory, name)} cannot be read`,
        {
          hint: 'this copy of lottery was not built whole: install it again (from a checkout: npm run build)',
          cause: error,
        },
      );
    }
  };
  return {
    html: read('index.html'),
    script: read('show.js'),
    style: theme === undefined ? read('show.css') : readTheme(theme),
  };
}
