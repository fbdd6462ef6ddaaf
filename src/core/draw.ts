import * as z from 'zod/mini';
import { checkJson, isObject } from './parse';
import { CONTROL_CHARS, describeControl } from './printable';

// The shapes a draw carries through the state machine, and the checks on what starts one.
// Field names follow the workshop (`input`, `num_of_winners`, `winner_details`, `status`, `sns`).

import type { BeaconBody } from './beacon';
import type { Replaces } from './forfeits';
import { oneOrMany, plural } from './plural';

export const MAX_WINNERS_PER_DRAW = 500;
export const MAX_PRIZE_LENGTH = 100;
/** Selection attempts before a draw that keeps losing races to concurrent draws gives up. */
export const MAX_SELECTION_ATTEMPTS = 10;

export interface WinnerDetail {
  employee_id: string;
  employee_name: string;
  lottery_serial?: number;
  department?: string;
  email?: string;
}

/**
 * The pool a draw picked from, as its output and the draw view show it (the audit record has it
 * all).
 */
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
  /**
   * The execution running the draw: claims carry it, so that anyone can ask whether it still runs.
   */
  execution_arn: string;
  num_of_winners: number;
  prize: string | null;
  /** How many places of its prize Reserve Prize holds for the draw; absent when it holds none. */
  prize_hold?: number;
  seed: string;
  /**
   * 'caller' when the seed was given with the request: whoever chose it could have chosen the
   * outcome.
   */
  seed_source: SeedSource;
  requested_at: string;
  attempt: number;
  winner_details?: WinnerDetail[];
  pool?: PoolSummary;
  /** The digest of this attempt's audit record in the draws table. */
  record_digest?: string;
  /** A beacon draw's commitment, then its verified round. */
  beacon?: BeaconBody;
  /**
   * A replacement draw: the forfeited winner it replaces (the request's ids; Random Select Winners
   * adds the rest from the forfeit it finds).
   */
  replaces?: Replaces | ReplacedWinner;
}

/** 'beacon': the randomness of a drand round the draw committed to before it existed. */
export type SeedSource = 'generated' | 'caller' | 'beacon';

export interface DrawAudit {
  seed: string;
  seed_source: SeedSource;
  attempt: number;
  pool: PoolSummary;
  /**
   * The digest of the audit record kept in the draws table: `lottery verify` holds the two
   * together.
   */
  record_digest: string;
  /** A beacon draw's round and the digest of its commitment. */
  beacon?: { chain: string; round: number; commitment_digest: string };
}

/** What Record Winner Queue returns once every winner of the draw is recorded. */
export interface RecordedDraw {
  draw_id: string;
  prize: string | null;
  winners: WinnerDetail[];
  recorded_at: string;
  audit: DrawAudit;
  /**
   * A replacement draw: whom it replaces, and why they forfeited; null for any other draw (absent
   * from draws made before replacements existed).
   */
  replaces?: ReplacedWinner | null;
}

/** What a replacement draw's output says of the winner it replaces. */
export interface ReplacedWinner extends Replaces {
  employee_name: string;
  reason: string;
  forfeited_at: string;
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

/**
 * What Step Functions refuses in an execution name: whitespace, brackets, wildcards, some
 * punctuation, control characters.
 */
const FORBIDDEN_IN_NAMES = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;

export function isValidExecutionName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= 80 && !FORBIDDEN_IN_NAMES.test(name) && !CONTROL_CHARS.test(name);
}

const EXECUTION_ARN = /^arn:[^:]+:states:[^:]*:\d*:execution:[^:]+:([^:]+)$/;

// The draw request: the CLI parses its flags with these schemas, Input Lottery Winners parses the
// execution input with them, and a test holds the HTTPS API's request model to them.

const got = (issue: { input?: unknown }) => JSON.stringify(issue.input);
const wholeNumber = {
  error: (issue: { input?: unknown }) =>
    `the number of winners must be a whole number, got ${got(issue)}`,
};
const inRange = {
  error: (issue: { input?: unknown }) =>
    `the number of winners must be between 1 and ${MAX_WINNERS_PER_DRAW}, got ${got(issue)}`,
};

