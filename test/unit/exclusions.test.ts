import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isCandidate } from '../../src/core/event-checks';
import {
  excludedSerials,
  exclusionDifferences,
  fileExclusionChanges,
  loadExclusions,
  nextExclusions,
  noExclusions,
  storeExclusions,
  withSerialsOf,
  type Exclusion,
} from '../../src/core/exclusions';
import {
  forfeitChanges,
  forfeitFilledBy,
  forfeitsSince,
  forfeitKey,
  type Forfeit,
} from '../../src/core/forfeits';
import { check } from '../../src/core/parse';
import { reasonSchema } from '../../src/core/reason';

const at = (minute: number) => `2026-11-29T10:${String(minute).padStart(2, '0')}:00.000Z`;

const exclusion = (id: string, since: number, serial = 1): Exclusion => ({
  employee_id: id,
  lottery_serial: serial,
  reason: `reason ${id}`,
  since: at(since),
  source: 'command',
});

describe('versions of the exclusions', () => {
  it('the next version holds the list by id, numbered after the one it follows', () => {
    const first = nextExclusions(
      noExclusions(),
      [exclusion('é', 1), exclusion('Z', 2), exclusion('b', 3)],
      'excluded',
      at(5),
    );
    expect(first).toEqual({
      version: 1,
      updated_at: at(5),
      change: 'excluded',
      exclusions: [exclusion('Z', 2), exclusion('b', 3), exclusion('é', 1)],
    });
    const second = nextExclusions(first!, [exclusion('b', 3)], 'included again Z, é', at(6));
    expect(second).toMatchObject({ version: 2, exclusions: [exclusion('b', 3)] });
  });

  it('no version is written when nothing changes, whatever the order given', () => {
    const first = nextExclusions(
      noExclusions(),
      [exclusion('a', 1), exclusion('b', 1)],
      'x',
      at(5),
    )!;
    expect(
      nextExclusions(first, [exclusion('b', 1), exclusion('a', 1)], 'y', at(6)),
    ).toBeUndefined();
    expect(nextExclusions(noExclusions(), [], 'none', at(6))).toBeUndefined();
  });

  it('keep out the serials of those who still have one', () => {
    expect(
      excludedSerials([exclusion('a', 1, 4), { ...exclusion('b', 1), lottery_serial: undefined }]),
    ).toEqual([4]);
  });

  it("follow a seed's serials: a new one, or none once the person has left", () => {
    expect(
      withSerialsOf(
        [exclusion('a', 1, 4), exclusion('b', 1, 5), exclusion('c', 1, 6)],
        new Map([
          ['a', 40],
          ['b', undefined],
        ]),
      ),
    ).toEqual(
      [
        exclusion('a', 1, 40),
        { ...exclusion('b', 1), lottery_serial: undefined },
        exclusion('c', 1, 6),
      ].map(({ lottery_serial, ...rest }) =>
        lottery_serial === undefined ? rest : { ...rest, lottery_serial },
      ),
    );
  });
});

describe('exclusions as an audit record keeps them', () => {
  it('come back as they went in, with their version', () => {
    const list = [exclusion('a', 1), exclusion('b', 2, 9)];
    const stored = storeExclusions({ version: 3, exclusions: list });
    expect(stored).toMatchObject({ version: 3, count: 2, encoding: 'json-deflate-base64' });
    expect(loadExclusions(stored)).toEqual(list);
    expect(loadExclusions(storeExclusions({ version: 0, exclusions: [] }))).toEqual([]);
  });

  it('refuse an unknown encoding, a count that does not match, or something not a list', () => {
    const stored = storeExclusions({ version: 1, exclusions: [exclusion('a', 1)] });
    expect(() => loadExclusions({ ...stored, encoding: 'gzip' as 'json-deflate-base64' })).toThrow(
      'unknown exclusion encoding gzip',
    );
    expect(() => loadExclusions({ ...stored, count: 3 })).toThrow(
      'the stored exclusions are not a list of 3',
    );
    const notAList = { ...stored, count: 0, data: deflateRawSync('{}').toString('base64') };
    expect(() => loadExclusions(notAList)).toThrow('the stored exclusions are not a list of 0');
  });
});

