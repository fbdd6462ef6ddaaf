import { describe, expect, it } from 'vitest';
import { commitmentDigest, type PublicCommitment } from '../../src/core/beacon';
import type { DrawRecordFile, RecordDraw } from '../../src/core/record-format';
import { verifyRecord, type RecordCheck } from '../../src/core/record-verify';
import { beaconRecord, repool } from '../helpers/record-fixtures';

// Each way a record can be edited, on the quicknet record of test/helpers: the verifier's verdict
// and the check that names what changed. verify --record, the page and the Python reference all
// show these same verdicts (test/cli/record.test.ts, test/e2e/record/).

const edited = (edit: (copy: DrawRecordFile, draw: RecordDraw) => void) => {
  const copy = beaconRecord();
  edit(copy, copy.draws[0]!);
  return verifyRecord(copy);
};
const check = (verdict: ReturnType<typeof verifyRecord>, name: string) =>
  verdict.draws[0]?.checks.find((each) => each.name === name);
/** The commitment edited and digested again, as a forger who also rewrites the digest would. */
const recommit = (edit: (commitment: PublicCommitment) => void) =>
  edited((_, draw) => {
    const beacon = draw.beacon!;
    edit(beacon.commitment);
    beacon.commitment_digest = commitmentDigest(beacon.commitment);
  });
const failed = (verdict: ReturnType<typeof verifyRecord>, name: string, detail: RegExp) => {
  expect(verdict.ok).toBe(false);
  expect(check(verdict, name)).toMatchObject({ ok: false, detail: expect.stringMatching(detail) });
};

