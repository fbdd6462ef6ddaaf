import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  drawAudit,
  recordDigest,
  settleInterruptedDraw,
  type SelectionRecord,
} from '../../src/core/audit';
import {
  decodeSerials,
  encodeSerials,
  loadCandidateSpace,
  poolDefinition,
  storeCandidateSpace,
} from '../../src/core/candidates';
import { canonicalJson } from '../../src/core/canonical';
import { candidateSpaceDigest, SELECTION_ALGORITHM } from '../../src/core/selection';

const SEED = '5e'.repeat(32);

function record(overrides: Partial<SelectionRecord> = {}): SelectionRecord {
  return {
    draw_id: 'draw-1',
    attempt: 2,
    algorithm: SELECTION_ALGORITHM,
    seed: SEED,
    seed_source: 'generated',
    prize: 'Kettle',
    selected_at: '2026-11-29T10:00:00.000Z',
    pool: poolDefinition(
      { mode: 'serial-space', serialSpace: 10, excluded: [3] },
      { total: 10, eligible: 9, stats_version: 4 },
    ),
    candidates: [
      { serial: 7, employee_id: 'E7' },
      { serial: 2, employee_id: 'E2' },
    ],
    winners: [
      { employee_id: 'E7', employee_name: 'Seven', lottery_serial: 7 },
      { employee_id: 'E2', employee_name: 'Two', lottery_serial: 2 },
    ],
    ...overrides,
  };
}

describe('encodeSerials and decodeSerials', () => {
  it.each([
    [[]],
    [[1]],
    [[1, 2, 3]],
    [[127, 128, 16_383, 16_384, 1_000_000_000]],
    [[128]],
    [[16_384]],
    [[2_097_152, 2_097_280]],
    [Array.from({ length: 5000 }, (_, i) => 2 * i + 1)],
  ])('round-trips %j', (serials) => {
    const encoded = encodeSerials(serials);
    expect(encoded).toMatchObject({
      count: serials.length,
      encoding: 'delta-varint-deflate-base64',
    });
    expect(decodeSerials(encoded)).toEqual(serials);
  });

  it('keeps a dense exclusion list small: 100,000 serials in a few hundred bytes', () => {
    expect(
      encodeSerials(Array.from({ length: 100_000 }, (_, i) => i + 1)).data.length,
    ).toBeLessThan(1000);
  });

  it('refuses serials out of order', () => {
    expect(() => encodeSerials([3, 2])).toThrow(
      new RangeError('serials must be whole numbers in ascending order'),
    );
  });

  it('refuses serials that are not whole numbers', () => {
    expect(() => encodeSerials([1, 2.5])).toThrow(
      new RangeError('serials must be whole numbers in ascending order'),
    );
  });

  it('notices data cut off inside a number', () => {
    // 5, then the first byte of a number whose next byte is missing.
    const cut = {
      count: 1,
      encoding: 'delta-varint-deflate-base64' as const,
      data: deflateRawSync(Buffer.from([5, 0x81])).toString('base64'),
    };
    expect(() => decodeSerials(cut)).toThrow('the encoded serials hold 1 values, not 1');
  });

  it('notices a count that does not match the data', () => {
    expect(() => decodeSerials({ ...encodeSerials([1, 2, 3]), count: 4 })).toThrow(
      'the encoded serials hold 3 values, not 4',
    );
  });

  it('refuses an encoding it does not know', () => {
    expect(() => decodeSerials({ count: 0, encoding: 'gzip' as never, data: '' })).toThrow(
      'unknown serial encoding gzip',
    );
  });
});

describe('stored candidate spaces', () => {
  it.each([
    [{ mode: 'serial-space', serialSpace: 50, excluded: [4, 9] }],
    [{ mode: 'serial-list', serials: [3, 40, 500] }],
  ] as const)('round-trip %j', (space) => {
    expect(loadCandidateSpace(storeCandidateSpace(space))).toEqual(space);
  });

  it("a pool definition carries the candidates' digest", () => {
    const space = { mode: 'serial-list', serials: [1, 5] } as const;
    expect(poolDefinition(space, { total: 2, eligible: 2, stats_version: null }).digest).toBe(
      candidateSpaceDigest(space),
    );
  });
});

describe('canonicalJson and recordDigest', () => {
  it('sorts keys at every level and leaves out undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, e: null }], é: 'x' })).toBe(
      '{"a":[{"d":2,"e":null}],"b":1,"é":"x"}',
    );
  });

  it('separates array items, so that [1, 23] and [12, 3] differ', () => {
    expect(canonicalJson([1, 23])).toBe('[1,23]');
    expect(recordDigest(record({ candidates: [{ serial: 1 }, { serial: 23 }] }))).not.toBe(
      recordDigest(record({ candidates: [{ serial: 12 }, { serial: 3 }] })),
    );
  });

  it('sorts many keys, in any order they come', () => {
    const keys = Array.from(
      { length: 300 },
      (_, i) => `k${String((i * 7919) % 300).padStart(3, '0')}`,
    );
    const text = canonicalJson(Object.fromEntries(keys.map((key) => [key, 1])));
    expect(text).toBe(
      `{${[...keys]
        .sort()
        .map((key) => `"${key}":1`)
        .join(',')}}`,
    );
  });

  it('gives the same digest whatever order the fields come in', () => {
    const reordered = Object.fromEntries(
      Object.entries(record()).reverse(),
    ) as unknown as SelectionRecord;
    expect(recordDigest(reordered)).toBe(recordDigest(record()));
  });

  it.each([
    [
      'a winner renamed',
      {
        winners: [
          { employee_id: 'E7', employee_name: 'Mallory', lottery_serial: 7 },
          record().winners[1]!,
        ],
      },
    ],
    ['the seed source', { seed_source: 'caller' as const }],
    ['a candidate', { candidates: [{ serial: 8, employee_id: 'E8' }, record().candidates[1]!] }],
    ['the attempt', { attempt: 1 }],
  ])('changes when %s changes', (_what, change) => {
    expect(recordDigest(record(change))).not.toBe(recordDigest(record()));
  });
});

