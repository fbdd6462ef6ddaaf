import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { tempHome } from './cli';
import { runMain } from './main';

// Shared by the scenarios of faults (test/cli) and interruptions (test/e2e): each runs in a fresh
// data directory seeded with the workshop's ten employees, and ends with the tables checked.
// Seeding and checking run in process (runMain) in both; an interruption itself needs a process.

export interface Winner {
  employee_id: string;
  employee_name: string;
  draw_id: string;
}

/** A fresh, seeded data directory for each test of the file that calls it. */
export function seededHomes(): { home: () => string } {
  let home = '';
  let cleanup = () => {};
  beforeEach(async () => {
    ({ home, cleanup } = tempHome());
    expect((await runMain(['seed'], { home })).code).toBe(0);
  });
  afterEach(() => cleanup());
  return { home: () => home };
}

/** LOTTERY_FAULTS for `plan`. */
export const faults = (plan: object) => ({ LOTTERY_FAULTS: JSON.stringify(plan) });
export const winnersIn = async (home: string) =>
  JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as Winner[];
export const outboxOf = (home: string) =>
  existsSync(join(home, 'outbox.jsonl'))
    ? readFileSync(join(home, 'outbox.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { Message: string })
    : [];
export const drawIdIn = (stderr: string) => /execution (\S+)\)/.exec(stderr)?.[1] as string;
/** `lottery employees count --json`, in-process. */
export const countsIn = async (home: string) =>
  JSON.parse((await runMain(['employees', 'count', '--json'], { home })).stdout) as {
    total: number;
    eligible: number;
    won: number;
    held_by_running_draws: number;
  };
