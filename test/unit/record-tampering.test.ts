import { describe, expect, it } from 'vitest';
import { commitmentDigest, type PublicCommitment } from '../../src/core/beacon';
import type { DrawRecordFile, RecordDraw, RecordWinner } from '../../src/core/record-format';
import { verifyRecord, type RecordCheck } from '../../src/core/record-verify';
import { SELECTION_ALGORITHM, serialsDigest } from '../../src/core/selection';
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
  it('two people passed over as taken by draws not in the record: both named', () =>
    expect(
      check(
        edited((_, draw) => (draw.taken = [24, 25])),
        'taken',
      )?.detail,
    ).toBe('2 people passed over as taken by other draws not in this record (serials 24, 25)'));
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
  it('of a draw the record does not hold: fails, naming it', () => {
    const verdict = edited((copy) => {
      forfeit(copy, 'E1');
      copy.forfeits[0]!.draw_id = 'd0';
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.checks[1]).toEqual({
      name: 'forfeits',
      ok: false,
      detail: 'E1 forfeited a win of d0 that the record does not hold',
    });
  });
  it('a replacement of a forfeit in a draw the record does not hold: fails, naming it', () =>
    failed(
      edited((copy, draw) => {
        forfeit(copy, 'E1', 'd1');
        copy.forfeits[0]!.draw_id = 'd0';
        draw.replaces = { draw_id: 'd0', employee_id: 'E1' };
        draw.selected_at = '2026-12-06T00:00:00.000Z';
      }),
      'forfeit',
      /^E1 is not a winner of d0 in this record$/,
    ));
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
  it('nothing at all: refused, without throwing', () =>
    expect(verifyRecord(undefined as unknown as DrawRecordFile).checks).toEqual([
      { name: 'record', ok: false, detail: 'this is not a lottery-draw-record-v1 record' },
    ]));
  it('no draw at all: does not verify', () =>
    expect(verifyRecord({ ...beaconRecord(), draws: [] }).ok).toBe(false));
});

// The verdicts word for word: what a person checking a record reads, with the digests shortened to
// their first 12 hex digits.

const short = (hex: string) => `${hex.slice(0, 12)}…`;

describe('the verdict of an untouched record, word for word', () => {
  it('names the pool, the seed, the commitment, the round, the candidates and the picks', () => {
    const record = beaconRecord();
    const draw = record.draws[0]!;
    const { commitment } = draw.beacon!;
    const verdict = verifyRecord(record);
    expect(verdict.checks).toEqual([
      {
        name: 'pool',
        ok: true,
        detail: `20 people in serial order reproduce the pool's digest ${short(record.pool.digest)}`,
      },
    ]);
    expect(verdict.draws[0]).toEqual({
      draw_id: 'd1',
      prize: 'Bike',
      ok: true,
      checks: [
        {
          name: 'seed',
          ok: true,
          detail: `${short(draw.seed)}, a drand round's randomness (below)`,
        },
        {
          name: 'commitment',
          ok: true,
          detail: `digest ${short(draw.beacon!.commitment_digest)}, made ${commitment.committed_at}, 5 s or more before round 123 (${commitment.round_time}); it fixes the pool, the candidates, the prize and 3 winners`,
        },
        {
          name: 'beacon',
          ok: true,
          detail:
            "round 123's BLS signature is valid for drand's quicknet chain; the seed is its randomness",
        },
        {
          name: 'candidates',
          ok: true,
          detail: `serials 1..25 less 1 who could not win (1 excluded from the event), digest ${short(draw.candidates_digest)}`,
        },
        {
          name: 'selection',
          ok: true,
          detail: `the seed picks serials ${draw.winners.map((w) => w.lottery_serial).join(', ')} (attempt 1), and each winner's id hashes to the pool's entry there`,
        },
      ],
    });
  });
});

