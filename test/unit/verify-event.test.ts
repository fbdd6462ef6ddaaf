import { beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../src/core/employees';
import { storeExclusions, type Exclusion } from '../../src/core/exclusions';
import type { Forfeit } from '../../src/core/forfeits';
import { SELECTION_ALGORITHM } from '../../src/core/selection';
import { verifyDraw, type VerifyCheckName, type VerifyEvidence } from '../../src/core/verify';
import { verifyEvent } from '../../src/core/verify-event';
import { EXCLUDED_AT, makeEventDraw, withRecord, type EventDraw } from '../helpers/event-draws';

// v3 draws at an event — tickets, people excluded, a winner who forfeits and the draw that
// replaces them — verified, then rigged in the ways an operator might try: a ticket count or an
// exclusion edited after the draw, a forfeit made up after the fact, a replacement that reuses a
// forfeited or excluded person. Each rig fails `verify` with a message that names it.

// Serials 1..20, 13 a hole; tickets 1 to 3.
const people: Employee[] = Array.from({ length: 20 }, (_, i) => i + 1)
  .filter((serial) => serial !== 13)
  .map((serial) => ({
    employee_id: `E${String(serial).padStart(2, '0')}`,
    employee_name: `Person ${serial}`,
    lottery_serial: serial,
    ...(serial % 3 === 0 ? {} : { tickets: 1 + (serial % 3) }),
  }));
const person = (id: string) => people.find((each) => each.employee_id === id)!;

const BOARD: Exclusion = {
  employee_id: 'E05',
  lottery_serial: 5,
  reason: 'board member',
  since: '2026-11-29T09:00:00.000Z',
  source: 'command',
};
const ORGANISER: Exclusion = {
  employee_id: 'E11',
  lottery_serial: 11,
  reason: 'not eligible in staff.csv',
  since: '2026-11-29T08:00:00.000Z',
  source: 'file',
};
const exclusions = [BOARD, ORGANISER];

const seedOf = (i: number) => `5eed${String(i).padStart(60, '0')}`;
const check = (evidence: VerifyEvidence, name: VerifyCheckName) =>
  verifyDraw(evidence).checks.find((each) => each.name === name);
const failing = (evidence: VerifyEvidence) =>
  verifyDraw(evidence).checks.filter((each) => !each.ok);

let first: EventDraw;
let forfeited: Forfeit;
let replacement: EventDraw;

beforeAll(async () => {
  // The first seed whose draw passes over someone for their ticket number: the record has a
  // rejection to rig.
  for (let i = 0; ; i++) {
    first = await makeEventDraw({ drawId: 'draw-1', people, exclusions, seed: seedOf(i), k: 3 });
    if (first.record.candidates.some((candidate) => candidate.skipped === 'rejected')) break;
  }
  const gone = first.result.winners[1]!;
  forfeited = {
    draw_id: 'draw-1',
    employee_id: gone.employee_id,
    employee_name: gone.employee_name,
    lottery_serial: gone.lottery_serial,
    prize: 'Kettle',
    reason: 'not present',
    forfeited_at: '2026-11-29T10:05:00.000Z',
    eligible_again: false,
    replacement_draw_id: 'draw-2',
  };
  replacement = await makeEventDraw({
    drawId: 'draw-2',
    people,
    exclusions,
    won: first.result.winners.map((winner) => winner.lottery_serial!),
    forfeits: [forfeited],
    replaces: forfeited,
    seed: seedOf(100),
    k: 1,
    selectedAt: '2026-11-29T10:05:03.000Z',
    startedAt: new Date('2026-11-29T10:05:02.000Z'),
  });
  replacement = {
    ...replacement,
    result: { ...replacement.result, replaces: undefined },
  };
});

describe('an honest draw at an event', () => {
  it('verifies, saying what tickets, exclusions and forfeits it had', () => {
    const verified = verifyDraw(first);
    expect(verified.ok).toBe(true);
    expect(first.record.algorithm).toBe(SELECTION_ALGORITHM);
    const selection = check(first, 'selection')!.detail;
    expect(selection).toMatch(
      /^seed and candidates give E\d\d, E\d\d, E\d\d \(attempt 1\), after passing over .*\d+ whose ticket numbers? (was|were) not below their tickets.*, as drawn$/,
    );
    expect(check(first, 'people')?.detail).toMatch(
      /^the \d+ candidate serials, their tickets and the winners' names are as the draw saw them$/,
    );
    expect(check(first, 'exclusions')).toEqual({
      name: 'exclusions',
      ok: true,
      detail:
        '2 people excluded ("board member", "not eligible in staff.csv"), none among the candidates; version 1 of the exclusions, as the backend still keeps them',
    });
    expect(check(first, 'forfeits')).toEqual({
      name: 'forfeits',
      ok: true,
      detail: 'no forfeits in force',
    });
  });

  it('a replacement verifies: it names the forfeit, recorded before it started, and left out everyone it had to', () => {
    expect(failing(replacement)).toEqual([]);
    expect(check(replacement, 'forfeits')).toEqual({
      name: 'forfeits',
      ok: true,
      detail: `replaces ${forfeited.employee_id} (${forfeited.employee_name}) of draw draw-1, who forfeited "not present", recorded 2 s before this draw started (Step Functions' clock); 1 forfeit in force, 1 of them kept out of the candidates`,
    });
  });

  it('a replacement whose execution history is gone verifies with a warning that the start could not be compared', () => {
    const forgotten = { ...replacement, startedAt: undefined };
    expect(verifyDraw(forgotten).ok).toBe(true);
    expect(check(forgotten, 'forfeits')).toMatchObject({
      ok: true,
      warning: true,
      detail: expect.stringContaining(
        "recorded at 2026-11-29T10:05:00.000Z; the execution's start time was not read",
      ),
    });
  });

  it('someone who forfeited and may win again is in the running for later draws', async () => {
    const again = { ...forfeited, eligible_again: true };
    const later = await makeEventDraw({
      drawId: 'draw-3',
      people,
      forfeits: [again],
      seed: seedOf(7),
      k: 16,
      selectedAt: '2026-11-29T10:10:00.000Z',
    });
    expect(later.result.winners.map((winner) => winner.employee_id)).toContain(
      forfeited.employee_id,
    );
    expect(failing(later)).toEqual([]);
    expect(check(later, 'forfeits')?.detail).toBe(
      '1 forfeit in force, 0 of them kept out of the candidates',
    );
  });

  it('a draw made before exclusions and forfeits existed has neither check', () => {
    const older = withRecord(first, {
      pool: { ...first.record.pool, exclusions: undefined, forfeits: undefined },
    });
    const names = verifyDraw(older).checks.map((each) => each.name);
    expect(names).not.toContain('exclusions');
    expect(names).not.toContain('forfeits');
  });

  it('a later version of the exclusions, dated after the draw, is none of its business', () => {
    const later = {
      ...first,
      exclusions: [
        ...first.exclusions!,
        { version: 2, updated_at: '2026-11-29T11:00:00.000Z', change: 'included again E05' },
      ],
    };
    expect(check(later, 'exclusions')?.ok).toBe(true);
  });

  it('a draw with nobody excluded says so, with the version it used', async () => {
    const none = await makeEventDraw({ drawId: 'draw-n', people, seed: seedOf(2), k: 1 });
    expect(check(none, 'exclusions')?.detail).toBe(
      'nobody was excluded from the event when the draw ran (version 0 of the exclusions, as the backend still keeps them)',
    );
  });
});

describe('a rigged event draw does not verify, and the message names the rig', () => {
  it("a winner's ticket count raised in the employee table after the draw", () => {
    const winner = first.result.winners[0]!;
    const edited = { ...person(winner.employee_id), tickets: 3 };
    const before = first.record.candidates.find(
      (candidate) => candidate.employee_id === winner.employee_id,
    )!.tickets;
    const rigged = {
      ...first,
      peopleBySerial: new Map([...first.peopleBySerial, [edited.lottery_serial, edited]]),
    };
    expect(before).not.toBe(3);
    expect(check(rigged, 'people')).toEqual({
      name: 'people',
      ok: false,
      detail: `${winner.employee_id} had ${before} ticket${before === 1 ? '' : 's'} at the draw and has 3 now`,
    });
  });

  it('a ticket count changed after the draw but the pool loaded again since: shown as a change', () => {
    const winner = first.result.winners[0]!;
    const edited = { ...person(winner.employee_id), tickets: 3 };
    const reseeded = {
      ...first,
      statsVersion: 8,
      peopleBySerial: new Map([...first.peopleBySerial, [edited.lottery_serial, edited]]),
    };
    expect(check(reseeded, 'people')).toMatchObject({ ok: true, warning: true });
  });

  it('a rejected proposal turned into a win by raising the tickets in the record: the table says otherwise', () => {
    const index = first.record.candidates.findIndex(
      (candidate) => candidate.skipped === 'rejected',
    );
    const rejected = first.record.candidates[index]!;
    const candidates = first.record.candidates
      .slice(0, index + 1)
      .map((candidate, at) =>
        at === index ? { ...candidate, tickets: 3, skipped: undefined } : candidate,
      );
    const winners = [
      ...first.record.winners.filter((winner) =>
        candidates.some(
          (candidate) => candidate.employee_id === winner.employee_id && !candidate.skipped,
        ),
      ),
      {
        employee_id: rejected.employee_id!,
        employee_name: person(rejected.employee_id!).employee_name,
        lottery_serial: rejected.serial,
      },
    ];
    const rigged = withRecord(first, { candidates, winners });
    const problems = failing({ ...rigged, input: JSON.stringify({ input: winners.length }) });
    expect(problems.map((each) => each.name)).toContain('people');
    expect(check(rigged, 'people')?.detail).toContain(
      `${rejected.employee_id} had 3 tickets at the draw and has ${person(rejected.employee_id!).tickets ?? 1} now`,
    );
  });

  it('a rejection recorded as a win, tickets left alone: the rule says otherwise', () => {
    const index = first.record.candidates.findIndex(
      (candidate) => candidate.skipped === 'rejected',
    );
    const rejected = first.record.candidates[index]!;
    const candidates = first.record.candidates.map((candidate, at) =>
      at === index ? { ...candidate, skipped: undefined } : candidate,
    );
    expect(check(withRecord(first, { candidates }), 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `proposal ${index + 1} (serial ${rejected.serial} with ticket number ${rejected.ticket}: ${rejected.employee_id}, ${rejected.tickets} ticket${rejected.tickets === 1 ? '' : 's'}) is a ticket number not below their tickets by the rule, but the record says a win`,
    });
  });

  it('a win recorded as a rejection', () => {
    const index = first.record.candidates.findIndex((candidate) => !candidate.skipped);
    const candidates = first.record.candidates.map((candidate, at) =>
      at === index ? { ...candidate, skipped: 'rejected' as const } : candidate,
    );
    expect(check(withRecord(first, { candidates }), 'selection')?.detail).toMatch(
      new RegExp(
        `^proposal ${index + 1} \\(.*\\) is a win by the rule, but the record says a ticket number not below their tickets$`,
      ),
    );
  });

  it('a ticket number edited in the record', () => {
    const candidates = first.record.candidates.map((candidate, at) =>
      at === 0 ? { ...candidate, ticket: (candidate.ticket! + 1) % 3 } : candidate,
    );
    const original = first.record.candidates[0]!;
    expect(check(withRecord(first, { candidates }), 'selection')?.detail).toBe(
      `proposal 1 of the seed is serial ${original.serial} with ticket number ${original.ticket}, but the record says serial ${original.serial} with ticket number ${(original.ticket! + 1) % 3}`,
    );
  });

  it("a person's tickets in the record above the draw's largest count", () => {
    const candidates = first.record.candidates.map((candidate, at) =>
      at === 0 ? { ...candidate, tickets: 4 } : candidate,
    );
    expect(check(withRecord(first, { candidates }), 'selection')?.detail).toBe(
      `${candidates[0]!.employee_id} had 4 tickets in proposal 1: a count from 1 to the draw's largest, 3, is the rule, so their chance was not their share`,
    );
  });

  it.each([0, 11, 2.5, undefined])("the draw's largest ticket count is %s", (maxTickets) => {
    const rigged = withRecord(first, { pool: { ...first.record.pool, max_tickets: maxTickets } });
    expect(check(rigged, 'selection')?.detail).toBe(
      `the record's largest ticket count is ${maxTickets}: it must be a whole number from 1 to 10`,
    );
  });

  const version1 = (list: readonly Exclusion[]) => ({
    ...first,
    exclusions: [{ version: 1, updated_at: EXCLUDED_AT, change: 'excluded', exclusions: list }],
  });

  it('an exclusion removed from the version the draw used, after the draw', () => {
    expect(check(version1([ORGANISER]), 'exclusions')).toEqual({
      name: 'exclusions',
      ok: false,
      detail: `the exclusion of E05 (serial 5, "board member", since ${BOARD.since}) was removed from version 1 after the draw`,
    });
  });

  it("an exclusion's reason changed after the draw", () => {
    expect(
      check(version1([{ ...BOARD, reason: 'on leave' }, ORGANISER]), 'exclusions')?.detail,
    ).toBe(
      `the exclusion of E05 (serial 5, "board member", since ${BOARD.since}) was changed in version 1 after the draw: it now says E05 (serial 5, "on leave", since ${BOARD.since})`,
    );
  });

  it('an exclusion added to the version the draw used, to explain why someone did not win', () => {
    const added: Exclusion = { ...BOARD, employee_id: 'E02', lottery_serial: 2, reason: 'staff' };
    expect(check(version1([...exclusions, added]), 'exclusions')?.detail).toBe(
      `the exclusion of E02 (serial 2, "staff", since ${BOARD.since}) was added to version 1 after the draw`,
    );
  });

  it('a version dated before the draw that the draw did not use: recorded after the fact', () => {
    const rigged = {
      ...first,
      exclusions: [
        ...first.exclusions!,
        { version: 2, updated_at: '2026-11-29T09:59:00.000Z', change: 'excluded E02: staff' },
      ],
    };
    expect(check(rigged, 'exclusions')?.detail).toBe(
      'version 2 of the exclusions (excluded E02: staff) is dated 2026-11-29T09:59:00.000Z, before the draw, but the draw used version 1: it was recorded after the fact',
    );
  });

  it('the version the draw used is gone', () => {
    expect(check({ ...first, exclusions: [] }, 'exclusions')?.detail).toBe(
      'version 1 of the exclusions, which the draw used, is gone from the backend',
    );
  });

  it('an excluded person left among the candidates, the record made to agree', async () => {
    const loose = await makeEventDraw({
      drawId: 'draw-x',
      people,
      exclusions,
      seed: seedOf(3),
      k: 18,
      space: { mode: 'serial-space', serialSpace: 20, excluded: [11] },
    });
    expect(check(loose, 'exclusions')).toEqual({
      name: 'exclusions',
      ok: false,
      detail: 'E05 was excluded ("board member"), but won this draw',
    });
    const list = await makeEventDraw({
      drawId: 'draw-y',
      people,
      exclusions,
      seed: seedOf(3),
      k: 1,
      space: { mode: 'serial-list', serials: [1, 2, 5, 11] },
      selectedAt: '2026-11-29T10:00:00.000Z',
    });
    const winner = list.result.winners[0]!.employee_id;
    expect(check(list, 'exclusions')?.detail).toBe(
      [
        winner === 'E05'
          ? 'E05 was excluded ("board member"), but won this draw'
          : 'E05 was excluded ("board member"), but serial 5 was among the candidates',
        winner === 'E11'
          ? 'E11 was excluded ("not eligible in staff.csv"), but won this draw'
          : 'E11 was excluded ("not eligible in staff.csv"), but serial 11 was among the candidates',
      ].join('; '),
    );
  });

  it("the record's exclusions cannot be read", () => {
    const rigged = withRecord(first, {
      pool: {
        ...first.record.pool,
        exclusions: { ...storeExclusions({ version: 1, exclusions: [BOARD] }), count: 2 },
      },
    });
    expect(check(rigged, 'exclusions')?.detail).toBe(
      "the record's exclusions cannot be read: the stored exclusions are not a list of 2",
    );
  });

  it('a forfeit made up after the fact, naming an ordinary draw as its replacement', () => {
    const madeUp: Forfeit = { ...forfeited, replacement_draw_id: 'draw-1', draw_id: 'draw-0' };
    expect(check({ ...first, forfeits: [madeUp] }, 'forfeits')).toEqual({
      name: 'forfeits',
      ok: false,
      detail: `the forfeit of ${madeUp.employee_id} in draw draw-0 names this draw as its replacement, but the draw did not replace them: the forfeit was recorded after the fact`,
    });
  });

  it('a forfeit made up after the fact for a draw made before forfeits existed', () => {
    const older = withRecord(first, {
      pool: { ...first.record.pool, forfeits: undefined },
    });
    const madeUp: Forfeit = { ...forfeited, replacement_draw_id: 'draw-1', draw_id: 'draw-0' };
    expect(check({ ...older, forfeits: [madeUp] }, 'forfeits')?.ok).toBe(false);
  });

  it('a forfeit dated before the draw that the draw did not have', () => {
    const early: Forfeit = { ...forfeited, forfeited_at: '2026-11-29T09:59:00.000Z' };
    expect(check({ ...first, forfeits: [early] }, 'forfeits')?.detail).toBe(
      `the forfeit of ${early.employee_id} (forfeited "not present" in draw draw-1) is dated 2026-11-29T09:59:00.000Z, before the draw, but the draw did not have it: it was recorded after the fact`,
    );
  });

  it('a forfeit from before the last reset is not in force, and not missed', () => {
    const early: Forfeit = { ...forfeited, forfeited_at: '2026-11-29T09:00:00.000Z' };
    const afterReset = {
      ...first,
      forfeits: [early],
      resets: [{ at: '2026-11-29T09:30:00.000Z', draws: [] }],
    };
    expect(check(afterReset, 'forfeits')?.ok).toBe(true);
  });

  it('the forfeit recorded after the replacement started', () => {
    const late = { ...replacement, startedAt: new Date('2026-11-29T10:04:59.000Z') };
    expect(check(late, 'forfeits')?.detail).toBe(
      `the forfeit of ${forfeited.employee_id} is dated 2026-11-29T10:05:00.000Z, not before this draw started (2026-11-29T10:04:59.000Z by Step Functions' clock)`,
    );
  });

  it('the forfeit edited after the replacement: another reason', () => {
    const edited = { ...forfeited, reason: 'left early' };
    expect(check({ ...replacement, forfeits: [edited] }, 'forfeits')?.detail).toBe(
      [
        `the forfeit of ${forfeited.employee_id} (forfeited "not present" in draw draw-1) was changed after the draw: reason was "not present", is "left early"`,
        `the forfeit it replaces, ${forfeited.employee_id} (forfeited "not present" in draw draw-1), was changed after the draw: reason was "not present", is "left early"`,
      ].join('; '),
    );
  });

  it('the forfeit removed after the replacement', () => {
    expect(check({ ...replacement, forfeits: [] }, 'forfeits')?.detail).toBe(
      [
        `the forfeit of ${forfeited.employee_id} (forfeited "not present" in draw draw-1) was removed after the draw`,
        `the forfeit it replaces, ${forfeited.employee_id} (forfeited "not present" in draw draw-1), was removed after the draw`,
      ].join('; '),
    );
  });

  it('a replacement that reused the forfeited person', async () => {
    // Only the forfeited person and one other are left in the running.
    const reused = await makeEventDraw({
      drawId: 'draw-2',
      people,
      forfeits: [forfeited],
      replaces: forfeited,
      seed: seedOf(100),
      k: 1,
      selectedAt: '2026-11-29T10:05:03.000Z',
      startedAt: new Date('2026-11-29T10:05:02.000Z'),
      space: { mode: 'serial-list', serials: [forfeited.lottery_serial!] },
    });
    expect(reused.result.winners[0]?.employee_id).toBe(forfeited.employee_id);
    expect(check(reused, 'forfeits')?.detail).toBe(
      [
        `${forfeited.employee_id} had forfeited and may not win again, but won this draw`,
        `${forfeited.employee_id} is the winner this draw replaces, but won this draw`,
      ].join('; '),
    );
  });

  it('a replacement that left the other winners of the draw it replaces in the running', async () => {
    const others = first.result.winners.filter(
      (winner) => winner.employee_id !== forfeited.employee_id,
    );
    const loose = await makeEventDraw({
      drawId: 'draw-2',
      people,
      forfeits: [forfeited],
      replaces: forfeited,
      seed: seedOf(100),
      k: 1,
      selectedAt: '2026-11-29T10:05:03.000Z',
      startedAt: new Date('2026-11-29T10:05:02.000Z'),
      space: {
        mode: 'serial-list',
        serials: [...others.map((winner) => winner.lottery_serial!), 20].sort((a, b) => a - b),
      },
    });
    const detail = check({ ...loose, replaced: first.result }, 'forfeits')?.detail ?? '';
    for (const other of others)
      expect(detail).toMatch(
        new RegExp(
          `${other.employee_id} had won draw draw-1, but (won this draw|serial ${other.lottery_serial} was among the candidates)`,
        ),
      );
  });

  it('a replacement of someone who did not win the draw it names', () => {
    const notWinner = { ...replacement, replaced: { ...first.result, winners: [] } };
    expect(check(notWinner, 'forfeits')?.detail).toBe(
      `${forfeited.employee_id} is not a winner of draw draw-1`,
    );
    expect(check({ ...replacement, replaced: first.result }, 'forfeits')?.ok).toBe(true);
  });

  it('a forfeit that names another draw as its replacement', () => {
    const other = { ...forfeited, replacement_draw_id: 'draw-9' };
    const rigged = withRecord(
      { ...replacement, forfeits: [other] },
      { replaces: other, pool: { ...replacement.record.pool, forfeits: [other] } },
    );
    expect(check(rigged, 'forfeits')?.detail).toBe(
      `the forfeit of ${forfeited.employee_id} names draw draw-9 as its replacement, not this one`,
    );
  });

  it('a replacement started as an ordinary draw, or as the replacement of someone else', () => {
    expect(check({ ...replacement, input: '{"input":1}' }, 'forfeits')?.detail).toBe(
      `the record says the draw replaces ${forfeited.employee_id} of draw draw-1, but it was started as an ordinary draw`,
    );
    expect(
      check(
        {
          ...replacement,
          input: JSON.stringify({ input: 1, replaces: { draw_id: 'draw-1', employee_id: 'E99' } }),
        },
        'forfeits',
      )?.detail,
    ).toBe(
      `the record says the draw replaces ${forfeited.employee_id} of draw draw-1, but it was started to replace E99 of draw draw-1`,
    );
    expect(check({ ...replacement, input: 'not json' }, 'forfeits')?.ok).toBe(false);
  });

  it('a draw started as a replacement whose record replaces nobody', () => {
    const input = JSON.stringify({ input: 1, replaces: { draw_id: 'draw-0', employee_id: 'E01' } });
    expect(check({ ...first, input }, 'forfeits')?.detail).toBe(
      'the draw was started as a replacement, but its record replaces nobody: the forfeit was not found when it drew',
    );
  });
});

describe('the winners table of a draw whose winner forfeited', () => {
  const forfeitedRows = () =>
    first.rows.map((row) =>
      row.employee_id === forfeited.employee_id ? { ...row, status: 'forfeited' as const } : row,
    );

  it('accounts for the forfeited winner by the forfeit recorded', () => {
    const after = { ...first, rows: forfeitedRows(), forfeits: [forfeited] };
    expect(check(after, 'records')).toEqual({
      name: 'records',
      ok: true,
      detail: `the winners table holds exactly these 2 winners for this draw, with its prize and their serials, and ${forfeited.employee_id} who forfeited`,
    });
    // Eligible again and won later: the row is the later draw's now.
    const later = {
      ...after,
      rows: after.rows.filter((row) => row.employee_id !== forfeited.employee_id),
    };
    expect(check(later, 'records')?.ok).toBe(true);
  });

  it('a row marked forfeited without a forfeit recorded is an edit', () => {
    expect(check({ ...first, rows: forfeitedRows(), forfeits: [] }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `drawn but not recorded: ${forfeited.employee_id}; marked forfeited in the winners table, but no forfeit is recorded: ${forfeited.employee_id}`,
    });
  });

  it("another draw's forfeit of the same person says nothing about this draw's rows", () => {
    const elsewhere = { ...forfeited, draw_id: 'draw-0' };
    expect(check({ ...first, forfeits: [elsewhere] }, 'records')).toMatchObject({ ok: true });
    expect(check({ ...first, forfeits: [elsewhere] }, 'records')?.warning).toBeUndefined();
  });

  it('a forfeit whose row still says won: a redraw left unfinished, said as a warning', () => {
    expect(check({ ...first, forfeits: [forfeited] }, 'records')).toEqual({
      name: 'records',
      ok: true,
      warning: true,
      detail: `the winners table holds exactly these 2 winners for this draw, with its prize and their serials, and ${forfeited.employee_id} who forfeited; the forfeit of ${forfeited.employee_id} is recorded but the table still shows them as winners: run the same \`lottery redraw\` again to finish it`,
    });
  });
});

describe('verify --event', () => {
  const asEventDraw = (draw: EventDraw, startedAt: string) => ({
    result: draw.result,
    record: draw.record,
    verification: verifyDraw(draw),
    startedAt: new Date(startedAt),
  });
  const honest = () => [
    asEventDraw(first, '2026-11-29T09:59:59.000Z'),
    asEventDraw(replacement, '2026-11-29T10:05:02.000Z'),
  ];

  it('verifies each draw, reports every forfeit with its reason and replacement, and that no winner came back', () => {
    const event = verifyEvent(honest(), [{ forfeit: forfeited, replacementStatus: 'SUCCEEDED' }]);
    const winner = replacement.result.winners[0]!.employee_id;
    expect(event).toEqual({
      ok: true,
      draws: [
        { draw_id: 'draw-1', prize: 'Kettle', ok: true, failed: [] },
        { draw_id: 'draw-2', prize: 'Kettle', ok: true, failed: [] },
      ],
      forfeits: [
        {
          forfeit: forfeited,
          replacementStatus: 'SUCCEEDED',
          replacedBy: winner,
          ok: true,
          detail: `${forfeited.employee_id} (${forfeited.employee_name}) forfeited draw draw-1 at ${forfeited.forfeited_at}: "not present"; replaced by ${winner} in draw draw-2, which verifies`,
        },
      ],
      checks: [
        {
          name: 'records',
          ok: true,
          detail: 'no draw let in someone an earlier draw had made a winner (4 wins in 2 draws)',
        },
      ],
    });
  });

  it('a replacement that never started, is running or failed: said, without failing the event', () => {
    const [draw] = honest();
    const outcome = (status?: string) =>
      verifyEvent(
        [draw!],
        [{ forfeit: forfeited, ...(status ? { replacementStatus: status } : {}) }],
      ).forfeits[0];
    expect(outcome()?.detail).toMatch(
      /its replacement, draw draw-2, never started: run the same `lottery redraw` again to draw it$/,
    );
    expect(outcome('RUNNING')?.detail).toMatch(/draw draw-2, is still running$/);
    expect(outcome('FAILED')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/draw draw-2, ended FAILED: the place went back to the prize$/),
    });
  });

  it('a draw that does not verify fails the event, with its failed checks', () => {
    const rigged = { ...replacement, startedAt: new Date('2026-11-29T10:04:00.000Z') };
    const event = verifyEvent(
      [
        asEventDraw(first, '2026-11-29T09:59:59.000Z'),
        asEventDraw(rigged, '2026-11-29T10:04:00.000Z'),
      ],
      [{ forfeit: forfeited, replacementStatus: 'SUCCEEDED' }],
    );
    expect(event.ok).toBe(false);
    expect(event.draws[1]?.failed.map((check) => check.name)).toEqual(['forfeits']);
    expect(event.forfeits[0]).toMatchObject({
      ok: false,
      detail: expect.stringContaining('which does not verify'),
    });
  });

  it('a replacement draw that does not replace the forfeit naming it', () => {
    const other = { ...forfeited, employee_id: 'E99' };
    const event = verifyEvent(honest(), [{ forfeit: other, replacementStatus: 'SUCCEEDED' }]);
    expect(event.forfeits[0]).toMatchObject({
      ok: false,
      detail: expect.stringContaining('its replacement, draw draw-2, does not replace them'),
    });
  });

  it('a later draw that let in a winner of an earlier one (their row deleted): named', async () => {
    const winner = first.result.winners[0]!;
    const later = await makeEventDraw({
      drawId: 'draw-3',
      people,
      seed: seedOf(5),
      k: 1,
      selectedAt: '2026-11-29T11:00:00.000Z',
      space: { mode: 'serial-list', serials: [winner.lottery_serial!] },
    });
    const candidate = await makeEventDraw({
      drawId: 'draw-4',
      people,
      seed: seedOf(5),
      k: 1,
      selectedAt: '2026-11-29T11:00:00.000Z',
      space: { mode: 'serial-list', serials: [winner.lottery_serial!, 20] },
    });
    const event = verifyEvent(
      [
        asEventDraw(first, '2026-11-29T09:59:59.000Z'),
        asEventDraw(later, '2026-11-29T10:59:59.000Z'),
      ],
      [],
    );
    expect(event.ok).toBe(false);
    expect(event.checks[0]?.detail).toBe(
      `${winner.employee_id} won draw draw-1, and again draw draw-3`,
    );
    const loose = verifyEvent(
      [
        asEventDraw(first, '2026-11-29T09:59:59.000Z'),
        asEventDraw(candidate, '2026-11-29T10:59:59.000Z'),
      ],
      [],
    );
    const won = candidate.result.winners[0]!.employee_id;
    expect(loose.checks[0]?.detail).toBe(
      won === winner.employee_id
        ? `${winner.employee_id} won draw draw-1, and again draw draw-4`
        : `${winner.employee_id}, a winner of draw draw-1, was among the candidates of draw draw-4 (serial ${winner.lottery_serial})`,
    );
  });

  it('a winner who forfeited and was made eligible again may win a later draw', async () => {
    const again = { ...forfeited, eligible_again: true };
    const later = await makeEventDraw({
      drawId: 'draw-3',
      people,
      forfeits: [again],
      seed: seedOf(5),
      k: 1,
      selectedAt: '2026-11-29T11:00:00.000Z',
      space: { mode: 'serial-list', serials: [forfeited.lottery_serial!] },
    });
    const event = verifyEvent(
      [
        asEventDraw(first, '2026-11-29T09:59:59.000Z'),
        asEventDraw(later, '2026-11-29T10:59:59.000Z'),
      ],
      [{ forfeit: again }],
    );
    expect(event.checks[0]?.ok).toBe(true);
  });
});

