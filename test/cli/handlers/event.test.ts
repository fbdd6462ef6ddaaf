import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getSelectionRecords, putPoolStats } from '../../../src/aws/draws-table';
import { putEmployees } from '../../../src/aws/employees-table';
import {
  changeExclusions,
  getExclusions,
  listExclusionVersions,
  putForfeit,
} from '../../../src/aws/event-records';
import { changePrizePlan, getPrizePlan } from '../../../src/aws/prize-plan';
import { claimWinner, markForfeited, scanWinners } from '../../../src/aws/winners-table';
import type { DrawBody } from '../../../src/core/draw';
import type { Employee } from '../../../src/core/employees';
import { loadExclusions, nextExclusions } from '../../../src/core/exclusions';
import type { Forfeit } from '../../../src/core/forfeits';
import { planStatus, replacePlan } from '../../../src/core/prizes';
import { SELECTION_ALGORITHM } from '../../../src/core/selection';
import type { HandlerDeps } from '../../../src/lambdas/deps';
import { createInputWinners } from '../../../src/lambdas/input-winners';
import { createRandomSelectWinners } from '../../../src/lambdas/random-select-winners';
import { createRecordWinners } from '../../../src/lambdas/record-winners';
import { createReservePrize } from '../../../src/lambdas/reserve-prize';
import { createValidateWinners } from '../../../src/lambdas/validate-winners';
import { startTestDynamo } from '../../helpers/dynamo';

// The handlers at an event, against a real DynamoDB API (dynalite): people excluded from the
// event are never drawn, tickets are T-bounded, and a replacement draw needs its forfeit, leaves
// out whom it replaces and hands the place back to the prize plan once.

const people: Employee[] = Array.from({ length: 12 }, (_, i) => ({
  employee_id: `E${String(i + 1).padStart(2, '0')}`,
  employee_name: `Person ${i + 1}`,
  lottery_serial: i + 1,
  ...(i % 4 === 0 ? { tickets: 3 } : {}),
}));

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let deps: HandlerDeps;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  deps = await dynamo.freshDeps({ now: () => new Date('2026-12-18T19:00:00.000Z') });
  await putEmployees(dynamo.doc, deps.employeeTable, people);
  await putPoolStats(
    dynamo.doc,
    deps.drawsTable,
    deps.employeeTable,
    { count: 12, max_serial: 12, version: 1, updated_at: 't', max_tickets: 3, tickets_total: 18 },
    undefined,
  );
});

const arnOf = (id: string) => `arn:aws:states:local:000000000000:execution:Lottery:${id}`;
function body(draw_id: string, num_of_winners: number, extra: Partial<DrawBody> = {}): DrawBody {
  return {
    draw_id,
    execution_arn: arnOf(draw_id),
    num_of_winners,
    prize: null,
    seed: 'cd'.repeat(32),
    seed_source: 'generated',
    requested_at: 't',
    attempt: 0,
    ...extra,
  };
}

const won = (employee_id: string, draw_id: string, prize: string | null = null) =>
  dynamo.doc.send(
    new PutCommand({
      TableName: deps.winnersTable,
      Item: {
        employee_id,
        employee_name: 'x',
        lottery_serial: Number(employee_id.slice(1)),
        draw_id,
        status: 'won',
        prize,
      },
    }),
  );

const forfeitOf = (employee_id: string, extra: Partial<Forfeit> = {}): Forfeit => ({
  draw_id: 'draw-1',
  employee_id,
  employee_name: 'x',
  lottery_serial: Number(employee_id.slice(1)),
  prize: null,
  reason: 'not present',
  forfeited_at: '2026-12-18T18:59:00.000Z',
  eligible_again: false,
  replacement_draw_id: 'redraw-1',
  ...extra,
});

