import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DrawResult } from '../../src/core/draw';
import { runCli, serveCli, tempHome } from '../helpers/cli';

// Two hosts press redraw for the same absent winner at the same moment, from two processes
// sharing one `lottery local serve`: exactly one forfeit is recorded and one replacement drawn;
// the other host is told which replacement draw already runs, and shows it.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

describe('two hosts press redraw at once', () => {
  it('one forfeit, one replacement, the plan credited once; the other host follows that replacement', async () => {
    const server = await serveCli(home);
    try {
      expect((await runCli(['seed'], { home })).code).toBe(0);
      const plan = join(home, 'plan.csv');
      writeFileSync(plan, 'prize,count\nKettle,2\n');
      expect((await runCli(['prizes', 'load', plan], { home })).code).toBe(0);
      const first = JSON.parse(
        (await runCli(['draw', '--next', '--name', 'kettle', '--json'], { home })).stdout,
      ) as DrawResult;
      const absent = first.winners[0]!.employee_id;

      const [one, two] = await Promise.all(
        ['not present', 'left early'].map((reason) =>
          runCli(['redraw', 'kettle', absent, '--reason', reason, '--json'], {
            home,
            timeoutMs: 60_000,
          }),
        ),
      );
      for (const result of [one!, two!]) expect(result.code, result.stderr).toBe(0);
      const told = [one!, two!].filter((result) =>
        result.stderr.includes(`warning: ${absent} forfeited draw kettle already, at `),
      );
      expect(told).toHaveLength(1);
      const replacements = [one!, two!].map(
        (result) => (JSON.parse(result.stdout) as DrawResult).draw_id,
      );
      expect(replacements[0]).toBe(replacements[1]);
      expect(told[0]!.stderr).toContain(`its replacement is draw ${replacements[0]}`);

      const draws = JSON.parse((await runCli(['draws', 'list', '--json'], { home })).stdout) as {
        draw_id: string;
        replaces: { employee_id: string } | null;
      }[];
      expect(draws.filter((draw) => draw.replaces !== null)).toEqual([
        expect.objectContaining({
          draw_id: replacements[0],
          replaces: expect.objectContaining({ employee_id: absent }),
        }),
      ]);
      const entries = JSON.parse(
        (await runCli(['winners', 'list', '--json'], { home })).stdout,
      ) as {
        status: string;
      }[];
      expect(entries.filter((entry) => entry.status === 'forfeited')).toHaveLength(1);
      expect(entries.filter((entry) => entry.status === 'won')).toHaveLength(2);
      const prizes = JSON.parse((await runCli(['prizes', '--json'], { home })).stdout) as {
        drawn: number;
        remaining: number;
        forfeited: number;
      }[];
      expect(prizes[0]).toMatchObject({ drawn: 2, remaining: 0, forfeited: 1 });
      const event = await runCli(['verify', '--event'], { home });
      expect(event.code, event.stdout).toBe(0);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
