import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../src/ops/doctor';
import { BIN, ROOT, runCli, serveCli, tempHome } from '../helpers/cli';
import { faults } from '../helpers/scenarios';

// A seed killed half-way through its writes (kill -9, a machine that stops), with a `local serve`
// that outlives it: the statistics must not go on saying the pool is what it was.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

const listedCount = async () =>
  (JSON.parse((await runCli(['employees', 'list', '--json'], { home })).stdout) as unknown[])
    .length;

async function poolFinding(...extra: string[]): Promise<DoctorCheck | undefined> {
  const report = JSON.parse((await runCli(['doctor', '--json', ...extra], { home })).stdout) as {
    checks: DoctorCheck[];
  };
  return report.checks.find((check) => check.name === 'pool');
}

describe('a seed killed half-way', () => {
  it('is reported by doctor, and doctor --fix counts the pool again', async () => {
    // Slow writes, so that the seed is surely half-way when it is killed.
    const server = await serveCli(
      home,
      faults({ dynamodb: [{ operation: 'BatchWriteItem', delayMs: 500 }] }),
    );
    try {
      expect((await runCli(['seed'], { home })).code).toBe(0);
      const file = join(home, 'staff.csv');
      const rows = Array.from({ length: 8000 }, (_, i) => `S${i},Person ${i}`);
      writeFileSync(file, `employee_id,employee_name\n${rows.join('\n')}\n`);
      const child = spawn(process.execPath, [BIN, 'seed', '--file', file], {
        cwd: ROOT,
        env: { ...process.env, LOTTERY_HOME: home },
        stdio: 'ignore',
      });
      const closed = new Promise((resolve) => child.on('close', resolve));
      while ((await listedCount()) <= 10) await new Promise((resolve) => setTimeout(resolve, 100));
      child.kill('SIGKILL');
      await closed;

      // Batches the seed sent before it died still land, each after the 500 ms delay: count once
      // the table has stopped growing.
      let written = await listedCount();
      for (let before = -1; written !== before;) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        [before, written] = [written, await listedCount()];
      }
      expect(written).toBeLessThan(8010);
      expect(await poolFinding()).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(
          new RegExp(
            `^a seed began at \\S+ and did not finish \\(stopped half-way, or still writing\\): the statistics may not count everyone; the table holds ${written} employees`,
          ),
        ),
        fix: 'once no seed is running, `lottery doctor --fix` counts the pool again',
      });
      expect(await poolFinding('--fix')).toMatchObject({
        status: 'ok',
        // Batches land in file order, but one sent as the process died may land or not.
        message: expect.stringMatching(
          new RegExp(`^counted the pool again: ${written} employees, serials .*, each held once$`),
        ),
      });
      const counted = JSON.parse(
        (await runCli(['employees', 'count', '--json'], { home })).stdout,
      ) as { total: number };
      expect(counted.total).toBe(written);
      expect(await poolFinding()).toMatchObject({ status: 'ok' });
    } finally {
      await server.stop();
    }
  }, 120_000);
});