describe('Random Select Winners at an event', () => {
  it('never draws people excluded from the event, and records the exclusions and T', async () => {
    const board = {
      employee_id: 'E02',
      lottery_serial: 2,
      reason: 'board',
      since: '2026-12-18T18:00:00.000Z',
      source: 'command' as const,
    };
    // Version 1 excludes E02 and E03; version 2 includes E03 again.
    for (const list of [[board, { ...board, employee_id: 'E03', lottery_serial: 3 }], [board]])
      await changeExclusions(dynamo.doc, deps.drawsTable, deps.employeeTable, (set) => ({
        next: nextExclusions(set, list, 'change', 't'),
        value: undefined,
      }));
    const { body: result } = await createRandomSelectWinners(deps)(body('draw-a', 11));
    expect(result.winner_details?.map((winner) => winner.employee_id)).not.toContain('E02');
    expect(result.winner_details).toHaveLength(11);
    expect(result.pool).toMatchObject({ algorithm: SELECTION_ALGORITHM, size: 11 });
    const record = (await getSelectionRecords(dynamo.doc, deps.drawsTable, 'draw-a')).get(1)!;
    expect(record.pool.max_tickets).toBe(3);
    expect(record.pool.exclusions?.version).toBe(2);
    expect(loadExclusions(record.pool.exclusions!).map((each) => each.employee_id)).toEqual([
      'E02',
    ]);
    expect(record.pool.forfeits).toEqual([]);
    expect(
      record.candidates.filter((candidate) => !candidate.skipped).map((c) => c.employee_id),
    ).toEqual(result.winner_details?.map((winner) => winner.employee_id));
  });

  it('fails a draw that meets someone with more tickets than the statistics know', async () => {
    await putEmployees(dynamo.doc, deps.employeeTable, [{ ...people[5]!, tickets: 7 }]);
    await expect(createRandomSelectWinners(deps)(body('draw-a', 12 - 1))).rejects.toMatchObject({
      name: 'PoolChanged',
      message:
        "E06 has 7 tickets, more than the 3 the pool's statistics know: load the pool again with `lottery seed`",
    });
  });

  it('refuses a replacement whose forfeit is not recorded, or names another draw', async () => {
    const replaces = { draw_id: 'draw-1', employee_id: 'E04' };
    await expect(
      createRandomSelectWinners(deps)(body('redraw-1', 1, { replaces })),
    ).rejects.toMatchObject({
      name: 'ForfeitNotRecorded',
      message:
        'no forfeit of E04 in draw draw-1 is recorded: a replacement draw starts after its forfeit (`lottery redraw`)',
    });
    await putForfeit(dynamo.doc, deps.drawsTable, deps.winnersTable, forfeitOf('E04'));
    await expect(
      createRandomSelectWinners(deps)(body('redraw-2', 1, { replaces })),
    ).rejects.toMatchObject({
      name: 'ForfeitNotRecorded',
      message:
        'the forfeit of E04 in draw draw-1 names draw redraw-1 as its replacement, not redraw-2',
    });
  });

  it('a replacement leaves out whom it replaces even when eligible again, and says whom it replaced', async () => {
    const forfeit = forfeitOf('E01', { eligible_again: true });
    await won('E01', 'draw-1');
    await markForfeited(dynamo.doc, deps.winnersTable, forfeit);
    await putForfeit(dynamo.doc, deps.drawsTable, deps.winnersTable, forfeit);
    const replaces = { draw_id: 'draw-1', employee_id: 'E01' };
    const { body: result } = await createRandomSelectWinners(deps)(
      body('redraw-1', 1, { replaces }),
    );
    expect(result.winner_details?.[0]?.employee_id).not.toBe('E01');
    expect(result.replaces).toEqual({
      draw_id: 'draw-1',
      employee_id: 'E01',
      employee_name: 'x',
      reason: 'not present',
      forfeited_at: forfeit.forfeited_at,
    });
    const record = (await getSelectionRecords(dynamo.doc, deps.drawsTable, 'redraw-1')).get(1)!;
    expect(record.replaces).toEqual(forfeit);
    expect(record.pool.forfeits).toEqual([forfeit]);
    await createValidateWinners(deps)(result);
    const recorded = await createRecordWinners(deps)(result);
    expect(recorded.replaces).toEqual(result.replaces);
  });

  it('someone who forfeited may not win again, unless made eligible again: then they can be claimed', async () => {
    await won('E01', 'draw-1');
    await won('E05', 'draw-1');
    await markForfeited(dynamo.doc, deps.winnersTable, forfeitOf('E01'));
    await markForfeited(dynamo.doc, deps.winnersTable, forfeitOf('E05', { eligible_again: true }));
    const { body: result } = await createRandomSelectWinners(deps)(body('draw-2', 11));
    const ids = result.winner_details?.map((winner) => winner.employee_id) ?? [];
    expect(ids).not.toContain('E01');
    expect(ids).toContain('E05');
    const validated = await createValidateWinners(deps)(result);
    expect(validated.status).toBe(0);
    const rows = await scanWinners(dynamo.doc, deps.winnersTable);
    expect(rows.find((row) => row.employee_id === 'E05')).toMatchObject({
      draw_id: 'draw-2',
      status: 'claimed',
    });
    expect(rows.find((row) => row.employee_id === 'E01')).toMatchObject({
      draw_id: 'draw-1',
      status: 'forfeited',
      forfeit_reason: 'not present',
      replaced_by: 'redraw-1',
    });
    expect(
      await claimWinner(dynamo.doc, deps.winnersTable, {
        employee_id: 'E01',
        draw_id: 'draw-3',
        status: 'claimed',
      }),
    ).toBe(false);
  });

  it('marks only a win of that draw forfeited', async () => {
    await won('E01', 'draw-1');
    expect(await markForfeited(dynamo.doc, deps.winnersTable, forfeitOf('E02'))).toBe(false);
    expect(
      await markForfeited(dynamo.doc, deps.winnersTable, forfeitOf('E01', { draw_id: 'draw-0' })),
    ).toBe(false);
    expect(await markForfeited(dynamo.doc, deps.winnersTable, forfeitOf('E01'))).toBe(true);
    // Again: a redraw run twice completes what the first left.
    expect(await markForfeited(dynamo.doc, deps.winnersTable, forfeitOf('E01'))).toBe(true);
  });
});

