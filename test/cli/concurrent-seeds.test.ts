import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../src/ops/doctor';
import { runMain } from '../helpers/main';
import { serveFresh, type Served } from '../helpers/served';

// Seeds that run at once through one `lottery local serve`, as operators on AWS would: each reads
// the table before any of the others has written, which is the window in which serials were once
// handed out twice. The seeds run in this process, as the server does: what they share is the
// backend, as separate processes would.

let served: Served | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
});

const lottery = (...args: string[]) => runMain(args, { home: (served as Served).home });

/** A file of `size` people without serials, their ids starting with `prefix`. */
function staff(home: string, prefix: string, size: number): string {
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
    served = await serveFresh({ dynamodb: [{ operation: 'BatchWriteItem', delayMs: 1500 }] });
    const home = served.home;
    const files = ['A', 'B', 'C', 'D'].map((prefix) => staff(home, prefix, 60));
    const seeds = await Promise.all(files.map((file) => lottery('seed', '--file', file)));
    for (const seeded of seeds) expect(seeded.code, seeded.stderr).toBe(0);

    const listed = JSON.parse((await lottery('employees', 'list', '--json')).stdout) as Listed[];
    expect(listed).toHaveLength(240);
    const serials = listed.map((employee) => employee.lottery_serial);
    expect(new Set(serials).size).toBe(240);
    expect(Math.max(...serials)).toBe(240);

    const counted = JSON.parse((await lottery('employees', 'count', '--json')).stdout) as {
      total: number;
    };
    expect(counted.total).toBe(240);

    const doctor = await lottery('doctor', '--json');
    expect(doctor.code, doctor.stdout).toBe(0);
    const report = JSON.parse(doctor.stdout) as { checks: DoctorCheck[] };
    expect(report.checks.find((check) => check.name === 'pool')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('240 employees, serials 1..240, each held once'),
    });

    // The pool's digest the statistics keep is the table's, however the seeds met: a draw's record
    // reproduces it from the salted hashes of the people at each serial.
    const drawn = await lottery('draw', '-n', '3', '--name', 'after-seeds', '--json');
    expect(drawn.code, drawn.stderr).toBe(0);
    const record = join(home, 'after-seeds.json');
    const recorded = await lottery('draws', 'record', 'after-seeds', '--json', '--out', record);
    expect(recorded.code, recorded.stderr).toBe(0);
    const verified = await lottery('verify', '--record', record);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('The record verifies.');
  }, 120_000);
});
