import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changePrizePlan, getPrizePlan } from '../../../src/aws/prize-plan';
import type { DrawBody } from '../../../src/core/draw';
import { planStatus, replacePlan } from '../../../src/core/prizes';
import type { HandlerDeps } from '../../../src/lambdas/deps';
import { createRecordWinners } from '../../../src/lambdas/record-winners';
import { createReleaseWinners } from '../../../src/lambdas/release-winners';
import { createReservePrize } from '../../../src/lambdas/reserve-prize';
import { startTestDynamo } from '../../helpers/dynamo';

// Reserve Prize and Release Winners against a real DynamoDB API (dynalite): the conditional
// writes that keep a prize from awarding more than its count are the ones AWS would see.

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let deps: HandlerDeps;
let statuses: Map<string, string | undefined>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  statuses = new Map();
  deps = await dynamo.freshDeps({
    executionStatus: async (arn) => (statuses.has(arn) ? statuses.get(arn) : 'RUNNING'),
    now: () => new Date('2026-12-18T19:00:00.000Z'),
  });
});

const arnOf = (id: string) => `arn:aws:states:local:000000000000:execution:Lottery:${id}`;
function body(draw_id: string, prize: string | null, num_of_winners: number): DrawBody {
  return {
    draw_id,
    execution_arn: arnOf(draw_id),
    num_of_winners,
    prize,
    seed: 'ab'.repeat(32),
    seed_source: 'generated',
    requested_at: 't',
    attempt: 0,
  };
}

async function loadPlan(...prizes: [string, number][]) {
  await changePrizePlan(deps.doc, deps.drawsTable, deps.winnersTable, async (plan) => {
    const result = replacePlan(
      plan,
      prizes.map(([name, count]) => ({ name, count })),
      new Map(),
      'plan.csv',
      't',
    );
    if (!('plan' in result)) throw new Error('refused');
    return { next: result.plan, value: undefined };
  });
}

const status = async () =>
  planStatus((await getPrizePlan(deps.doc, deps.drawsTable, deps.winnersTable))!);

describe('Reserve Prize', () => {
  it('passes draws without a prize, and any prize when there is no plan, through untouched', async () => {
    const reserve = createReservePrize(deps);
    expect(await reserve(body('a', null, 2))).toEqual({ body: body('a', null, 2) });
    expect(await reserve(body('b', 'Free text', 2))).toEqual({ body: body('b', 'Free text', 2) });
    expect(await getPrizePlan(deps.doc, deps.drawsTable, deps.winnersTable)).toBeUndefined();
  });

  it("takes the draw's winners out of the prize, records them with the plan's spelling, and is safe to retry", async () => {
    await loadPlan(['First prize', 1], ['Kettle', 3]);
    const reserve = createReservePrize(deps);
    const result = await reserve(body('a', 'kettle', 2));
    expect(result).toEqual({
      body: { ...body('a', 'Kettle', 2), prize_hold: 2 },
      reservation: { prize: 'Kettle', winners: 2, count: 3, remaining: 1 },
    });
    expect(await reserve(body('a', 'kettle', 2))).toEqual(result);
    expect((await status())[1]).toMatchObject({ prize: 'Kettle', in_progress: 2, remaining: 1 });
  });

  it('fails a prize that is not in the plan, or that has fewer winners left than asked', async () => {
    await loadPlan(['Kettle', 3]);
    const reserve = createReservePrize(deps);
    await expect(reserve(body('a', 'Teapot', 1))).rejects.toMatchObject({
      name: 'PrizeNotInPlan',
      message: 'Teapot is not in the prize plan (Kettle)',
    });
    await reserve(body('b', 'Kettle', 2));
    await expect(reserve(body('c', 'Kettle', 2))).rejects.toMatchObject({
      name: 'PrizeExhausted',
      message: 'Kettle has 1 of its 3 winners left; asked for 2',
    });
  });

  it('gives back the winners of draws that ended without recording them before deciding', async () => {
    await loadPlan(['Kettle', 3]);
    const reserve = createReservePrize(deps);
    await reserve(body('stopped', 'Kettle', 2));
    await reserve(body('done', 'Kettle', 1));
    statuses.set(arnOf('stopped'), 'ABORTED');
    statuses.set(arnOf('done'), 'SUCCEEDED');
    await reserve(body('next', 'Kettle', 2));
    expect((await status())[0]).toMatchObject({ drawn: 1, in_progress: 2, remaining: 0 });
  });

  it('never awards more than the count when many draws reserve at once', async () => {
    await loadPlan(['Kettle', 5]);
    const reserve = createReservePrize(deps);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => reserve(body(`draw-${i}`, 'Kettle', 1 + (i % 2)))),
    );
    const reserved = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value.reservation?.winners ?? 0] : [],
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [(outcome.reason as Error).name] : [],
    );
    expect(reserved.reduce((sum, winners) => sum + winners, 0)).toBe(5);
    expect(new Set(refused)).toEqual(new Set(['PrizeExhausted']));
    expect((await status())[0]).toMatchObject({ in_progress: 5, remaining: 0 });
  });
});

describe('Release Winners', () => {
  it("gives back the prize's winners a failed draw held, once however often it runs", async () => {
    await loadPlan(['Kettle', 3]);
    await createReservePrize(deps)(body('a', 'Kettle', 2));
    const release = createReleaseWinners(deps);
    await release({ draw: body('a', 'Kettle', 2) });
    await release({ draw: body('a', 'Kettle', 2) });
    expect((await status())[0]).toMatchObject({ drawn: 0, in_progress: 0, remaining: 3 });
  });
});

describe('Record Winner Queue and the prize plan', () => {
  async function recordKettle(reserve: boolean) {
    const draw = reserve
      ? (await createReservePrize(deps)(body('a', 'Kettle', 1))).body
      : body('a', 'Kettle', 1);
    await dynamo.doc.send(
      new PutCommand({
        TableName: deps.winnersTable,
        Item: { employee_id: '001', draw_id: 'a', status: 'claimed', lottery_serial: 1 },
      }),
    );
    return {
      ...draw,
      winner_details: [{ employee_id: '001', employee_name: 'Rose' }],
      pool: { algorithm: 'x', mode: 'serial-space' as const, size: 1, total: 1, digest: 'd' },
      record_digest: 'r',
    };
  }

  it('records a draw that still holds its places', async () => {
    await loadPlan(['Kettle', 3]);
    const draw = await recordKettle(true);
    await expect(createRecordWinners(deps)(draw)).resolves.toMatchObject({ prize: 'Kettle' });
  });

  it('fails a draw whose places are gone from the plan, for Release Winners to roll back', async () => {
    await loadPlan(['Kettle', 3]);
    const draw = await recordKettle(true);
    await changePrizePlan(deps.doc, deps.drawsTable, deps.winnersTable, async () => ({
      next: null,
      value: undefined,
    }));
    await expect(createRecordWinners(deps)(draw)).rejects.toMatchObject({
      name: 'PrizeHoldLost',
      message:
        'the places this draw held of Kettle are gone from the prize plan (was the plan cleared or loaded again?)',
    });
  });
});