/**
 * A whole number of winners; text such as " 3 " (a flag, or the workshop's string input) is read as
 * one.
 */
export const winnersCountSchema = z.pipe(
  z.transform((raw: unknown) =>
    typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : raw,
  ),
  z.int(wholeNumber).check(z.minimum(1, inRange), z.maximum(MAX_WINNERS_PER_DRAW, inRange)),
);

export const prizeSchema = z
  .string({ error: (issue) => `the prize must be text, got ${got(issue)}` })
  .check(
    z.trim(),
    z.minLength(1, { error: 'the prize must not be empty' }),
    // A prize is printed on every `winners list` to come: ESC [2J in it would clear each one's
    // screen.
    z.refine((prize) => !CONTROL_CHARS.test(prize), {
      error: (issue) =>
        `the prize must not contain control characters; it holds ${describeControl(String(issue.input))}`,
    }),
    z.maxLength(MAX_PRIZE_LENGTH, {
      error: (issue) =>
        `the prize must be at most ${MAX_PRIZE_LENGTH} characters, got ${String(issue.input).length}`,
    }),
  );

const SEED_RULE = {
  error: 'the seed must be 32 to 128 hexadecimal digits (an even number of them)',
};
export const seedSchema = z.string(SEED_RULE).check(
  z.trim(),
  z.toLowerCase(),
  z.regex(/^[0-9a-f]{32,128}$/, SEED_RULE),
  z.refine((seed) => seed.length % 2 === 0, SEED_RULE),
);

const DRAW_NAME_RULE =
  'a draw name is 1 to 80 characters, without spaces or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /';
export const drawNameSchema = z
  .string()
  .check(z.refine(isValidExecutionName, { error: DRAW_NAME_RULE }));

/** A past draw, named by its id (the execution name) or its execution ARN. */
export const drawIdSchema = z.string().check(
  z.trim(),
  z.refine((id) => isValidExecutionName(EXECUTION_ARN.exec(id)?.[1] ?? id), {
    error: `not a draw id: ${DRAW_NAME_RULE}, or an execution ARN`,
  }),
);

const REPLACED_ID_RULE =
  'the employee id of the winner replaced must be 1 to 64 characters of text';
export const replacesSchema = z.object(
  {
    draw_id: drawIdSchema,
    employee_id: z
      .string({ error: REPLACED_ID_RULE })
      .check(
        z.trim(),
        z.minLength(1, { error: REPLACED_ID_RULE }),
        z.maxLength(64, { error: REPLACED_ID_RULE }),
      ),
  },
  { error: '"replaces" must be an object such as {"draw_id": "…", "employee_id": "…"}' },
);

/** The execution input: `{"input": N}` as in the workshop, plus optional fields. */
export const drawRequestSchema = z
  .object(
    {
      input: winnersCountSchema,
      prize: z.optional(z.nullable(prizeSchema)),
      seed: z.optional(z.nullable(seedSchema)),
      /**
       * Seed the draw from a public randomness beacon round that does not exist yet
       * (src/core/beacon.ts).
       */
      beacon: z.optional(
        z.boolean({ error: (issue) => `"beacon" must be true or false, got ${got(issue)}` }),
      ),
      /**
       * A replacement draw: the forfeited winner it replaces, whose forfeit must be recorded first.
       */
      replaces: z.optional(replacesSchema),
      /** Embedded backend only: a file that will hold the round, as drand publishes it. */
      beacon_round_file: z.optional(
        z.string({ error: 'the beacon round file must be an absolute path' }).check(
          z.refine((path) => path.startsWith('/') && path.length <= 4096, {
            error: 'the beacon round file must be an absolute path',
          }),
        ),
      ),
    },
    { error: 'the draw input must be a JSON object such as {"input": 2}' },
  )
  .check(
    z.refine((request) => !(request.beacon === true && request.seed), {
      error: 'a beacon draw takes its seed from the beacon: leave out the seed',
    }),
    z.refine((request) => request.beacon_round_file === undefined || request.beacon === true, {
      error: 'a beacon round file goes with a beacon draw ("beacon": true)',
    }),
    z.refine((request) => request.replaces === undefined || request.input === 1, {
      error: 'a replacement draw draws one winner ("input": 1)',
    }),
  );