describe('drawAudit', () => {
  it("puts a beacon draw's chain, round and commitment digest in the draw's output, but not the round's signature", () => {
    const beacon = {
      round: 1203,
      signature: 'ab'.repeat(48),
      chain: 'cd'.repeat(32),
      commitment_digest: 'ef'.repeat(32),
      source: 'a relay',
    };
    const beaconRecord = record({ seed_source: 'beacon', beacon });
    expect(drawAudit(beaconRecord)).toEqual({
      seed: SEED,
      seed_source: 'beacon',
      attempt: 2,
      pool: {
        algorithm: SELECTION_ALGORITHM,
        mode: 'serial-space',
        size: 9,
        total: 10,
        digest: record().pool.digest,
      },
      record_digest: recordDigest(beaconRecord),
      beacon: { chain: 'cd'.repeat(32), round: 1203, commitment_digest: 'ef'.repeat(32) },
    });
  });

  it('says nothing of a beacon for a draw without one', () => {
    expect(drawAudit(record())).not.toHaveProperty('beacon');
  });
});

describe('settleInterruptedDraw', () => {
  const won = (employee_id: string) => ({
    employee_id,
    draw_id: 'draw-1',
    status: 'won' as const,
    won_at: '2026-11-29T10:00:01.000Z',
  });
  const claimed = (employee_id: string) => ({
    employee_id,
    draw_id: 'draw-1',
    status: 'claimed' as const,
  });

  it('finishes a draw whose people were all recorded, with its announcement still owed', () => {
    const result = settleInterruptedDraw([won('E7'), won('E2')], new Map([[2, record()]]));
    expect(result).toEqual({
      draw_id: 'draw-1',
      prize: 'Kettle',
      winners: record().winners,
      recorded_at: '2026-11-29T10:00:01.000Z',
      audit: {
        seed: SEED,
        seed_source: 'generated',
        attempt: 2,
        pool: {
          algorithm: SELECTION_ALGORITHM,
          mode: 'serial-space',
          size: 9,
          total: 10,
          digest: record().pool.digest,
        },
        record_digest: recordDigest(record()),
      },
      message: 'Congrats! [Seven, Two] You have been selected as the Lucky Champs for Kettle!',
      announcement: {
        status: 'FAILED',
        error: 'Lottery.BackendStopped',
        cause: 'the embedded backend stopped before the announcement was sent',
      },
    });
  });

  it('takes the time of recording from the first row that has one', () => {
    const { won_at: _none, ...unstamped } = won('E7');
    const result = settleInterruptedDraw(
      [unstamped, { ...won('E2'), won_at: '2026-11-29T10:00:02.000Z' }],
      new Map([[2, record()]]),
    );
    expect(result?.recorded_at).toBe('2026-11-29T10:00:02.000Z');
    expect(
      settleInterruptedDraw(
        [unstamped, { ...unstamped, employee_id: 'E2' }],
        new Map([[2, record()]]),
      )?.recorded_at,
    ).toBe('2026-11-29T10:00:00.000Z');
  });

  it('rolls back a draw that holds someone besides the people of its latest attempt', () => {
    expect(
      settleInterruptedDraw([won('E7'), won('E2'), won('E1')], new Map([[2, record()]])),
    ).toBeUndefined();
  });

  it('rolls back a draw with anyone still only claimed', () => {
    expect(
      settleInterruptedDraw([won('E7'), claimed('E2')], new Map([[2, record()]])),
    ).toBeUndefined();
  });

  it('rolls back a draw that recorded people its latest attempt did not pick', () => {
    const earlier = record({
      attempt: 1,
      winners: [
        { employee_id: 'E1', employee_name: 'One' },
        { employee_id: 'E2', employee_name: 'Two' },
      ],
    });
    expect(
      settleInterruptedDraw(
        [won('E1'), won('E2')],
        new Map([
          [1, earlier],
          [2, record()],
        ]),
      ),
    ).toBeUndefined();
  });

  it('rolls back a draw that never got to claim anyone, or has no audit record', () => {
    expect(settleInterruptedDraw([], new Map([[2, record()]]))).toBeUndefined();
    expect(settleInterruptedDraw([], new Map([[2, record({ winners: [] })]]))).toBeUndefined();
    expect(settleInterruptedDraw([won('E7'), won('E2')], new Map())).toBeUndefined();
  });
});