describe('a tampered record, word for word', () => {
  const digests = () => {
    const record = beaconRecord();
    return { pool: record.pool.digest, draw: record.draws[0]! };
  };
  it('a person added: the pool names the count listed and both digests', () => {
    const { pool } = digests();
    expect(
      edited((copy) => repool(copy, (e) => e.push({ ...e[0]!, serial: 26 }))).checks[0],
    ).toEqual({
      name: 'pool',
      ok: false,
      detail: expect.stringMatching(
        new RegExp(
          `^the 21 people listed give digest [0-9a-f]{12}…, but the pool's digest is ${pool.slice(0, 12)}… over 20: someone was added, removed or moved$`,
        ),
      ),
    });
  });
  it('the count edited: the pool names the count it claims', () => {
    const { pool } = digests();
    expect(edited((copy) => (copy.pool.count = 21)).checks[0]?.detail).toBe(
      `the 20 people listed give digest ${short(pool)}, but the pool's digest is ${short(pool)} over 21: someone was added, removed or moved`,
    );
  });
  it('the same serial listed twice: the pool says which', () => {
    const verdict = edited((copy) => repool(copy, (e) => (e[2]!.serial = e[1]!.serial)));
    expect(verdict.ok).toBe(false);
    expect(verdict.checks[0]).toEqual({
      name: 'pool',
      ok: false,
      detail: "the pool's list: serial 2 is not above 2",
    });
  });
  it('the commitment edited without its digest: both digests', () => {
    const { draw } = digests();
    const verdict = edited((_, copy) => (copy.beacon!.commitment.prize = 'Car'));
    const changed = { ...draw.beacon!.commitment, prize: 'Car' };
    expect(check(verdict, 'commitment')?.detail).toBe(
      `the commitment's digest is ${short(commitmentDigest(changed))}, but the draw recorded ${short(draw.beacon!.commitment_digest)}: the commitment was changed`,
    );
  });
  it('the commitment digested again for one winner: says one winner', () =>
    failed(
      recommit((c) => (c.winners = 1)),
      'commitment',
      /^the commitment is for 1 winner of "Bike", but the record has 3 of "Bike"$/,
    ));
  it('other candidates committed: both digests', () => {
    const { draw } = digests();
    expect(
      check(
        recommit((c) => (c.pool.digest = 'ab'.repeat(32))),
        'commitment',
      )?.detail,
    ).toBe(
      `the draw picked from candidates ${short(draw.candidates_digest)}, not the committed abababababab…`,
    );
  });
  it('another pool committed: both digests', () => {
    const { draw } = digests();
    const verdict = recommit(
      (c) => (c.pool.members = { ...c.pool.members!, digest: 'cd'.repeat(32) }),
    );
    expect(check(verdict, 'commitment')?.detail).toBe(
      `the commitment fixes pool cdcdcdcdcdcd…, not the record's ${short(draw.members.digest)}`,
    );
  });
  it('a round signed by a chain this version does not know: verifies, with a warning', () => {
    const verdict = recommit((c) => (c.chain.hash = 'ef'.repeat(32)));
    expect(verdict.ok).toBe(true);
    expect(check(verdict, 'beacon')).toEqual({
      name: 'beacon',
      ok: true,
      warning: true,
      detail:
        'round 123 is validly signed, but by chain efefefefefef…, not a drand chain this version knows',
    });
  });
  it('the round randomness not the seed: both', () => {
    const { draw } = digests();
    expect(
      check(
        edited((_, copy) => (copy.seed = 'ab'.repeat(32))),
        'beacon',
      )?.detail,
    ).toBe(`round 123's randomness is ${short(draw.seed)}, but the draw used seed abababababab…`);
  });
  it('a signature that is not the chain s: names the round and what is wrong', () =>
    expect(
      check(
        edited((_, copy) => (copy.beacon!.round.signature = 'a'.repeat(96))),
        'beacon',
      )?.detail,
    ).toMatch(/^round 123: .+/));
  it('the excluded serial let back in: both candidate digests', () => {
    const { draw } = digests();
    const verdict = edited((_, copy) => (copy.excluded = []));
    expect(check(verdict, 'candidates')).toEqual({
      name: 'candidates',
      ok: false,
      detail: `the candidates listed have digest ${short(serialsDigest('serial-space 25', []))}, but the draw recorded ${short(draw.candidates_digest)}`,
    });
  });
  it('the pool the draw fixed edited: both pools', () => {
    const { pool } = digests();
    const verdict = edited(
      (_, copy) => (copy.members = { ...copy.members, digest: '12'.repeat(32) }),
    );
    expect(check(verdict, 'selection')?.detail).toBe(
      `the draw fixed pool 121212121212…, but the record lists pool ${short(pool)}`,
    );
  });
  it('a winner renamed: names them and their serial', () => {
    const { draw } = digests();
    const serial = draw.winners[1]!.lottery_serial;
    expect(
      check(
        edited((_, copy) => (copy.winners[1]!.employee_id = 'E99')),
        'winners',
      ),
    ).toEqual({
      name: 'winners',
      ok: false,
      detail: `the record names E99 at serial ${serial}, but the pool's hash at that serial is someone else's`,
    });
  });
  it('two winners swapped: names the first that differs', () => {
    const { draw } = digests();
    const [a, b] = draw.winners as [RecordWinner, RecordWinner];
    expect(
      check(
        edited((_, copy) => copy.winners.splice(0, 2, copy.winners[1]!, copy.winners[0]!)),
        'selection',
      )?.detail,
    ).toBe(
      `winner 1 of the seed is at serial ${a.lottery_serial}, but the record names ${b.employee_id} at serial ${b.lottery_serial}`,
    );
  });
  it('the last two winners swapped: names winner 2', () => {
    const { draw } = digests();
    const [, b, c] = draw.winners as [RecordWinner, RecordWinner, RecordWinner];
    expect(
      check(
        edited((_, copy) => copy.winners.splice(1, 2, copy.winners[2]!, copy.winners[1]!)),
        'selection',
      )?.detail,
    ).toBe(
      `winner 2 of the seed is at serial ${b.lottery_serial}, but the record names ${c.employee_id} at serial ${c.lottery_serial}`,
    );
  });
  it.each([
    ['caller', 'was chosen by whoever started the draw: they could have chosen the outcome'],
    [
      'generated',
      "came from the backend's random source: this record cannot show it was not chosen (a beacon draw can)",
    ],
  ] as const)('a seed from the %s: the seed check says so', (source, says) => {
    const { draw } = digests();
    const verdict = edited((_, copy) => {
      delete copy.beacon;
      copy.seed_source = source;
    });
    expect(check(verdict, 'seed')).toEqual({
      name: 'seed',
      ok: true,
      warning: true,
      detail: `${short(draw.seed)} ${says}`,
    });
  });
  it('a generated seed with a beacon round still: the commitment and the round are checked', () => {
    const verdict = edited((_, copy) => (copy.seed_source = 'generated'));
    expect(verdict.draws[0]?.checks.map((each) => each.name)).toEqual([
      'seed',
      'commitment',
      'beacon',
      'candidates',
      'selection',
    ]);
  });
  it('another algorithm: names both', () =>
    expect(edited((_, copy) => (copy.algorithm = 'sha256-ctr-serial-v2')).draws[0]?.checks).toEqual(
      [
        {
          name: 'algorithm',
          ok: false,
          detail: `the draw used sha256-ctr-serial-v2; records check ${SELECTION_ALGORITHM}`,
        },
      ],
    ));
  it.each([0, 11, 1.5])('a largest ticket count of %s: says it must be from 1 to 10', (count) =>
    expect(
      check(
        edited((_, copy) => (copy.max_tickets = count)),
        'selection',
      )?.detail,
    ).toBe(`the largest ticket count is ${count}: it must be from 1 to 10`),
  );
});

