import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root: where fixtures/ is, from dist/ (built) as from src/ (tests). */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('cannot find the lottery package root');
    directory = parent;
  }
  return directory;
}

export const bundledEmployees = () => join(packageRoot(), 'fixtures', 'request-items.json');