describe('exclusionDifferences', () => {
  const list = [exclusion('a', 1), exclusion('b', 2)];
  const v1 = { version: 1, updated_at: at(3), change: 'excluded a, b', exclusions: list };

  it('none when the version the draw used is kept as it was and nothing later predates the draw', () => {
    expect(
      exclusionDifferences(
        { version: 1, exclusions: list },
        [v1, { version: 2, updated_at: at(20), change: 'c' }],
        at(10),
      ),
    ).toEqual([]);
    expect(exclusionDifferences({ version: 0, exclusions: [] }, [], at(10))).toEqual([]);
  });

  it('a version written at the very moment the draw selected counts as before it', () => {
    expect(
      exclusionDifferences(
        { version: 1, exclusions: list },
        [v1, { version: 2, updated_at: at(10), change: 'c' }],
        at(10),
      ),
    ).toEqual([
      `version 2 of the exclusions (c) is dated ${at(10)}, before the draw, but the draw used version 1: it was recorded after the fact`,
    ]);
  });

  it('the serial a seed moved is a change too: verify names it', () => {
    expect(
      exclusionDifferences(
        { version: 1, exclusions: list },
        [{ ...v1, exclusions: [exclusion('a', 1, 7), exclusion('b', 2)] }],
        at(10),
      ),
    ).toEqual([
      `the exclusion of a (serial 1, "reason a", since ${at(1)}) was changed in version 1 after the draw: it now says a (serial 7, "reason a", since ${at(1)})`,
    ]);
  });
});

describe("a seed's exclusions, from the file's eligible column", () => {
  const current = [
    { ...exclusion('by-file', 1), source: 'file' as const },
    exclusion('by-command', 1),
  ];

  it('adds someone the file marks not eligible, and ends what the file made when it says eligible again', () => {
    const changes = fileExclusionChanges(
      new Map([
        ['new', { excluded: true, lottery_serial: 7 }],
        ['by-file', { excluded: false, lottery_serial: 2 }],
        ['by-command', { excluded: false, lottery_serial: 3 }],
        ['plain', { excluded: false, lottery_serial: 4 }],
      ]),
      current,
      'staff.csv',
      at(50),
    );
    expect(changes).toEqual({
      exclusions: [
        exclusion('by-command', 1),
        {
          employee_id: 'new',
          lottery_serial: 7,
          reason: 'not eligible in staff.csv',
          since: at(50),
          source: 'file',
        },
      ],
      opened: 1,
      ended: 1,
    });
  });

  it('leaves alone whoever is excluded already, by the file or by a command', () => {
    expect(
      fileExclusionChanges(
        new Map([
          ['by-file', { excluded: true, lottery_serial: 2 }],
          ['by-command', { excluded: true, lottery_serial: 3 }],
        ]),
        current,
        'staff.csv',
        at(50),
      ),
    ).toEqual({ exclusions: current, opened: 0, ended: 0 });
  });
});

describe('reasons', () => {
  it('are trimmed text of 1 to 200 characters without control characters', () => {
    expect(check(reasonSchema, '  board member ')).toEqual({ ok: true, value: 'board member' });
    expect(check(reasonSchema, '   ')).toMatchObject({
      ok: false,
      error: expect.stringContaining('give a reason'),
    });
    expect(check(reasonSchema, 'a\u001b[2Jb')).toMatchObject({
      ok: false,
      error: expect.stringContaining('must not contain control characters'),
    });
    expect(check(reasonSchema, 'x'.repeat(201))).toMatchObject({
      ok: false,
      error: 'the reason must be at most 200 characters, got 201',
    });
    expect(check(reasonSchema, 'x'.repeat(200)).ok).toBe(true);
    expect(check(reasonSchema, 7)).toMatchObject({ ok: false, error: 'the reason must be text' });
  });
});

