import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRollbacks, putPoolStats } from '../../../src/aws/draws-table';
import { putEmployees } from '../../../src/aws/employees-table';
import { rememberingEnded } from '../../../src/aws/executions';
import { scanWinners } from '../../../src/aws/winners-table';
import type { DrawBody } from '../../../src/core/draw';
import type { HandlerDeps } from '../../../src/lambdas/deps';
import { createRandomSelectWinners } from '../../../src/lambdas/random-select-winners';
import { createRecordWinners } from '../../../src/lambdas/record-winners';
import { startTestDynamo } from '../../helpers/dynamo';

// What draws that are over leave in the winners table, and who removes it: the draw's own Record
// Winner Queue when it was stopped while it ran, and the next draw otherwise.

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

const arnOf = (drawId: string) => `arn:aws:states:local:000000000000:execution:Lottery:${drawId}`;
const people = Array.from({ length: 10 }, (_, i) => ({
  employee_id: String(i + 1).padStart(3, '0'),
  employee_name: `Person ${i + 1}`,
  lottery_serial: i + 1,
}));

async function pool(statuses: Record<string, string | undefined>): Promise<HandlerDeps> {
  const deps = await dynamo.freshDeps({
    executionStatus: async (arn) => statuses[arn.slice(arn.lastIndexOf(':') + 1)],
  });
  await putEmployees(dynamo.doc, deps.employeeTable, people);
  await putPoolStats(
    dynamo.doc,
    deps.drawsTable,
    deps.employeeTable,
    { count: 10, max_serial: 10, version: 1, updated_at: '2020-01-01T00:00:00.000Z' },
    undefined,
  );
  return deps;
}

const row = (deps: HandlerDeps, id: string, drawId: string, status: 'claimed' | 'won') =>
  dynamo.doc.send(
    new PutCommand({
      TableName: deps.winnersTable,
      Item: {
        employee_id: id,
        employee_name: `Person ${Number(id)}`,
        lottery_serial: Number(id),
        draw_id: drawId,
        execution_arn: arnOf(drawId),
        status,
      },
    }),
  );

const body = (drawId: string, more: Partial<DrawBody> = {}): DrawBody => ({
  draw_id: drawId,
  execution_arn: arnOf(drawId),
  num_of_winners: 2,
  prize: null,
  seed: 'ab'.repeat(32),
  seed_source: 'generated',
  requested_at: '2026-11-26T12:00:00.000Z',
  attempt: 0,
  ...more,
});

const ids = async (deps: HandlerDeps) =>
  (await scanWinners(dynamo.doc, deps.winnersTable)).map((each) => each.employee_id).sort();

describe('Record Winner Queue of a draw stopped while it ran', () => {
  it('takes back what it recorded, logs it, and fails with DrawStopped', async () => {
    const deps = await pool({ stopped: 'ABORTED' });
    await row(deps, '001', 'stopped', 'claimed');
    await row(deps, '002', 'stopped', 'claimed');
    await row(deps, '003', 'other', 'won');
    const draw = body('stopped', {
      winner_details: [
        { employee_id: '001', employee_name: 'Person 1' },
        { employee_id: '002', employee_name: 'Person 2' },
      ],
    });
    await expect(createRecordWinners(deps)(draw)).rejects.toMatchObject({
      name: 'DrawStopped',
      message:
        'the draw was stopped (ABORTED) while its winners were being recorded: they were taken back',
    });
    expect(await ids(deps)).toEqual(['003']);
    expect(await listRollbacks(dynamo.doc, deps.drawsTable, 'stopped')).toEqual([
      {
        draw_id: 'stopped',
        at: '2026-11-26T12:00:00.000Z',
        status: 'ABORTED',
        by: 'Record Winner Queue',
        removed: ['001', '002'],
      },
    ]);
  });

  it('records as ever while its draw runs, or when Step Functions does not know it', async () => {
    for (const status of ['RUNNING', undefined]) {
      const deps = await pool({ going: status });
      await row(deps, '001', 'going', 'claimed');
      const draw = body('going', {
        num_of_winners: 1,
        winner_details: [{ employee_id: '001', employee_name: 'Person 1' }],
        pool: {
          algorithm: 'a',
          mode: 'serial-space',
          size: 10,
          total: 10,
          digest: 'd',
        },
        record_digest: 'r',
      });
      await createRecordWinners(deps)(draw);
      expect((await scanWinners(dynamo.doc, deps.winnersTable))[0]?.status).toBe('won');
      expect(await listRollbacks(dynamo.doc, deps.drawsTable, 'going')).toEqual([]);
    }
  });
});

describe('the next draw', () => {
  it('removes the wins and claims of draws that ended without success, and keeps the rest', async () => {
    const deps = await pool({
      aborted: 'ABORTED',
      failed: 'FAILED',
      'timed-out': 'TIMED_OUT',
      done: 'SUCCEEDED',
      going: 'RUNNING',
      forgotten: undefined,
    });
    await row(deps, '001', 'aborted', 'won');
    await row(deps, '002', 'aborted', 'claimed');
    await row(deps, '003', 'failed', 'won');
    await row(deps, '004', 'timed-out', 'won');
    await row(deps, '005', 'done', 'won');
    await row(deps, '006', 'going', 'claimed');
    await row(deps, '007', 'forgotten', 'won');
    await row(deps, '008', 'forgotten', 'claimed');
    const { body: picked } = await createRandomSelectWinners(deps)(body('next'));
    expect(await ids(deps)).toEqual(['005', '006', '007']);
    // Everyone whose row went is a candidate again.
    expect(picked.pool?.size).toBe(7);
    expect(await listRollbacks(dynamo.doc, deps.drawsTable, 'aborted')).toEqual([
      {
        draw_id: 'aborted',
        at: expect.any(String),
        status: 'ABORTED',
        by: 'draw next',
        removed: ['001'],
      },
    ]);
    expect((await listRollbacks(dynamo.doc, deps.drawsTable, 'timed-out'))[0]?.removed).toEqual([
      '004',
    ]);
    expect(await listRollbacks(dynamo.doc, deps.drawsTable, 'forgotten')).toEqual([]);
  });
});

describe('rememberingEnded', () => {
  it('asks once about an execution that has ended or never was, and every time about one that runs', async () => {
    const answers: Record<string, (string | undefined)[]> = {
      a: ['SUCCEEDED', 'FAILED'],
      b: [undefined, 'RUNNING'],
      c: ['RUNNING', 'PENDING_REDRIVE', 'ABORTED', 'RUNNING'],
    };
    const asked: string[] = [];
    const status = rememberingEnded(async (arn) => {
      asked.push(arn);
      return answers[arn]?.shift();
    });
    const seen = [];
    for (const arn of ['a', 'a', 'b', 'b', 'c', 'c', 'c', 'c']) seen.push(await status(arn));
    expect(seen).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      undefined,
      undefined,
      'RUNNING',
      'PENDING_REDRIVE',
      'ABORTED',
      'ABORTED',
    ]);
    expect(asked).toEqual(['a', 'b', 'c', 'c', 'c']);
  });
});
