import { GetCommand, PutCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanWinners } from '../../../src/aws/winners-table';
import { putEmployees } from '../../../src/aws/employees-table';
import { MAX_SELECTION_ATTEMPTS, type DrawBody, type PoolSummary } from '../../../src/core/draw';
import { SELECTION_ALGORITHM } from '../../../src/core/selection';
import { recordDigest } from '../../../src/core/audit';
import { getSelectionRecords, putPoolStats } from '../../../src/aws/draws-table';
import type { HandlerDeps } from '../../../src/lambdas/deps';
import { createInputWinners } from '../../../src/lambdas/input-winners';
import { createRandomSelectWinners } from '../../../src/lambdas/random-select-winners';
import { createRecordWinners } from '../../../src/lambdas/record-winners';
import { createReleaseWinners } from '../../../src/lambdas/release-winners';
import { createValidateWinners } from '../../../src/lambdas/validate-winners';
import { startTestDynamo } from '../../helpers/dynamo';
import { getCommitment } from '../../../src/aws/draws-table';
import { createCommitDraw } from '../../../src/lambdas/commit-draw';
import { DRAND_CHAINS, roundTime } from '../../../src/core/beacon';

const SEED = 'ab'.repeat(32);
const NAMES = ['Rose', 'Tracy', 'Aaron', 'Bob', 'Yigal', 'Uber', 'Oscar', 'Paul', 'Ember', 'Gary'];
const workshopEmployees = NAMES.map((name, i) => ({
  employee_id: String(i + 1).padStart(3, '0'),
  employee_name: name,
  lottery_serial: i + 1,
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
  deps = await dynamo.freshDeps({
    now: () => new Date('2026-11-26T12:00:00.000Z'),
    newSeed: () => SEED,
  });
  await putEmployees(dynamo.doc, deps.employeeTable, workshopEmployees);
  await putPoolStats(
    dynamo.doc,
    deps.drawsTable,
    deps.employeeTable,
    { count: 10, max_serial: 10, version: 1, updated_at: 't' },
    undefined,
  );
});

const EXECUTION = 'arn:aws:states:local:000000000000:execution:Lottery:draw-a';
const SUMMARY: PoolSummary = {
  algorithm: SELECTION_ALGORITHM,
  mode: 'serial-space',
  size: 10,
  total: 10,
  digest: 'd',
};

function body(overrides: Partial<DrawBody> = {}): DrawBody {
  return {
    draw_id: 'draw-a',
    execution_arn: EXECUTION,
    num_of_winners: 2,
    prize: null,
    seed: SEED,
    seed_source: 'generated',
    requested_at: '2026-11-26T12:00:00.000Z',
    attempt: 0,
    ...overrides,
  };
}

const claim = (employee_id: string, draw_id: string, status: 'claimed' | 'won') =>
  dynamo.doc.send(
    new PutCommand({
      TableName: deps.winnersTable,
      Item: {
        employee_id,
        employee_name: 'x',
        lottery_serial: Number(employee_id),
        draw_id,
        status,
        prize: null,
        claimed_at: 't',
      },
    }),
  );

describe('Input Lottery Winners', () => {
  const run = (request: unknown) =>
    createInputWinners(deps)({
      request,
      execution_name: 'draw-a',
      execution_arn: EXECUTION,
      started_at: '2026-11-26T12:00:00.000Z',
    });

  it('fixes the draw id, time and a fresh seed', async () => {
    expect(await run({ input: 2 })).toEqual({ body: body() });
  });

  it('keeps a seed given by the caller, and says so', async () => {
    const { body: result } = await run({
      input: 3,
      prize: ' Second prize ',
      seed: 'CD'.repeat(16),
    });
    expect(result).toMatchObject({
      num_of_winners: 3,
      prize: 'Second prize',
      seed: 'cd'.repeat(16),
      seed_source: 'caller',
    });
  });

  it('leaves a beacon draw without a seed: its round does not exist yet', async () => {
    expect(await run({ input: 2, beacon: true })).toEqual({
      body: body({ seed: '', seed_source: 'beacon', beacon: {} }),
    });
    expect(
      (await run({ input: 2, beacon: true, beacon_round_file: '/tmp/r.json' })).body.beacon,
    ).toEqual({ round_file: '/tmp/r.json' });
  });

  it.each([
    [{ input: 0 }],
    [{ input: -1 }],
    [{ input: 'abc' }],
    [{}],
    [5],
    [{ input: 2, seed: 'xyz' }],
    [{ input: 2, beacon: 'yes' }],
    [{ input: 2, beacon: true, seed: 'ab'.repeat(16) }],
    [{ input: 2, beacon_round_file: '/r.json' }],
    [{ input: 2, beacon: true, beacon_round_file: 'r.json' }],
  ])('rejects %j as InvalidDrawInput', async (request) => {
    await expect(run(request)).rejects.toMatchObject({ name: 'InvalidDrawInput' });
  });
});

describe('Random Select Winners', () => {
  it('picks distinct eligible people, deterministically for a seed, and writes the audit record its output names', async () => {
    const select = createRandomSelectWinners(deps);
    const first = await select(body({ num_of_winners: 4 }));
    const again = await select(body({ num_of_winners: 4 }));
    const ids = first.body.winner_details?.map((winner) => winner.employee_id) ?? [];
    expect(new Set(ids).size).toBe(4);
    expect(again.body.winner_details).toEqual(first.body.winner_details);
    expect(first.body.attempt).toBe(1);
    expect(first.body.pool).toMatchObject({
      algorithm: SELECTION_ALGORITHM,
      mode: 'serial-space',
      size: 10,
      total: 10,
    });
    const record = (await getSelectionRecords(dynamo.doc, deps.drawsTable, 'draw-a')).get(1);
    expect(record?.winners.map((winner) => winner.employee_id)).toEqual(ids);
    expect(record?.candidates.map((candidate) => candidate.employee_id)).toEqual(ids);
    expect(recordDigest(record!)).toBe(first.body.record_digest);
    expect(record?.pool).toMatchObject({
      digest: first.body.pool?.digest,
      stats_version: 1,
      total: 10,
      eligible: 10,
    });
  });

  it('skips serials nobody has, and says so in the audit record', async () => {
    await dynamo.doc.send(
      new DeleteCommand({ TableName: deps.employeeTable, Key: { employee_id: '004' } }),
    );
    await dynamo.doc.send(
      new DeleteCommand({ TableName: deps.employeeTable, Key: { employee_id: '007' } }),
    );
    const { body: result } = await createRandomSelectWinners(deps)(body({ num_of_winners: 8 }));
    expect(result.winner_details?.map((winner) => winner.employee_id).sort()).toEqual([
      '001',
      '002',
      '003',
      '005',
      '006',
      '008',
      '009',
      '010',
    ]);
    const record = (await getSelectionRecords(dynamo.doc, deps.drawsTable, 'draw-a')).get(1);
    const holes =
      record?.candidates
        .filter((candidate) => candidate.skipped === 'hole')
        .map((candidate) => candidate.serial) ?? [];
    expect(holes.every((serial) => serial === 4 || serial === 7)).toBe(true);
    // Proposals are drawn with replacement: besides holes, the draw passes over people it took.
    expect(record?.candidates.filter((candidate) => !candidate.skipped)).toHaveLength(8);
    expect(
      record?.candidates.every(
        (c) => c.skipped === undefined || c.skipped === 'hole' || c.skipped === 'repeat',
      ),
    ).toBe(true);
    expect(holes.length).toBeGreaterThan(0);
  });

  it('reads the index keys when the pool has no statistics, and draws from the serials in use', async () => {
    await dynamo.doc.send(
      new DeleteCommand({
        TableName: deps.drawsTable,
        Key: { pk: 'pool', sk: deps.employeeTable },
      }),
    );
    const { body: result } = await createRandomSelectWinners(deps)(body({ num_of_winners: 10 }));
    expect(result.pool).toMatchObject({ mode: 'serial-list', size: 10, total: 10 });
    expect(result.winner_details?.map((winner) => winner.employee_id).sort()).toEqual(
      workshopEmployees.map((employee) => employee.employee_id),
    );
  });

  it('reads the index keys when someone has a serial above the statistics', async () => {
    await putEmployees(dynamo.doc, deps.employeeTable, [
      { employee_id: '011', employee_name: 'Late', lottery_serial: 11 },
    ]);
    const { body: result } = await createRandomSelectWinners(deps)(body({ num_of_winners: 11 }));
    expect(result.pool).toMatchObject({ mode: 'serial-list', size: 11 });
    expect(result.winner_details).toHaveLength(11);
  });

  it("counts the workshop's own winner rows (only an employee_id) as won", async () => {
    for (const id of ['001', '002', '003'])
      await dynamo.doc.send(
        new PutCommand({ TableName: deps.winnersTable, Item: { employee_id: id } }),
      );
    const { body: result } = await createRandomSelectWinners(deps)(body({ num_of_winners: 7 }));
    expect(result.winner_details?.map((winner) => winner.employee_id).sort()).toEqual([
      '004',
      '005',
      '006',
      '007',
      '008',
      '009',
      '010',
    ]);
    expect(result.pool).toMatchObject({ size: 7, total: 10 });
  });

  it('right after a seed, waits for the index to show everyone before it looks people up', async () => {
    await putPoolStats(
      dynamo.doc,
      deps.drawsTable,
      deps.employeeTable,
      { count: 10, max_serial: 10, version: 2, updated_at: '2026-11-26T11:59:59.500Z' },
      { count: 10, max_serial: 10, version: 1, updated_at: 't' },
    );
    const waits: number[] = [];
    await createRandomSelectWinners({
      ...deps,
      indexLagMs: 2000,
      sleep: async (ms) => void waits.push(ms),
    })(body());
    // The seed was 500 ms before "now" (12:00:00.000): 1,500 ms are left to wait.
    expect(waits).toEqual([1500]);
    const later = [] as number[];
    await createRandomSelectWinners({
      ...deps,
      indexLagMs: 2000,
      now: () => new Date('2026-11-26T12:00:05.000Z'),
      sleep: async (ms) => void later.push(ms),
    })(body({ draw_id: 'draw-b' }));
    expect(later).toEqual([]);
  });

  it('gives back the claims of a draw that is no longer running, then draws from them', async () => {
    for (const employee of workshopEmployees.slice(0, 8))
      await claim(employee.employee_id, 'draw-stopped', 'claimed');
    const asked: string[] = [];
    const select = createRandomSelectWinners({
      ...deps,
      executionStatus: async (arn) => (asked.push(arn), 'ABORTED'),
    });
    const { body: result } = await select(body({ num_of_winners: 10 }));
    expect(asked).toEqual(['arn:aws:states:local:000000000000:execution:Lottery:draw-stopped']);
    expect(result.winner_details).toHaveLength(10);
    expect(await scanWinners(dynamo.doc, deps.winnersTable)).toEqual([]);
  });

  it('never picks past winners or people claimed by another draw, but keeps its own claims', async () => {
    for (const id of ['001', '002', '003', '004', '005', '006']) await claim(id, 'draw-old', 'won');
    await claim('007', 'draw-other', 'claimed');
    await claim('008', 'draw-a', 'claimed');
    const { body: result } = await createRandomSelectWinners(deps)(body({ num_of_winners: 3 }));
    expect(result.winner_details?.map((winner) => winner.employee_id).sort()).toEqual([
      '008',
      '009',
      '010',
    ]);
    expect(result.pool?.size).toBe(3);
  });

  it('fails with the numbers when fewer are eligible than asked', async () => {
    for (const employee of workshopEmployees.slice(0, 9))
      await claim(employee.employee_id, 'draw-old', 'won');
    await expect(
      createRandomSelectWinners(deps)(body({ num_of_winners: 2 })),
    ).rejects.toMatchObject({
      name: 'NotEnoughEligible',
      message: 'only 1 of 10 employees is eligible (9 already won); asked for 2 winners',
    });
  });

  it('waits for a running draw to give claims back before saying there are not enough', async () => {
    for (const employee of workshopEmployees.slice(0, 8))
      await claim(employee.employee_id, 'draw-old', 'won');
    await claim('009', 'draw-other', 'claimed');
    let waits = 0;
    const select = createRandomSelectWinners({
      ...deps,
      sleep: async () => {
        waits++;
        await dynamo.doc.send(
          new DeleteCommand({ TableName: deps.winnersTable, Key: { employee_id: '009' } }),
        );
      },
    });
    const { body: result } = await select(body({ num_of_winners: 2 }));
    expect(waits).toBe(1);
    expect(result.winner_details?.map((winner) => winner.employee_id).sort()).toEqual([
      '009',
      '010',
    ]);
  });

  it('gives up waiting on a claim that never goes away', async () => {
    for (const employee of workshopEmployees.slice(0, 8))
      await claim(employee.employee_id, 'draw-old', 'won');
    await claim('009', 'draw-stuck', 'claimed');
    await expect(
      createRandomSelectWinners(deps)(body({ num_of_winners: 2 })),
    ).rejects.toMatchObject({
      name: 'NotEnoughEligible',
      message: expect.stringContaining('1 held by draws still running'),
    });
  });
});

describe('Commit Draw', () => {
  const beaconBody = () => body({ seed: '', seed_source: 'beacon', beacon: {} });

  it('commits to the first quicknet round at least the margin away, and to the pool as the draw will take it', async () => {
    const { body: committed } = await createCommitDraw(deps)(beaconBody());
    const commitment = committed.beacon?.commitment;
    const due = roundTime(DRAND_CHAINS.quicknet, commitment?.round ?? 0);
    // 2026-11-26T12:00:00Z plus the 10 s margin, rounded up to quicknet's 3 s grid.
    expect(due * 1000).toBeGreaterThanOrEqual(Date.parse('2026-11-26T12:00:10.000Z'));
    expect(due * 1000 - Date.parse('2026-11-26T12:00:10.000Z')).toBeLessThan(3000);
    expect(commitment).toMatchObject({
      chain: DRAND_CHAINS.quicknet,
      committed_at: '2026-11-26T12:00:00.000Z',
      round_time: new Date(due * 1000).toISOString().replace('.000Z', 'Z'),
    });
    expect(committed.pool).toMatchObject({ mode: 'serial-space', size: 10, total: 10 });
    const stored = await getCommitment(deps.doc, deps.drawsTable, 'draw-a');
    expect(stored).toMatchObject({
      round: commitment?.round,
      winners: 2,
      prize: null,
      pool: { digest: committed.pool?.digest, stats_version: 1 },
    });
  });

  it('keeps the commitment it made when the task runs again later: the round never moves', async () => {
    const first = await createCommitDraw(deps)(beaconBody());
    const later = await createCommitDraw({
      ...deps,
      now: () => new Date('2026-11-26T12:05:00.000Z'),
    })(beaconBody());
    expect(later.body.beacon?.commitment).toEqual(first.body.beacon?.commitment);
  });

  it('fails at once when fewer are eligible than asked, before waiting for any round', async () => {
    await expect(
      createCommitDraw(deps)({ ...beaconBody(), num_of_winners: 11 }),
    ).rejects.toMatchObject({ name: 'NotEnoughEligible' });
    expect(await getCommitment(deps.doc, deps.drawsTable, 'draw-a')).toBeUndefined();
  });

  it('refuses a round file on AWS, where the functions read no files', async () => {
    await expect(
      createCommitDraw(deps)(
        body({ seed: '', seed_source: 'beacon', beacon: { round_file: '/tmp/round.json' } }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidDrawInput' });
    await expect(
      createCommitDraw({ ...deps, roundFileWaitMs: 1000 })(
        body({ seed: '', seed_source: 'beacon', beacon: { round_file: '/tmp/round.json' } }),
      ),
    ).resolves.toBeDefined();
  });
});

describe('Validate Winners', () => {
  const picked = (...ids: string[]) =>
    body({
      attempt: 1,
      winner_details: ids.map((id) => ({ employee_id: id, employee_name: `name ${id}` })),
      pool: SUMMARY,
    });

  it('claims every pick for the draw and writes the announcement', async () => {
    const result = await createValidateWinners(deps)(picked('003', '001'));
    expect(result.status).toBe(0);
    expect(result.sns).toBe(
      'Congrats! [name 003, name 001] You have been selected as the Lucky Champs!',
    );
    const rows = await scanWinners(dynamo.doc, deps.winnersTable);
    expect(
      rows.map((row) => [row.employee_id, row.draw_id, row.status, row.execution_arn]).sort(),
    ).toEqual([
      ['001', 'draw-a', 'claimed', EXECUTION],
      ['003', 'draw-a', 'claimed', EXECUTION],
    ]);
  });

  it('is idempotent when the task is retried', async () => {
    const validate = createValidateWinners(deps);
    await validate(picked('001', '002'));
    expect((await validate(picked('001', '002'))).status).toBe(0);
    expect(await scanWinners(dynamo.doc, deps.winnersTable)).toHaveLength(2);
  });

  it('gives back its claims and asks for a re-draw when another draw holds a pick', async () => {
    await claim('005', 'draw-other', 'claimed');
    const result = await createValidateWinners(deps)(picked('001', '005', '009'));
    expect(result.status).toBe(1);
    const rows = await scanWinners(dynamo.doc, deps.winnersTable);
    expect(rows.map((row) => [row.employee_id, row.draw_id])).toEqual([['005', 'draw-other']]);
  });

  it('gives up after the last attempt', async () => {
    await claim('001', 'draw-other', 'won');
    const last = { ...picked('001'), attempt: MAX_SELECTION_ATTEMPTS };
    await expect(createValidateWinners(deps)(last)).rejects.toMatchObject({ name: 'DrawConflict' });
  });
});

describe('Record Winner Queue and Release Winners', () => {
  const claimed = body({
    attempt: 1,
    winner_details: [
      { employee_id: '001', employee_name: 'Rose' },
      { employee_id: '002', employee_name: 'Tracy' },
    ],
    pool: SUMMARY,
    record_digest: 'r',
  });

  beforeEach(async () => {
    await createValidateWinners(deps)(claimed);
  });

  it('records the claimed winners and returns the audit trail', async () => {
    const recorded = await createRecordWinners(deps)(claimed);
    expect(recorded).toEqual({
      draw_id: 'draw-a',
      prize: null,
      winners: claimed.winner_details,
      recorded_at: '2026-11-26T12:00:00.000Z',
      audit: {
        seed: SEED,
        seed_source: 'generated',
        attempt: 1,
        pool: claimed.pool,
        record_digest: 'r',
      },
      replaces: null,
    });
    const rows = await scanWinners(dynamo.doc, deps.winnersTable);
    expect(
      rows.every((row) => row.status === 'won' && row.won_at === '2026-11-26T12:00:00.000Z'),
    ).toBe(true);
  });

  it('records nobody twice when retried, and keeps the first time', async () => {
    await createRecordWinners(deps)(claimed);
    await createRecordWinners({ ...deps, now: () => new Date('2030-01-01T00:00:00.000Z') })(
      claimed,
    );
    const { Item } = await dynamo.doc.send(
      new GetCommand({ TableName: deps.winnersTable, Key: { employee_id: '001' } }),
    );
    expect(Item?.won_at).toBe('2026-11-26T12:00:00.000Z');
    expect(await scanWinners(dynamo.doc, deps.winnersTable)).toHaveLength(2);
  });

  it('fails with ClaimLost when a claim disappeared under it', async () => {
    await dynamo.doc.send(
      new DeleteCommand({ TableName: deps.winnersTable, Key: { employee_id: '002' } }),
    );
    await expect(createRecordWinners(deps)(claimed)).rejects.toMatchObject({
      name: 'ClaimLost',
      message: expect.stringContaining('002'),
    });
  });

  it('releases only what this draw holds', async () => {
    await claim('003', 'draw-other', 'won');
    const released = await createReleaseWinners(deps)({
      draw: {
        ...claimed,
        winner_details: [
          ...(claimed.winner_details ?? []),
          { employee_id: '003', employee_name: 'Aaron' },
        ],
      },
    });
    expect(released).toEqual({ released: 2 });
    const rows = await scanWinners(dynamo.doc, deps.winnersTable);
    expect(rows.map((row) => row.employee_id)).toEqual(['003']);
  });
});