describe('the details of the event checks', () => {
  it('a record whose exclusions cannot be read fails, and says why', () => {
    const rigged = withRecord(first, {
      pool: {
        ...first.record.pool,
        exclusions: { ...storeExclusions({ version: 1, exclusions: [BOARD] }), count: 3 },
      },
    });
    expect(check(rigged, 'exclusions')).toEqual({
      name: 'exclusions',
      ok: false,
      detail: "the record's exclusions cannot be read: the stored exclusions are not a list of 3",
    });
  });

  it('without what the backend keeps, the record is checked alone and says nothing of the backend', () => {
    const alone = { ...first, exclusions: undefined, forfeits: undefined };
    expect(check(alone, 'exclusions')).toEqual({
      name: 'exclusions',
      ok: true,
      detail:
        '2 people excluded ("board member", "not eligible in staff.csv"), none among the candidates; version 1 of the exclusions',
    });
    expect(
      check({ ...replacement, exclusions: undefined, forfeits: undefined }, 'forfeits')?.ok,
    ).toBe(true);
  });

  it('names one person, and at most three reasons', async () => {
    const one = await makeEventDraw({
      drawId: 'd',
      people,
      exclusions: [BOARD],
      seed: seedOf(1),
      k: 1,
    });
    expect(check(one, 'exclusions')?.detail).toMatch(/^1 person excluded \("board member"\)/);
    const reasons = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...BOARD,
        employee_id: `E1${i}`,
        lottery_serial: 10 + i,
        reason: `reason ${i}`,
      }));
    const three = await makeEventDraw({
      drawId: 'd',
      people,
      exclusions: reasons(3),
      seed: seedOf(1),
      k: 1,
    });
    expect(check(three, 'exclusions')?.detail).toMatch(
      /^3 people excluded \("reason 0", "reason 1", "reason 2"\), none/,
    );
    const four = await makeEventDraw({
      drawId: 'd',
      people,
      exclusions: reasons(4),
      seed: seedOf(1),
      k: 1,
    });
    expect(check(four, 'exclusions')?.detail).toMatch(
      /^4 people excluded \("reason 0", "reason 1", "reason 2" …\), none/,
    );
  });

  it('an input that is not a draw request replaces nobody', () => {
    expect(check({ ...replacement, input: 'null' }, 'forfeits')?.detail).toContain(
      'but it was started as an ordinary draw',
    );
    const half = JSON.stringify({ input: 1, replaces: { draw_id: 'draw-1' } });
    expect(check({ ...replacement, input: half }, 'forfeits')?.detail).toContain(
      'but it was started as an ordinary draw',
    );
  });

  it('names every field of a forfeit changed after the draw', () => {
    const edited = { ...forfeited, reason: 'left early', eligible_again: true };
    expect(check({ ...replacement, forfeits: [edited] }, 'forfeits')?.detail).toContain(
      'was changed after the draw: reason was "not present", is "left early", eligible_again was false, is true; the forfeit it replaces',
    );
  });

  it('a replacement of someone the draw it names did not make a winner, though it had others', () => {
    const others = first.result.winners.filter(
      (winner) => winner.employee_id !== forfeited.employee_id,
    );
    const original = { ...first.result, winners: others };
    expect(check({ ...replacement, replaced: original }, 'forfeits')?.detail).toBe(
      `${forfeited.employee_id} is not a winner of draw draw-1`,
    );
  });

  it('a replacement that reused the forfeited person is named once as such, not as a winner of the draw it replaces', async () => {
    const reused = await makeEventDraw({
      drawId: 'draw-2',
      people,
      forfeits: [forfeited],
      replaces: forfeited,
      seed: seedOf(100),
      k: 1,
      selectedAt: '2026-11-29T10:05:03.000Z',
      startedAt: new Date('2026-11-29T10:05:02.000Z'),
      space: { mode: 'serial-list', serials: [forfeited.lottery_serial!] },
    });
    expect(check({ ...reused, replaced: first.result }, 'forfeits')?.detail).toBe(
      [
        `${forfeited.employee_id} had forfeited and may not win again, but won this draw`,
        `${forfeited.employee_id} is the winner this draw replaces, but won this draw`,
      ].join('; '),
    );
  });

  it('a forfeit dated at the very moment the replacement started was not recorded before it', () => {
    const same = { ...replacement, startedAt: new Date(forfeited.forfeited_at) };
    expect(check(same, 'forfeits')?.ok).toBe(false);
  });

  it('says how long before the start the forfeit was recorded, in ms under a second', () => {
    const at = (ms: number) => ({
      ...replacement,
      startedAt: new Date(Date.parse(forfeited.forfeited_at) + ms),
    });
    expect(check(at(999), 'forfeits')?.detail).toContain(
      'recorded 999 ms before this draw started',
    );
    expect(check(at(1000), 'forfeits')?.detail).toContain('recorded 1 s before this draw started');
    expect(check(at(1449), 'forfeits')?.detail).toContain(
      'recorded 1.4 s before this draw started',
    );
  });

  it('another forfeit naming a replacement that replaces someone else: made up after the fact', () => {
    const other = { ...forfeited, employee_id: 'E99', replacement_draw_id: 'draw-2' };
    expect(check({ ...replacement, forfeits: [forfeited, other] }, 'forfeits')?.detail).toBe(
      [
        'the forfeit of E99 in draw draw-1 names this draw as its replacement, but the draw did not replace them: the forfeit was recorded after the fact',
        `the forfeit of E99 (forfeited "not present" in draw draw-1) is dated ${forfeited.forfeited_at}, before the draw, but the draw did not have it: it was recorded after the fact`,
      ].join('; '),
    );
  });

  it('two forfeits made up after the fact for a draw made before forfeits existed: both named', () => {
    const older = withRecord(first, { pool: { ...first.record.pool, forfeits: undefined } });
    const madeUp = ['E97', 'E98'].map((id) => ({
      ...forfeited,
      employee_id: id,
      replacement_draw_id: 'draw-1',
    }));
    expect(check({ ...older, forfeits: madeUp }, 'forfeits')?.detail).toBe(
      madeUp
        .map(
          (forfeit) =>
            `the forfeit of ${forfeit.employee_id} in draw draw-1 names this draw as its replacement, but the draw did not replace them: the forfeit was recorded after the fact`,
        )
        .join('; '),
    );
  });

  it('counts the forfeits in force', async () => {
    const second = { ...forfeited, employee_id: 'E17', lottery_serial: 17, eligible_again: true };
    const later = await makeEventDraw({
      drawId: 'draw-3',
      people,
      forfeits: [forfeited, second],
      seed: seedOf(9),
      k: 1,
      selectedAt: '2026-11-29T11:00:00.000Z',
    });
    expect(check(later, 'forfeits')?.detail).toBe(
      '2 forfeits in force, 1 of them kept out of the candidates',
    );
  });
});