describe('isCandidate', () => {
  it('the highest serial of the space is a candidate unless excluded', () => {
    expect(isCandidate({ mode: 'serial-space', serialSpace: 10, excluded: [] }, 10)).toBe(true);
    expect(isCandidate({ mode: 'serial-space', serialSpace: 10, excluded: [] }, 0)).toBe(false);
  });

  it('in a serial space: within 1..S and not excluded', () => {
    const space = { mode: 'serial-space' as const, serialSpace: 10, excluded: [2, 5, 10] };
    expect([0, 1, 2, 3, 5, 9, 10, 11].map((serial) => isCandidate(space, serial))).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it('in a serial list: listed', () => {
    const space = { mode: 'serial-list' as const, serials: [3, 900] };
    expect([3, 4, 900].map((serial) => isCandidate(space, serial))).toEqual([true, false, true]);
  });
});

describe('forfeits', () => {
  const forfeit = (id: string, minute: number): Forfeit => ({
    draw_id: 'draw-1',
    employee_id: id,
    employee_name: `Person ${id}`,
    lottery_serial: 3,
    prize: 'Kettle',
    reason: 'not present',
    forfeited_at: at(minute),
    eligible_again: false,
    replacement_draw_id: `redraw-${id}`,
  });

  it('are keyed by draw and person', () => {
    expect(forfeitKey(forfeit('a', 1))).toBe('draw-1#a');
  });

  it('in force are those since the last reset, up to a time, oldest first', () => {
    const all = [forfeit('c', 30), forfeit('a', 5), forfeit('b', 20), forfeit('d', 20)];
    const resets = [{ at: at(10) }, { at: at(25) }, { at: at(2) }];
    expect(forfeitsSince(all, []).map((each) => each.employee_id)).toEqual(['a', 'b', 'd', 'c']);
    expect(forfeitsSince(all, resets).map((each) => each.employee_id)).toEqual(['c']);
    expect(forfeitsSince(all, resets, at(24)).map((each) => each.employee_id)).toEqual(['b', 'd']);
    expect(forfeitsSince(all, resets, at(20)).map((each) => each.employee_id)).toEqual(['b', 'd']);
    expect(forfeitsSince(all, [], at(19)).map((each) => each.employee_id)).toEqual(['a']);
  });

  it('name each field of a forfeit that changed', () => {
    const before = forfeit('a', 1);
    const after: Forfeit = {
      draw_id: 'draw-2',
      employee_id: 'b',
      employee_name: 'Someone',
      lottery_serial: 4,
      prize: 'Mug',
      reason: 'left',
      forfeited_at: at(2),
      eligible_again: true,
      replacement_draw_id: 'r-2',
    };
    expect(forfeitChanges(before, after).map((change) => change.split(' ')[0])).toEqual([
      'draw_id',
      'employee_id',
      'employee_name',
      'lottery_serial',
      'prize',
      'reason',
      'forfeited_at',
      'eligible_again',
      'replacement_draw_id',
    ]);
  });

  it('in force since a reset at the very time of a forfeit: the forfeit came first, so not in force', () => {
    expect(forfeitsSince([forfeit('a', 10)], [{ at: at(10) }])).toEqual([]);
    expect(forfeitsSince([forfeit('a', 11)], [{ at: at(10) }], at(10))).toEqual([]);
    // A reset at the `before` time counts.
    expect(forfeitsSince([forfeit('a', 9)], [{ at: at(10) }], at(10))).toEqual([]);
  });

  it('two forfeits at the same time are ordered by draw and person', () => {
    const both = [forfeit('b', 5), forfeit('a', 5)];
    expect(forfeitsSince(both, []).map((each) => each.employee_id)).toEqual(['a', 'b']);
    expect(forfeitsSince([...both].reverse(), []).map((each) => each.employee_id)).toEqual([
      'a',
      'b',
    ]);
  });

  it('a replacement fills the forfeit that names it, and only that one', () => {
    const forfeits = [forfeit('a', 1), forfeit('b', 1)];
    expect(forfeitFilledBy({ draw_id: 'draw-1', employee_id: 'b' }, 'redraw-b', forfeits)).toEqual({
      forfeit: forfeits[1],
    });
    expect(forfeitFilledBy({ draw_id: 'draw-1', employee_id: 'b' }, 'redraw-a', forfeits)).toEqual({
      problem:
        'the forfeit of b in draw draw-1 names draw redraw-b as its replacement, not redraw-a',
    });
    expect(forfeitFilledBy({ draw_id: 'draw-1', employee_id: 'c' }, 'redraw-c', forfeits)).toEqual({
      problem:
        'no forfeit of c in draw draw-1 is recorded: a replacement draw starts after its forfeit (`lottery redraw`)',
    });
  });

  it('name every field that changed, and nothing when none did', () => {
    const before = forfeit('a', 1);
    expect(forfeitChanges(before, { ...before })).toEqual([]);
    expect(
      forfeitChanges(before, { ...before, reason: 'left', eligible_again: true, employee_id: 'b' }),
    ).toEqual([
      'employee_id was "a", is "b"',
      'reason was "not present", is "left"',
      'eligible_again was false, is true',
    ]);
  });
});

describe('details that verify and the backend rely on', () => {
  it('before any change there is version 0, nobody excluded', () => {
    expect(noExclusions()).toEqual({
      version: 0,
      updated_at: '',
      change: 'none yet',
      exclusions: [],
    });
  });

  it('a serial a seed takes away leaves no serial attribute at all', () => {
    const [gone] = withSerialsOf([exclusion('a', 1, 4)], new Map([['a', undefined]]));
    expect(gone).toStrictEqual({
      employee_id: 'a',
      reason: 'reason a',
      since: at(1),
      source: 'command',
    });
  });

  it('names the version the draw used among several, and someone excluded without a serial', () => {
    const list = [{ ...exclusion('a', 1), lottery_serial: undefined }];
    const versions = [
      { version: 1, updated_at: at(1), change: 'first', exclusions: [] },
      { version: 2, updated_at: at(2), change: 'second', exclusions: list },
    ];
    expect(exclusionDifferences({ version: 2, exclusions: list }, versions, at(5))).toEqual([]);
    expect(exclusionDifferences({ version: 2, exclusions: [] }, versions, at(5))).toEqual([
      `the exclusion of a ("reason a", since ${at(1)}) was added to version 2 after the draw`,
    ]);
  });

  it('sorts by id whatever order the change gives', () => {
    const next = nextExclusions(noExclusions(), [exclusion('c', 1), exclusion('a', 1)], 'x', at(1));
    expect(next?.exclusions.map((each) => each.employee_id)).toEqual(['a', 'c']);
  });
});
