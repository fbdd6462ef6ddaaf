import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, serveCli, tempHome } from '../helpers/cli';
import { faults } from '../helpers/scenarios';

// Seeds that run at once through one `lottery local serve`, as operators on AWS would: each
// process reads the table before any of the others has written, which is the window in which
// serials were once handed out twice.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

/** A file of `size` people without serials, their ids starting with `prefix`. */
function staff(prefix: string, size: number): string {
  const file = join(home, `${prefix}.csv`);
  const rows = Array.from({ length: size }, (_, i) => `${prefix}${i},Person ${prefix}${i}`);
  writeFileSync(file, `employee_id,employee_name\n${rows.join('\n')}\n`);
  return file;
}

interface Listed {
  employee_id: string;
  lottery_serial: number;
}

describe('four seeds at once', () => {
  it('give every person a serial of their own and leave statistics that count everyone', async () => {
    // Every batch write waits, so that all four seeds read the table before anyone's people land.
    const server = await serveCli(
      home,
      faults({ dynamodb: [{ operation: 'BatchWriteItem', delayMs: 1500 }] }),
    );
    try {
      const files = ['A', 'B', 'C', 'D'].map((prefix) => staff(prefix, 60));
      const seeds = await Promise.all(
        files.map((file) => runCli(['seed', '--file', file], { home, timeoutMs: 60_000 })),
      );
      for (const seeded of seeds) expect(seeded.code, seeded.stderr).toBe(0);

      const listed = JSON.parse(
        (await runCli(['employees', 'list', '--json'], { home })).stdout,
      ) as Listed[];
      expect(listed).toHaveLength(240);
      const serials = listed.map((employee) => employee.lottery_serial);
      expect(new Set(serials).size).toBe(240);
      expect(Math.max(...serials)).toBe(240);

      const counted = JSON.parse(
        (await runCli(['employees', 'count', '--json'], { home })).stdout,
      ) as { total: number };
      expect(counted.total).toBe(240);

      const doctor = await runCli(['doctor', '--json'], { home });
      expect(doctor.code, doctor.stdout).toBe(0);
      const report = JSON.parse(doctor.stdout) as {
        checks: { name: string; status: string; message: string }[];
      };
      expect(report.checks.find((check) => check.name === 'pool')).toMatchObject({
        status: 'ok',
        message: expect.stringContaining('240 employees, serials 1..240, each held once'),
      });
    } finally {
      await server.stop();
    }
  }, 120_000);
});
