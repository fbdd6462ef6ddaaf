import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, serveCli, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// `lottery local serve` as a process: it stops cleanly on Ctrl-C, and `lottery local env` sets up
// a shell for it. How commands find it and what it answers are in test/cli/local-serve.test.ts.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

describe('lottery local serve', () => {
  it('lets many commands use one data directory at once, and stops cleanly on Ctrl-C', async () => {
    const server = await serveCli(home);
    try {
      await runMain(['seed'], { home });
      const draws = await Promise.all(
        [1, 2, 3].map(() => runMain(['draw', '--winners', '2'], { home })),
      );
      for (const draw of draws) {
        expect(draw.code).toBe(0);
        expect(draw.stderr).toContain(`via lottery local serve at ${server.url}`);
      }
      const winners = JSON.parse(
        (await runMain(['winners', 'list', '--json'], { home })).stdout,
      ) as { employee_id: string }[];
      expect(new Set(winners.map((winner) => winner.employee_id)).size).toBe(6);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(join(home, 'server.json'))).toBe(false);
    expect(existsSync(join(home, 'lock.json'))).toBe(false);
  });

  it('`eval "$(lottery local env)"` sets up a shell for any AWS SDK', async () => {
    const server = await serveCli(home);
    try {
      const script =
        'eval "$("$0" "$1" local env)" && printf "%s\\n" "$AWS_ENDPOINT_URL" "$AWS_REGION" "${AWS_PROFILE-no profile}" "${AWS_SESSION_TOKEN-no token}"';
      const shell = spawnSync('/bin/sh', ['-c', script, process.execPath, BIN], {
        cwd: ROOT,
        env: {
          ...process.env,
          LOTTERY_HOME: home,
          AWS_PROFILE: 'work',
          AWS_SESSION_TOKEN: 'from-work',
        },
        encoding: 'utf8',
      });
      expect(shell.stdout.split('\n')).toEqual([server.url, 'local', 'no profile', 'no token', '']);
    } finally {
      await server.stop();
    }
  });
});