describe('the details of verify --event', () => {
  const winnerOf = (draw: EventDraw) => draw.result.winners[0]!;
  const asEventDraw = (draw: EventDraw, startedAt: string) => ({
    result: draw.result,
    record: draw.record,
    verification: verifyDraw(draw),
    startedAt: new Date(startedAt),
  });
  /** A later draw whose only candidate is `serial`, selected at `selectedAt`. */
  const onlyCandidate = (serial: number, selectedAt: string, forfeits: Forfeit[] = []) =>
    makeEventDraw({
      drawId: 'draw-9',
      people,
      forfeits,
      seed: seedOf(9),
      k: 1,
      selectedAt,
      space: { mode: 'serial-list', serials: [serial] },
    });

  it('a winner made eligible again only after the later draw selected still counts against it', async () => {
    const gone = winnerOf(first);
    const freedLate = {
      ...forfeited,
      employee_id: gone.employee_id,
      eligible_again: true,
      forfeited_at: '2026-11-29T11:00:01.000Z',
    };
    const later = await onlyCandidate(gone.lottery_serial!, '2026-11-29T11:00:00.000Z');
    const event = verifyEvent(
      [
        asEventDraw(first, '2026-11-29T09:59:00.000Z'),
        asEventDraw(later, '2026-11-29T10:59:00.000Z'),
      ],
      [{ forfeit: freedLate }],
    );
    expect(event.checks[0]?.ok).toBe(false);
    const notFreed = {
      ...freedLate,
      eligible_again: false,
      forfeited_at: '2026-11-29T10:30:00.000Z',
    };
    expect(
      verifyEvent(
        [
          asEventDraw(first, '2026-11-29T09:59:00.000Z'),
          asEventDraw(later, '2026-11-29T10:59:00.000Z'),
        ],
        [{ forfeit: notFreed }],
      ).checks[0]?.ok,
    ).toBe(false);
  });

  it('a win recorded at the very moment a later draw selected is not held against it, nor a draw its own wins', async () => {
    const gone = winnerOf(first);
    const later = await onlyCandidate(gone.lottery_serial!, first.result.recorded_at);
    expect(
      verifyEvent(
        [
          asEventDraw(first, '2026-11-29T09:59:00.000Z'),
          asEventDraw(later, '2026-11-29T10:59:00.000Z'),
        ],
        [],
      ).checks[0]?.ok,
    ).toBe(true);
    // Clocks of two functions may disagree: a draw's own winners recorded "before" it selected.
    const skewed = {
      ...first,
      result: { ...first.result, recorded_at: '2026-11-29T09:00:00.000Z' },
    };
    expect(verifyEvent([asEventDraw(skewed, '2026-11-29T08:59:00.000Z')], []).checks[0]?.ok).toBe(
      true,
    );
  });

  it('a winner without a serial cannot be among the candidates; a draw without its record is left to its own checks', async () => {
    const noSerial = {
      ...first,
      result: {
        ...first.result,
        winners: first.result.winners.map(({ lottery_serial: _serial, ...winner }) => winner),
      },
    };
    // The later draw had the first winner's serial among its candidates, and drew someone else.
    const later = await onlyCandidate(20, '2026-11-29T11:00:00.000Z');
    const wide = asEventDraw(later, '2026-11-29T10:59:00.000Z');
    wide.verification = {
      ...wide.verification,
      space: { mode: 'serial-list', serials: [winnerOf(first).lottery_serial!, 20] },
    };
    expect(
      verifyEvent([asEventDraw(noSerial, '2026-11-29T09:59:00.000Z'), wide], []).checks[0]?.ok,
    ).toBe(true);
    expect(
      verifyEvent([asEventDraw(first, '2026-11-29T09:59:00.000Z'), wide], []).checks[0],
    ).toEqual({
      name: 'records',
      ok: false,
      detail: `${winnerOf(first).employee_id}, a winner of draw draw-1, was among the candidates of draw draw-9 (serial ${winnerOf(first).lottery_serial})`,
    });
    const unrecorded = { ...asEventDraw(later, '2026-11-29T10:59:00.000Z'), record: undefined };
    expect(
      verifyEvent([asEventDraw(first, '2026-11-29T09:59:00.000Z'), unrecorded], []).checks[0]?.ok,
    ).toBe(true);
  });

  it('lists the draws in the order they started, and names every winner let in again', async () => {
    const [a, b] = first.result.winners;
    const later = await makeEventDraw({
      drawId: 'draw-9',
      people,
      seed: seedOf(9),
      k: 2,
      selectedAt: '2026-11-29T11:00:00.000Z',
      space: { mode: 'serial-list', serials: [a!.lottery_serial!, b!.lottery_serial!] },
    });
    const event = verifyEvent(
      [
        asEventDraw(later, '2026-11-29T10:59:00.000Z'),
        asEventDraw(first, '2026-11-29T09:59:00.000Z'),
      ],
      [],
    );
    expect(event.draws.map((draw) => draw.draw_id)).toEqual(['draw-1', 'draw-9']);
    expect(event.checks[0]?.detail.split('; ')).toHaveLength(2);
    expect(event.ok).toBe(false);
  });

  it('one draw that does not verify fails the event, with no forfeit at all', () => {
    const rigged = withRecord(replacement, { seed: first.record.seed });
    const event = verifyEvent(
      [
        asEventDraw(first, '2026-11-29T09:59:59.000Z'),
        asEventDraw(rigged, '2026-11-29T10:05:02.000Z'),
      ],
      [],
    );
    expect(event.draws.map((draw) => draw.ok)).toEqual([true, false]);
    expect(event.checks[0]?.ok).toBe(true);
    expect(event.ok).toBe(false);
  });

  it('one forfeit gone wrong among good ones fails the event', () => {
    const drawn = [
      asEventDraw(first, '2026-11-29T09:59:59.000Z'),
      asEventDraw(replacement, '2026-11-29T10:05:02.000Z'),
    ];
    const strayed = { ...forfeited, employee_id: 'E99' };
    const event = verifyEvent(drawn, [{ forfeit: forfeited }, { forfeit: strayed }]);
    expect(event.forfeits.map((outcome) => outcome.ok)).toEqual([true, false]);
    expect(event.ok).toBe(false);
  });

  it('a replacement whose record is missing does not replace anyone; one that drew two names both', () => {
    const drawn = asEventDraw(replacement, '2026-11-29T10:05:02.000Z');
    expect(
      verifyEvent([{ ...drawn, record: undefined }], [{ forfeit: forfeited }]).forfeits[0]?.detail,
    ).toContain('its replacement, draw draw-2, does not replace them');
    const two = {
      ...drawn,
      result: { ...drawn.result, winners: [...drawn.result.winners, winnerOf(first)] },
    };
    expect(verifyEvent([two], [{ forfeit: forfeited }]).forfeits[0]?.detail).toContain(
      `replaced by ${winnerOf(replacement).employee_id}, ${winnerOf(first).employee_id} in draw draw-2`,
    );
  });

  it('says when the forfeited person may win again', () => {
    const again = { ...forfeited, eligible_again: true };
    expect(verifyEvent([], [{ forfeit: again }]).forfeits[0]?.detail).toContain(
      '"not present", may win again; its replacement',
    );
  });
});