export type DrawRequest = z.output<typeof drawRequestSchema>;

/**
 * How a request differs from the one an earlier draw of the same name was started with, in words
 * ("3 winners, not 2"); nothing when they agree. A draw that cannot be read differs in everything.
 */
export function requestDifferences(earlierInput: string | undefined, now: DrawRequest): string[] {
  const earlier = checkJson(drawRequestSchema, earlierInput);
  if (!earlier.ok) return ['an input that cannot be read'];
  const { input, prize, seed, beacon, replaces } = earlier.value;
  const differences: string[] = [];
  const replaced = (of: Replaces | undefined) =>
    of ? `the replacement of ${of.employee_id} in draw ${of.draw_id}` : 'an ordinary draw';
  if (replaced(replaces) !== replaced(now.replaces))
    differences.push(`${replaced(replaces)}, not ${replaced(now.replaces)}`);
  if (input !== now.input) differences.push(`${plural(input, 'winner')}, not ${now.input}`);
  if ((prize ?? null) !== (now.prize ?? null))
    differences.push(
      prize
        ? `the prize "${prize}", not ${now.prize ? `"${now.prize}"` : 'none'}`
        : `no prize, not "${now.prize}"`,
    );
  if ((seed ?? null) !== (now.seed ?? null))
    differences.push(
      seed ? (now.seed ? 'another seed' : 'a seed of its own') : 'a fresh random seed',
    );
  if ((beacon === true) !== (now.beacon === true))
    differences.push(
      beacon ? 'a beacon draw, not an ordinary one' : 'an ordinary draw, not a beacon draw',
    );
  return differences;
}

/** The announcement, in the workshop's words. */
export function announcementMessage(
  winners: readonly WinnerDetail[],
  prize: string | null,
): string {
  const names = winners.map((winner) => winner.employee_name).join(', ');
  const what = prize ? ` for ${prize}` : '';
  return `Congrats! [${names}] You have been selected as the ${oneOrMany(winners.length, 'Lucky Champ')}${what}!`;
}

/**
 * The readable part of a Step Functions error cause. On AWS a Lambda error's cause is a JSON
 * string with `errorMessage`; a Fail state's cause is whatever text the state was given.
 */
export function describeCause(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const message = (JSON.parse(cause) as { errorMessage?: unknown } | null)?.errorMessage;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the cause is already plain text.
  }
  return cause;
}

const winnerDetailSchema = z.looseObject({
  employee_id: z.string(),
  employee_name: z.string(),
  lottery_serial: z.optional(z.number()),
  department: z.optional(z.string()),
  email: z.optional(z.string()),
});

/**
 * The execution output of a successful draw, as read back from Step Functions. Its audit is only
 * checked to be an object: `verify` reads it.
 */
export const drawResultSchema: z.ZodMiniType<DrawResult> = z.looseObject({
  replaces: z.optional(
    z.nullable(
      z.looseObject({
        draw_id: z.string(),
        employee_id: z.string(),
        employee_name: z.string(),
        reason: z.string(),
        forfeited_at: z.string(),
      }),
    ),
  ),
  draw_id: z.string(),
  prize: z.nullable(z.string()),
  winners: z.array(winnerDetailSchema),
  recorded_at: z.string(),
  audit: z.custom<DrawAudit>(isObject),
  message: z.string(),
  announcement: z.looseObject({
    status: z.enum(['SENT', 'FAILED']),
    message_id: z.optional(z.string()),
    error: z.optional(z.string()),
    cause: z.optional(z.string()),
  }),
});
