import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The linter's rules on the shape of the code (docs/architecture.md, "Layers"): each is shown to
// fail what it is there to stop, so that a change to the configuration that disarms one shows.

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: ROOT });
const DEPCRUISE = resolve(
  ROOT,
  'node_modules',
  'dependency-cruiser',
  'bin',
  'dependency-cruise.mjs',
);

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the linter', () => {
  it('fails a line of code over 100 columns, not a long string or URL', async () => {
    const long = `export const total = ${Array.from({ length: 30 }, (_, i) => `${i}`).join(' + ')};\n`;
    expect(long.length).toBeGreaterThan(101);
    expect(await problems('src/core/example.ts', long)).toEqual([
      expect.stringMatching(/^@stylistic\/max-len: This line has a length of \d+/),
    ]);
    const message = `export const message =\n  '${'a long message, '.repeat(8)}';\n`;
    const url = `// See https://docs.aws.amazon.com/${'step-functions/'.repeat(8)}\nexport {};\n`;
    expect(await problems('src/core/example.ts', message)).toEqual([]);
    expect(await problems('src/core/example.ts', url)).toEqual([]);
  });

  it('fails an import that goes up a layer, and a command that imports another', async () => {
    const upward = "import { Output } from '../cli/output';\nexport const used = Output;\n";
    expect(await problems('src/core/example.ts', upward)).toEqual([
      expect.stringContaining('import-x/no-restricted-paths'),
    ]);
    const sideways = "import { seed } from './seed';\nexport const used = seed;\n";
    expect(await problems('src/cli/commands/example.ts', sideways)).toEqual([
      expect.stringContaining('a command does not import another command'),
    ]);
    const downward =
      "import { LotteryError } from '../core/errors';\nexport const used = LotteryError;\n";
    expect(await problems('src/cli/example.ts', downward)).toEqual([]);
  });

  it('fails an AWS SDK call outside aws/, but not a type named from the SDK', async () => {
    const call =
      "import { ScanCommand } from '@aws-sdk/lib-dynamodb';\nexport const used = ScanCommand;\n";
    expect(await problems('src/cli/example.ts', call)).toEqual([
      expect.stringContaining('AWS calls go through src/aws/'),
    ]);
    const type =
      "import type { ScanCommand } from '@aws-sdk/lib-dynamodb';\nexport type Used = ScanCommand;\n";
    expect(await problems('src/cli/example.ts', type)).toEqual([]);
  });

  it('fails an import circle, even one made only of types', () => {
    // The check `npm run lint` runs on src/, run on a circle of two files kept for this test.
    const run = spawnSync(
      process.execPath,
      [DEPCRUISE, 'test/cli/lint/circle', '--config', '.dependency-cruiser.cjs'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /no-circular: test\/cli\/lint\/circle\/a\.ts →\s+test\/cli\/lint\/circle\/b\.ts/,
    );
  });
});