describe('Input Lottery Winners and Reserve Prize for a replacement', () => {
  async function loadPlan() {
    await changePrizePlan(deps.doc, deps.drawsTable, deps.winnersTable, async (plan) => {
      const result = replacePlan(plan, [{ name: 'Kettle', count: 2 }], new Map(), 'p.csv', 't');
      if (!('plan' in result)) throw new Error('refused');
      return { next: result.plan, value: undefined };
    });
  }

  it('carries what the request replaces into the body', async () => {
    const { body: result } = await createInputWinners(deps)({
      request: { input: 1, prize: 'Kettle', replaces: { draw_id: 'draw-1', employee_id: 'E01' } },
      execution_name: 'redraw-1',
      execution_arn: arnOf('redraw-1'),
      started_at: 't',
    });
    expect(result.replaces).toEqual({ draw_id: 'draw-1', employee_id: 'E01' });
  });

  it('hands the forfeited place back once, and refuses a replacement without its forfeit', async () => {
    await loadPlan();
    const reserve = createReservePrize(deps);
    await reserve(body('draw-1', 2, { prize: 'Kettle' }));
    const replaces = { draw_id: 'draw-1', employee_id: 'E01' };
    await expect(reserve(body('redraw-1', 1, { prize: 'Kettle', replaces }))).rejects.toMatchObject(
      { name: 'ForfeitNotRecorded' },
    );
    await putForfeit(
      dynamo.doc,
      deps.drawsTable,
      deps.winnersTable,
      forfeitOf('E01', { prize: 'Kettle' }),
    );
    const status = async () =>
      planStatus((await getPrizePlan(deps.doc, deps.drawsTable, deps.winnersTable))!)[0];
    // draw-1 is over and drew its two.
    deps.executionStatus = async (arn) => (arn === arnOf('draw-1') ? 'SUCCEEDED' : 'RUNNING');
    const reserveAgain = createReservePrize(deps);
    expect(await reserveAgain(body('redraw-1', 1, { prize: 'Kettle', replaces }))).toMatchObject({
      reservation: { prize: 'Kettle', winners: 1, count: 2, remaining: 0 },
    });
    expect(await status()).toMatchObject({ drawn: 1, in_progress: 1, remaining: 0, forfeited: 1 });
    // A retried task: nothing changes.
    await reserveAgain(body('redraw-1', 1, { prize: 'Kettle', replaces }));
    expect(await status()).toMatchObject({ drawn: 1, in_progress: 1, remaining: 0, forfeited: 1 });
  });
});

describe('the versions of the exclusions in Lottery-Draws', () => {
  const excluding = (id: string, reason = 'board') => ({
    employee_id: id,
    lottery_serial: Number(id.slice(1)),
    reason,
    since: 't',
    source: 'command' as const,
  });

  it('two writers at once: both changes end up in the latest version, each version written once', async () => {
    await Promise.all(
      ['E01', 'E02', 'E03'].map((id) =>
        changeExclusions(dynamo.doc, deps.drawsTable, deps.employeeTable, (set) => ({
          next: nextExclusions(set, [...set.exclusions, excluding(id)], `excluded ${id}`, 't'),
          value: undefined,
        })),
      ),
    );
    const latest = await getExclusions(dynamo.doc, deps.drawsTable, deps.employeeTable);
    expect(latest.version).toBe(3);
    expect(latest.exclusions.map((each) => each.employee_id)).toEqual(['E01', 'E02', 'E03']);
    const versions = await listExclusionVersions(
      dynamo.doc,
      deps.drawsTable,
      deps.employeeTable,
      2,
    );
    expect(versions.map((each) => [each.version, each.exclusions?.length])).toEqual([
      [1, undefined],
      [2, 2],
      [3, undefined],
    ]);
  });

  it('a list too large for one item is kept in parts, and read back whole', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      excluding(`E${i + 1}`, randomBytes(16).toString('hex')),
    );
    await changeExclusions(dynamo.doc, deps.drawsTable, deps.employeeTable, (set) => ({
      next: nextExclusions(set, many, 'many', 't'),
      value: undefined,
    }));
    const latest = await getExclusions(dynamo.doc, deps.drawsTable, deps.employeeTable);
    expect(latest.exclusions).toHaveLength(20_000);
    expect(new Set(latest.exclusions.map((each) => each.reason))).toEqual(
      new Set(many.map((each) => each.reason)),
    );
  });
});
