import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { EMPLOYEE_TABLE } from '../../src/core/names';
import type { DoctorCheck } from '../../src/ops/doctor';
import { runMain } from '../helpers/main';
import { serveFresh, type Served } from '../helpers/served';

// The pool's statistics, which draws pick from, against what the employee table holds: a serial
// held twice, a seed cut short, a stack without the table that keeps them.

let served: Served | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
});

const lottery = (args: string[], env: Record<string, string> = {}) =>
  runMain(args, { home: (served as Served).home, env });

async function poolFinding(): Promise<DoctorCheck | undefined> {
  const report = JSON.parse((await lottery(['doctor', '--json'])).stdout) as {
    checks: DoctorCheck[];
  };
  return report.checks.find((check) => check.name === 'pool');
}

describe('lottery doctor and the pool', () => {
  it('says the pool is in order after a seed', async () => {
    served = await serveFresh();
    expect((await lottery(['seed'])).code).toBe(0);
    expect(await poolFinding()).toEqual({
      name: 'pool',
      status: 'ok',
      message: '10 employees, serials 1..10, each held once',
    });
  });

  it('fails a serial that two people hold, naming both', async () => {
    served = await serveFresh();
    expect((await lottery(['seed'])).code).toBe(0);
    // An edit by hand, or a seed of another tool: two people, one chance.
    await served.doc.send(
      new PutCommand({
        TableName: EMPLOYEE_TABLE,
        Item: { employee_id: 'X1', employee_name: 'Copy', lottery_serial: 3 },
      }),
    );
    const doctor = await lottery(['doctor', '--json']);
    expect(doctor.code).toBe(253);
    expect(await poolFinding()).toEqual({
      name: 'pool',
      status: 'fail',
      message:
        'serial 3 is held by 003 and X1: each pair shares one chance, and one of them can never win',
      fix: 'give each of them a serial of their own in your file (or none, to have one assigned) and seed it again',
    });
  });
});

describe('a seed that fails half-way', () => {
  it('leaves statistics that count what it wrote, and doctor finds the pool in order', async () => {
    // The first three batches land; every later one fails through all of the SDK's attempts.
    served = await serveFresh({
      dynamodb: [{ operation: 'BatchWriteItem', error: 'InternalServerError', skip: 13 }],
    });
    expect((await lottery(['seed'])).code).toBe(0);
    const file = join(served.home, 'staff.csv');
    const rows = Array.from({ length: 2000 }, (_, i) => `S${i},Person ${i}`);
    writeFileSync(file, `employee_id,employee_name\n${rows.join('\n')}\n`);
    const seeded = await lottery(['seed', '--file', file]);
    expect(seeded.code).toBe(254);

    const listed = JSON.parse((await lottery(['employees', 'list', '--json'])).stdout) as unknown[];
    expect(listed.length).toBeGreaterThan(10);
    expect(listed.length).toBeLessThan(2010);
    const counted = JSON.parse((await lottery(['employees', 'count', '--json'])).stdout) as {
      total: number;
    };
    expect(counted.total).toBe(listed.length);
    expect(await poolFinding()).toMatchObject({ status: 'ok' });
  });
});

describe('a stack without Lottery-Draws', () => {
  it('seed names the missing table and how to make it', async () => {
    served = await serveFresh();
    const seeded = await lottery(['seed'], { LOTTERY_DRAWS_TABLE: 'Workshop-Draws' });
    expect(seeded.code).toBe(253);
    expect(seeded.stderr).toContain(
      "error: table Workshop-Draws does not exist: the lottery keeps the pool's statistics, the draws' audit records and the prize plan there",
    );
    expect(seeded.stderr).toContain('hint: deploy the stack with `lottery deploy`');
    expect(seeded.stderr).not.toContain('Requested resource not found');
  });
});