describe('the pool', () => {
  const poolCheck = (verdict: ReturnType<typeof verifyRecord>) => verdict.checks[0] as RecordCheck;
  it('as recorded: 20 people reproduce its digest', () => {
    const verdict = edited(() => {});
    expect(verdict.ok).toBe(true);
    expect(poolCheck(verdict)).toMatchObject({
      name: 'pool',
      ok: true,
      detail: expect.stringMatching(/^20 people in serial order reproduce the pool's digest/),
    });
  });
  it.each([
    [
      'a person added',
      (copy: DrawRecordFile) => repool(copy, (e) => e.push({ ...e[0]!, serial: 26 })),
      21,
    ],
    ['a person removed', (copy: DrawRecordFile) => repool(copy, (e) => e.splice(3, 1)), 19],
    [
      'a ticket count changed',
      (copy: DrawRecordFile) => repool(copy, (e) => (e[3]!.tickets = 1)),
      20,
    ],
    [
      'two people swapped',
      (copy: DrawRecordFile) =>
        repool(copy, (e) => {
          const [a, b] = [e[0]!.hash, e[1]!.hash];
          e[0]!.hash = b;
          e[1]!.hash = a;
        }),
      20,
    ],
  ])('with %s: fails, naming the count listed', (_, edit, listed) => {
    const verdict = edited(edit);
    expect(verdict.ok).toBe(false);
    expect(poolCheck(verdict)).toMatchObject({
      name: 'pool',
      ok: false,
      detail: expect.stringMatching(
        new RegExp(
          `^the ${listed} people listed give digest .*someone was added, removed or moved$`,
        ),
      ),
    });
  });
  it('with its count edited: fails', () =>
    expect(poolCheck(edited((copy) => (copy.pool.count = 21))).ok).toBe(false));
  it('with a salt that is not 16 bytes, or another digest algorithm: cannot be read', () => {
    expect(edited((copy) => (copy.pool.salt = 'ab')).checks).toEqual([
      {
        name: 'record',
        ok: false,
        detail: "the pool cannot be read: the pool's salt is not 16 bytes of hex",
      },
    ]);
    expect(
      edited((copy) => ((copy.pool as { algorithm: string }).algorithm = 'md5')).checks[0]?.detail,
    ).toBe("the pool cannot be read: the pool's digest is md5");
  });
});

describe('the commitment', () => {
  it('as recorded: fixes the pool, the candidates, the prize and the count', () =>
    expect(
      check(
        edited(() => {}),
        'commitment',
      ),
    ).toMatchObject({
      ok: true,
      detail: expect.stringContaining('it fixes the pool, the candidates, the prize and 3 winners'),
    }));
  it('edited without its digest: says it was changed', () =>
    failed(
      edited((_, draw) => (draw.beacon!.commitment.prize = 'Car')),
      'commitment',
      /^the commitment's digest is .*, but the draw recorded .*: the commitment was changed$/,
    ));
  it.each<[string, (commitment: PublicCommitment) => void, RegExp]>([
    ['another draw', (c) => (c.draw_id = 'd2'), /^the commitment is draw d2's$/],
    [
      'another count',
      (c) => (c.winners = 4),
      /^the commitment is for 4 winners of "Bike", but the record has 3 of "Bike"$/,
    ],
    ['another prize', (c) => (c.prize = 'Car'), /of "Car", but the record has 3 of "Bike"$/],
    [
      'other candidates',
      (c) => (c.pool.digest = '00'.repeat(32)),
      /^the draw picked from candidates .*, not the committed 000000000000…$/,
    ],
    ['no pool', (c) => delete c.pool.members, /^the commitment fixes pool \(none\)/],
    [
      'another largest ticket count',
      (c) => (c.pool.max_tickets = 3),
      /^the commitment says the largest ticket count is 3, the record 2$/,
    ],
    [
      'no margin',
      (c) => (c.margin_seconds = 0),
      /^the commitment's margin is 0 s: its round may have existed$/,
    ],
    [
      'a later round',
      (c) => (c.round = 124),
      /^round 124 is not the first round 5 s after the commitment .*: that is round 123$/,
    ],
    [
      'another due time',
      (c) => (c.round_time = '2020-01-01T00:00:00Z'),
      /^the commitment says round 123 is due 2020-01-01T00:00:00Z, but the chain has it due /,
    ],
  ])('digested again but for %s: fails', (_, edit, detail) =>
    failed(recommit(edit), 'commitment', detail),
  );
  it('missing from a beacon draw: fails, and there is no round to check', () => {
    const verdict = edited((_, draw) => delete draw.beacon);
    failed(verdict, 'commitment', /holds no commitment$/);
    failed(verdict, 'beacon', /^there is no round to check$/);
  });
});

describe('the round and the seed', () => {
  it('another round than the committed one: fails', () =>
    failed(
      edited((_, draw) => (draw.beacon!.round.round = 124)),
      'beacon',
      /^the draw used round 124, but committed to round 123$/,
    ));
  it('a signature edited: fails', () =>
    failed(
      edited((_, draw) => (draw.beacon!.round.signature = 'a'.repeat(96))),
      'beacon',
      /^round 123: /,
    ));
  it('a seed that is not the round randomness: fails', () =>
    failed(
      edited((_, draw) => (draw.seed = 'ab'.repeat(32))),
      'beacon',
      /^round 123's randomness is .*, but the draw used seed abababababab…$/,
    ));
  it('a seed that is not 32 bytes of hex: the draw cannot be read', () => {
    const verdict = edited((_, draw) => (draw.seed = 'xyz'));
    expect(verdict.ok).toBe(false);
    expect(verdict.draws[0]?.checks).toEqual([
      { name: 'record', ok: false, detail: expect.stringMatching(/^the draw cannot be read: /) },
    ]);
  });
  it('a seed from the backend: verifies, with a warning that it could have been chosen', () => {
    const verdict = edited((_, draw) => {
      delete draw.beacon;
      draw.seed_source = 'generated';
    });
    expect(verdict.ok).toBe(true);
    expect(check(verdict, 'seed')).toMatchObject({
      warning: true,
      detail: expect.stringContaining("came from the backend's random source"),
    });
    expect(check(verdict, 'commitment')).toBeUndefined();
  });
  it('a seed the caller chose: verifies, with a warning that they chose the outcome', () =>
    expect(
      check(
        edited((_, draw) => {
          delete draw.beacon;
          draw.seed_source = 'caller';
        }),
        'seed',
      ),
    ).toMatchObject({
      warning: true,
      detail: expect.stringContaining('could have chosen the outcome'),
    }));
});

describe('the selection', () => {
  it('as recorded: the seed picks the winners serials', () =>
    expect(
      check(
        edited(() => {}),
        'selection',
      )?.detail,
    ).toMatch(/^the seed picks serials \d+, \d+, \d+ \(attempt 1\), and each winner's id hashes/));
  it('winners in another order: fails, naming the first that differs', () =>
    failed(
      edited((_, draw) => draw.winners.reverse()),
      'selection',
      /^winner 1 of the seed is at serial \d+, but the record names E\d+ at serial \d+$/,
    ));
  it('another attempt: fails', () =>
    expect(
      check(
        edited((_, draw) => (draw.attempt = 2)),
        'selection',
      )?.ok,
    ).toBe(false));
  it('a pool other than the one the draw fixed: fails', () =>
    failed(
      edited((_, draw) => (draw.members = { ...draw.members, salt: '11'.repeat(16) })),
      'selection',
      /^the draw fixed pool .*, but the record lists pool /,
    ));
  it.each([0, 101, 1.5])('a largest ticket count of %s: fails', (count) =>
    failed(
      edited((_, draw) => (draw.max_tickets = count)),
      'selection',
      new RegExp(`^the largest ticket count is ${count}: it must be from 1 to \\d+$`),
    ),
  );
  it('more tickets than the largest the draw allowed: fails', () =>
    expect(
      check(
        edited((_, draw) => (draw.max_tickets = 1)),
        'selection',
      )?.ok,
    ).toBe(false));
  it('another algorithm: fails without replaying', () => {
    const verdict = edited((_, draw) => (draw.algorithm = 'sha256-ctr-serial-v2'));
    expect(verdict.draws[0]?.checks).toEqual([
      expect.objectContaining({ name: 'algorithm', ok: false }),
    ]);
  });
  it('people passed over as taken by draws not in the record: a warning naming them', () =>
    expect(
      check(
        edited((_, draw) => (draw.taken = [25])),
        'taken',
      ),
    ).toMatchObject({
      ok: true,
      warning: true,
      detail: '1 person passed over as taken by other draws not in this record (serials 25)',
    }));
});

describe('forfeits', () => {
  const forfeit = (copy: DrawRecordFile, employee_id: string, replacement_draw_id = 'd2') =>
    copy.forfeits.push({
      draw_id: 'd1',
      employee_id,
      employee_name: 'Someone',
      prize: 'Bike',
      reason: 'not in the room',
      forfeited_at: '2026-12-05T00:00:00.000Z',
      eligible_again: false,
      replacement_draw_id,
    });
  it('of a winner, replaced by a draw not in the record: a warning', () => {
    const verdict = edited((copy, draw) => forfeit(copy, draw.winners[0]!.employee_id));
    expect(verdict.ok).toBe(true);
    expect(verdict.checks[1]).toMatchObject({
      name: 'forfeits',
      warning: true,
      detail: 'Someone (d1), not in the room: the replacement d2 is not in this record',
    });
  });
  it('of someone who did not win: fails', () => {
    const verdict = edited((copy) => forfeit(copy, 'E99'));
    expect(verdict.ok).toBe(false);
    expect(verdict.checks[1]?.detail).toBe(
      'E99 forfeited a win of d1 that the record does not hold',
    );
  });
  it('a replacement whose forfeit is missing: fails', () =>
    failed(
      edited((_, draw) => (draw.replaces = { draw_id: 'd0', employee_id: 'E1' })),
      'forfeit',
      /^the draw replaces E1 of d0, but the record holds no such forfeit: it was removed$/,
    ));
});

describe('what is not a record', () => {
  it.each<[string, unknown, string]>([
    [
      'another format',
      { ...beaconRecord(), format: 'v0' },
      'this is not a lottery-draw-record-v1 record',
    ],
    ['no draws', { ...beaconRecord(), draws: null }, 'the record has no pool, draws or forfeits'],
    [
      'no forfeits',
      { ...beaconRecord(), forfeits: {} },
      'the record has no pool, draws or forfeits',
    ],
  ])('%s: refused', (_, record, detail) =>
    expect(verifyRecord(record as DrawRecordFile)).toEqual({
      ok: false,
      checks: [{ name: 'record', ok: false, detail }],
      draws: [],
    }),
  );
  it('no draw at all: does not verify', () =>
    expect(verifyRecord({ ...beaconRecord(), draws: [] }).ok).toBe(false));
});
