import { poolSummary, recordDigest, type SelectionRecord } from '../../src/core/audit';
import { poolDefinition } from '../../src/core/candidates';
import { announcementMessage, type DrawResult } from '../../src/core/draw';
import type { Employee } from '../../src/core/employees';
import {
  excludedSerials,
  storeExclusions,
  type Exclusion,
  type KeptVersion,
} from '../../src/core/exclusions';
import type { Forfeit } from '../../src/core/forfeits';
import { pickWeighted, withSerials } from '../../src/core/pool';
import { ProposalStream, SELECTION_ALGORITHM, type CandidateSpace } from '../../src/core/selection';
import type { VerifyEvidence } from '../../src/core/verify';

// v3 draws made the way Random Select Winners makes them — the winners, forfeits and exclusions
// in force left out of the candidates, tickets weighing each proposal — with everything `verify`
// reads, for the tests that rig them.

export interface EventDrawOptions {
  drawId: string;
  people: readonly Employee[];
  /** Serials of people who have won (or are held) before this draw. */
  won?: readonly number[];
  /** The exclusions in force: version 1 of them, written at EXCLUDED_AT (none: version 0). */
  exclusions?: readonly Exclusion[];
  forfeits?: readonly Forfeit[];
  /** The forfeit this draw replaces (one of `forfeits`). */
  replaces?: Forfeit;
  seed: string;
  k: number;
  selectedAt?: string;
  startedAt?: Date;
  /** The largest ticket count; the people's largest by default. */
  maxTickets?: number;
  /** The space as the draw takes it, when a test wants another one. */
  space?: CandidateSpace;
  prize?: string | null;
}

export type EventDraw = VerifyEvidence & { record: SelectionRecord; space: CandidateSpace };

/** When version 1 of the exclusions is written. */
export const EXCLUDED_AT = '2026-11-29T09:00:00.000Z';

export async function makeEventDraw(options: EventDrawOptions): Promise<EventDraw> {
  const selectedAt = options.selectedAt ?? '2026-11-29T10:00:00.000Z';
  const bySerial = new Map(options.people.map((person) => [person.lottery_serial, person]));
  const exclusions = [...(options.exclusions ?? [])].sort((a, b) =>
    a.employee_id < b.employee_id ? -1 : 1,
  );
  const version = exclusions.length > 0 ? 1 : 0;
  const versions: KeptVersion[] =
    version > 0 ? [{ version, updated_at: EXCLUDED_AT, change: 'excluded', exclusions }] : [];
  const forfeits = [...(options.forfeits ?? [])];
  const barred = [
    ...excludedSerials(exclusions),
    ...forfeits.flatMap((forfeit) =>
      forfeit.eligible_again || forfeit.lottery_serial === undefined
        ? []
        : [forfeit.lottery_serial],
    ),
    ...(options.replaces?.lottery_serial === undefined ? [] : [options.replaces.lottery_serial]),
  ];
  const maxSerial = Math.max(...options.people.map((person) => person.lottery_serial));
  const space: CandidateSpace = options.space ?? {
    mode: 'serial-space',
    serialSpace: maxSerial,
    excluded: withSerials(options.won ?? [], barred),
  };
  const maxTickets =
    options.maxTickets ?? Math.max(...options.people.map((person) => person.tickets ?? 1));
  const picked = await pickWeighted(
    new ProposalStream(space, options.seed, 1, maxTickets),
    options.k,
    async (serials) =>
      new Map(
        serials.flatMap((serial) =>
          bySerial.has(serial) ? [[serial, bySerial.get(serial)!] as const] : [],
        ),
      ),
    () => false,
    (missing) => missing * 3,
  );
  const winners = picked.winners.map(({ employee_id, employee_name, lottery_serial }) => ({
    employee_id,
    employee_name,
    lottery_serial,
  }));
  const prize = options.prize === undefined ? 'Kettle' : options.prize;
  const excludedCount = space.mode === 'serial-space' ? space.excluded.length : 0;
  const record: SelectionRecord = {
    draw_id: options.drawId,
    attempt: 1,
    algorithm: SELECTION_ALGORITHM,
    seed: options.seed,
    seed_source: 'generated',
    prize,
    selected_at: selectedAt,
    pool: poolDefinition(space, {
      total: options.people.length,
      eligible: options.people.length - excludedCount,
      stats_version: 7,
      max_tickets: maxTickets,
      exclusions: storeExclusions({ version, exclusions }),
      forfeits,
    }),
    candidates: picked.candidates,
    winners,
    ...(options.replaces ? { replaces: options.replaces } : {}),
  };
  const result: DrawResult = {
    draw_id: options.drawId,
    prize,
    winners,
    recorded_at: selectedAt.replace('00.000Z', '01.000Z'),
    audit: {
      seed: options.seed,
      seed_source: 'generated',
      attempt: 1,
      pool: poolSummary(record),
      record_digest: recordDigest(record),
    },
    message: announcementMessage(winners, prize),
    announcement: { status: 'SENT', message_id: 'm-1' },
  };
  const input = {
    input: options.k,
    prize,
    ...(options.replaces
      ? {
          replaces: {
            draw_id: options.replaces.draw_id,
            employee_id: options.replaces.employee_id,
          },
        }
      : {}),
  };
  return {
    record,
    space,
    input: JSON.stringify(input),
    result,
    records: new Map([[1, record]]),
    rows: winners.map((winner) => ({
      ...winner,
      draw_id: options.drawId,
      prize,
      status: 'won' as const,
    })),
    resets: [],
    peopleBySerial: bySerial,
    winnersNow: new Map(options.people.map((person) => [person.employee_id, person])),
    statsVersion: 7,
    exclusions: versions,
    forfeits,
    startedAt: options.startedAt ?? new Date(Date.parse(selectedAt) - 500),
  };
}

/** The evidence with its record changed and re-digested, as a rigger who edits both leaves it. */
export function withRecord(draw: EventDraw, change: Partial<SelectionRecord>): EventDraw {
  const record = { ...draw.record, ...change };
  const winners = change.winners ?? draw.result.winners;
  return {
    ...draw,
    record,
    records: new Map([[record.attempt, record]]),
    result: {
      ...draw.result,
      winners,
      audit: {
        ...draw.result.audit,
        pool: poolSummary(record),
        record_digest: recordDigest(record),
      },
    },
  };
}