describe('what cannot be read, word for word', () => {
  it('a record with no pool: refused', () =>
    expect(verifyRecord({ ...beaconRecord(), pool: undefined } as never)).toEqual({
      ok: false,
      checks: [{ name: 'record', ok: false, detail: 'the record has no pool, draws or forfeits' }],
      draws: [],
    }));
  it('a salt that is a list of hex, not text: refused', () =>
    expect(
      edited((copy) => ((copy.pool as { salt: unknown }).salt = [copy.pool.salt])).checks,
    ).toEqual([
      {
        name: 'record',
        ok: false,
        detail: "the pool cannot be read: the pool's salt is not 16 bytes of hex",
      },
    ]));
  it('id hashes that are not base64: refused, naming them', () =>
    expect(edited((copy) => (copy.pool.id_hashes = '!!')).checks[0]?.detail).toBe(
      "the pool cannot be read: the pool's id hashes are not base64",
    ));
  it('a forfeit that is not an object: refused, without throwing', () => {
    const verdict = edited((copy) => copy.forfeits.push(null as never));
    expect(verdict.ok).toBe(false);
    expect(verdict.draws).toEqual([]);
    expect(verdict.checks).toEqual([
      {
        name: 'record',
        ok: false,
        detail: expect.stringMatching(/^the record cannot be read: .+/),
      },
    ]);
  });
  it.each<[string, unknown, string, string | null]>([
    ['nothing', null, 'undefined', null],
    [
      'a draw with only its id, prize and algorithm',
      { draw_id: 'd7', prize: 'Car', algorithm: SELECTION_ALGORITHM },
      'd7',
      'Car',
    ],
  ])('a draw that is %s: cannot be read, naming it', (_, draw, draw_id, prize) =>
    expect(edited((copy) => copy.draws.push(draw as never)).draws[1]).toEqual({
      draw_id,
      prize,
      ok: false,
      checks: [
        {
          name: 'record',
          ok: false,
          detail: expect.stringMatching(/^the draw cannot be read: .+/),
        },
      ],
    }),
  );
});
