import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli';
import { countsIn, seededHomes } from '../helpers/scenarios';

// A full disk, as the built binary meets it: the process runs with a file size limit (ulimit -f),
// so that a write past it fails (EFBIG) as on a full disk. The other faults are in
// test/cli/faults.test.ts.

const { home: currentHome } = seededHomes();
let home: string;
beforeEach(() => {
  home = currentHome();
});

describe('a full disk', () => {
  /**
   * `lottery ARGS` with files limited to `kib` KiB: a write past that fails (EFBIG) as on a full
   * disk.
   */
  function withFileLimit(
    kib: number,
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(
        '/bin/sh',
        ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, BIN, ...args],
        {
          cwd: ROOT,
          env: { ...process.env, LOTTERY_HOME: home },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('during a draw: stops the draw, exits 253 naming the file, and nobody stays held', async () => {
    const result = await withFileLimit(8, ['draw', '-n', '2']);
    expect(result.code, result.stderr).toBe(253);
    expect(result.stderr).toMatch(
      /error: draw \S+ was stopped: cannot write \S+\.history\.jsonl: the file grew past the size the system allows/,
    );
    expect(result.stderr).toContain(
      'hint: free some space on the disk of the data directory (LOTTERY_HOME), or choose another one',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await countsIn(home)).toMatchObject({ eligible: 10, won: 0, held_by_running_draws: 0 });
  });

  it('during a seed: exits 253 naming the store file, without a stack trace', async () => {
    const result = await withFileLimit(40, ['seed', '--file', 'fixtures/employees.csv']);
    expect(result.code, result.stderr).toBe(253);
    expect(result.stderr).toMatch(
      /error: the embedded backend cannot write \S+dynamodb\S+: File too large/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
