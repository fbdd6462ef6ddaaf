// The shapes a draw carries through the state machine, and the checks on what starts one.
// Field names follow the workshop (`input`, `num_of_winners`, `winner_details`, `status`, `sns`).

export const MAX_WINNERS_PER_DRAW = 500;
export const MAX_PRIZE_LENGTH = 100;
/** Selection attempts before a draw that keeps losing races to concurrent draws gives up. */
export const MAX_SELECTION_ATTEMPTS = 10;

/** The execution input: `{"input": N}` as in the workshop, plus optional fields. */
export interface DrawRequest {
  input: number;
  prize?: string;
  seed?: string;
}

export interface WinnerDetail {
  employee_id: string;
  employee_name: string;
  lottery_serial?: number;
  department?: string;
  email?: string;
}

/** The pool a draw picked from, as its output and the draw view show it (the audit record has it all). */
export interface PoolSummary {
  algorithm: string;
  mode: 'serial-space' | 'serial-list';
  /** People who could win when the draw was made. */
  size: number;
  /** Employees in the pool. */
  total: number;
  /** The candidates' digest (src/core/selection.ts). */
  digest: string;
}

/** The `body` passed between the Task states. */
export interface DrawBody {
  draw_id: string;
  /** The execution running the draw: claims carry it, so that anyone can ask whether it still runs. */
  execution_arn: string;
  num_of_winners: number;
  prize: string | null;
  seed: string;
  /** 'caller' when the seed was given with the request: whoever chose it could have chosen the outcome. */
  seed_source: SeedSource;
  requested_at: string;
  attempt: number;
  winner_details?: WinnerDetail[];
  pool?: PoolSummary;
  /** The digest of this attempt's audit record in the draws table. */
  record_digest?: string;
}

export type SeedSource = 'generated' | 'caller';

export interface DrawAudit {
  seed: string;
  seed_source: SeedSource;
  attempt: number;
  pool: PoolSummary;
  /** The digest of the audit record kept in the draws table: `lottery verify` holds the two together. */
  record_digest: string;
}

/** What Record Winner Queue returns once every winner of the draw is recorded. */
export interface RecordedDraw {
  draw_id: string;
  prize: string | null;
  winners: WinnerDetail[];
  recorded_at: string;
  audit: DrawAudit;
}

export interface Announcement {
  status: 'SENT' | 'FAILED';
  message_id?: string;
  error?: string;
  cause?: string;
}

/** The execution output of a successful draw. */
export interface DrawResult extends RecordedDraw {
  message: string;
  announcement: Announcement;
}

export type Check<T> = { ok: true; value: T } | { ok: false; error: string };

const SEED_PATTERN = /^[0-9a-f]{32,128}$/;

export function checkWinnersCount(raw: unknown): Check<number> {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  const value = typeof text === 'string' && /^[+-]?\d+$/.test(text) ? Number(text) : text;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return { ok: false, error: `the number of winners must be a whole number, got ${JSON.stringify(raw)}` };
  }
  if (value < 1 || value > MAX_WINNERS_PER_DRAW) {
    return { ok: false, error: `the number of winners must be between 1 and ${MAX_WINNERS_PER_DRAW}, got ${value}` };
  }
  return { ok: true, value };
}

export function checkPrize(raw: unknown): Check<string | null> {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (typeof raw !== 'string') return { ok: false, error: `the prize must be text, got ${JSON.stringify(raw)}` };
  const prize = raw.trim();
  if (prize === '') return { ok: false, error: 'the prize must not be empty' };
  if (prize.length > MAX_PRIZE_LENGTH) {
    return { ok: false, error: `the prize must be at most ${MAX_PRIZE_LENGTH} characters, got ${prize.length}` };
  }
  return { ok: true, value: prize };
}

export function checkSeed(raw: unknown): Check<string | null> {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  const seed = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!SEED_PATTERN.test(seed) || seed.length % 2 !== 0) {
    return { ok: false, error: 'the seed must be 32 to 128 hexadecimal digits (an even number of them)' };
  }
  return { ok: true, value: seed };
}

/** What Step Functions refuses in an execution name: whitespace, brackets, wildcards, some punctuation, control characters. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_NAMES = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function isValidExecutionName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= 80 && !FORBIDDEN_IN_NAMES.test(name);
}

export function checkDrawName(raw: string): Check<string> {
  return isValidExecutionName(raw)
    ? { ok: true, value: raw }
    : { ok: false, error: 'a draw name is 1 to 80 characters, without spaces or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /' };
}

/** Checks an execution input as the first Task receives it; the CLI runs the same checks first. */
export function checkDrawRequest(raw: unknown): Check<{ winners: number; prize: string | null; seed: string | null }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: 'the draw input must be a JSON object such as {"input": 2}' };
  }
  const request = raw as Record<string, unknown>;
  const winners = checkWinnersCount(request.input);
  if (!winners.ok) return winners;
  const prize = checkPrize(request.prize);
  if (!prize.ok) return prize;
  const seed = checkSeed(request.seed);
  if (!seed.ok) return seed;
  return { ok: true, value: { winners: winners.value, prize: prize.value, seed: seed.value } };
}

/** The announcement, in the workshop's words. */
export function announcementMessage(winners: readonly WinnerDetail[], prize: string | null): string {
  const names = winners.map((winner) => winner.employee_name).join(', ');
  const what = prize ? ` for ${prize}` : '';
  return `Congrats! [${names}] You have been selected as the Lucky Champ${winners.length === 1 ? '' : 's'}${what}!`;
}

/**
 * The readable part of a Step Functions error cause. On AWS a Lambda error's cause is a JSON
 * string with `errorMessage`; a Fail state's cause is whatever text the state was given.
 */
export function describeCause(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      const message = (parsed as { errorMessage: unknown }).errorMessage;
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not JSON: the cause is already plain text.
  }
  return cause;
}
