import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { listRollbacks } from '../../src/aws/draws-table';
import { DRAWS_TABLE, WINNERS_TABLE } from '../../src/core/names';
import type { PrizeStatus } from '../../src/core/prizes';
import type { DoctorCheck } from '../../src/ops/doctor';
import { startDraw, stopDraw, waitFor, waitForState } from '../helpers/executions';
import { runMain } from '../helpers/main';
import { serveFresh, type Served } from '../helpers/served';

// StopExecution (the console, a timeout, the API) while Record Winner Queue runs. Nothing of the
// workflow runs after a stop, so the task that records the wins, the next draw and `lottery doctor
// --fix` must between them leave no winner of a draw that did not succeed.

let served: Served;
afterEach(() => served.stop());

const lottery = (...args: string[]) => runMain(args, { home: served.home });

interface Row {
  employee_id: string;
  draw_id: string;
  status: string;
}
const rows = async () =>
  ((await served.doc.send(new ScanCommand({ TableName: WINNERS_TABLE }))).Items ?? []) as Row[];
const kettle = async () =>
  (JSON.parse((await lottery('prizes', '--json')).stdout) as PrizeStatus[])[0];
async function finding(name: string, ...extra: string[]) {
  const report = JSON.parse((await lottery('doctor', '--json', ...extra)).stdout) as {
    checks: DoctorCheck[];
  };
  return report.checks.find((check) => check.name === name);
}

/** The workshop's ten, and a plan of one prize of three. */
async function setUp(faults: object): Promise<void> {
  served = await serveFresh(faults);
  expect((await lottery('seed')).code).toBe(0);
  const plan = join(served.home, 'plan.csv');
  writeFileSync(plan, 'prize,count\nKettle,3\n');
  expect((await lottery('prizes', 'load', plan)).code).toBe(0);
}

describe('a draw stopped while Record Winner Queue waits to write', () => {
  it('records nobody: the task takes its wins back, and verify says when', async () => {
    await setUp({ tasks: [{ state: 'Record Winner Queue', delayMs: 1500 }] });
    const arn = await startDraw(served.sfn, 'stopped-early', { input: 3, prize: 'Kettle' });
    await waitForState(served.sfn, arn, 'Record Winner Queue');
    await stopDraw(served.sfn, arn);
    // The task goes on after the stop, as a Lambda function would: wait until it has taken the
    // wins back and logged it (rows without a claim may still be wins it has yet to remove).
    await waitFor(
      'Record Winner Queue to take the wins back',
      async () => (await listRollbacks(served.doc, DRAWS_TABLE, 'stopped-early')).length > 0,
    );

    expect(await rows()).toEqual([]);
    expect(await kettle()).toMatchObject({ drawn: 0, in_progress: 0, remaining: 3 });
    const verified = await lottery('verify', 'stopped-early');
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(
      /error: draw stopped-early did not succeed \(ABORTED\): the wins it recorded of \d+, \d+, \d+ were taken back at \S+ by Record Winner Queue/,
    );
  });
});

describe('a draw stopped just after Record Winner Queue wrote', () => {
  // The task has recorded the wins and looked at its draw, which was still running; the stop comes
  // before the task returns.
  const late = { tasks: [{ state: 'Record Winner Queue', delayMs: 2000, after: true, times: 1 }] };

  async function stopLate(): Promise<string[]> {
    await setUp(late);
    const arn = await startDraw(served.sfn, 'stopped-late', { input: 3, prize: 'Kettle' });
    await waitFor('the wins to be recorded', async () => {
      const won = (await rows()).filter((row) => row.status === 'won');
      return won.length === 3;
    });
    await stopDraw(served.sfn, arn);
    return (await rows()).map((row) => row.employee_id).sort();
  }

  it('is reported by verify and doctor, and the next draw of the prize removes its wins', async () => {
    const recorded = await stopLate();
    expect(recorded).toHaveLength(3);

    const verified = await lottery('verify', 'stopped-late');
    expect(verified.code).toBe(1);
    expect(verified.stderr).toContain(
      `error: draw stopped-late did not succeed (ABORTED), yet the winners table has ${recorded.join(', ')} as its winners, who did not win`,
    );
    expect(verified.stderr).toContain(
      'hint: `lottery doctor --fix` removes them (so does the next draw)',
    );
    expect(await finding('winners')).toEqual({
      name: 'winners',
      status: 'warn',
      message: '3 people recorded as winners by draws that did not succeed: stopped-late (aborted)',
      fix: '`lottery doctor --fix` removes them (so does the next draw)',
    });

    const drawn = await lottery('draw', '--prize', 'Kettle');
    expect(drawn.code, drawn.stderr).toBe(0);
    const now = await rows();
    expect(now).toHaveLength(3);
    expect(now.every((row) => row.draw_id !== 'stopped-late')).toBe(true);
    expect(await kettle()).toMatchObject({ drawn: 3, remaining: 0 });
    expect((await lottery('verify', 'stopped-late')).stderr).toMatch(
      new RegExp(
        `the wins it recorded of ${recorded.join(', ')} were taken back at \\S+ by draw draw-`,
      ),
    );
    expect(await finding('winners')).toMatchObject({ status: 'ok' });
  });

  it('doctor --fix removes its wins', async () => {
    const recorded = await stopLate();
    expect(await finding('winners', '--fix')).toEqual({
      name: 'winners',
      status: 'ok',
      message:
        'removed 3 winners of draws that did not succeed: stopped-late (aborted); 0 winners, each accounted for by the draw that recorded it',
    });
    expect(await rows()).toEqual([]);
    expect(await kettle()).toMatchObject({ drawn: 0, remaining: 3 });
    expect((await lottery('verify', 'stopped-late')).stderr).toContain(
      `the wins it recorded of ${recorded.join(', ')} were taken back at`,
    );
  });
});
