import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../src/aws/clients';
import { getPrizePlan } from '../../src/aws/prize-plan';
import { DRAWS_TABLE, WINNERS_TABLE } from '../../src/core/names';
import { startLocalServer } from '../../src/local/server';
import { TABLES } from '../helpers/backend';
import { BIN, ROOT, interruptCli, serveCli } from '../helpers/cli';
import { runMain } from '../helpers/main';
import {
  countsIn,
  drawIdIn as drawId,
  faults,
  outboxOf,
  seededHomes,
  winnersIn,
} from '../helpers/scenarios';

// Draws and seeds interrupted: Ctrl-C at a command, and a process killed mid-draw, as processes of
// the built binary; what is checked after them runs in process (runMain). Each runs in a fresh
// seeded data directory and ends with the tables checked.

const { home: currentHome } = seededHomes();
let home: string;
beforeEach(() => {
  home = currentHome();
});
const winners = () => winnersIn(home);

describe('a draw whose process is killed', () => {
  /**
   * Starts a draw (`lottery ARGS`), kills its process (SIGKILL) once `state` has started, and
   * returns the draw's id.
   */
  async function killDuring(
    state: string,
    plan: object,
    args = ['draw', '-n', '2'],
  ): Promise<string> {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOTTERY_HOME: home, ...faults(plan) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr = await new Promise<string>((resolve) => {
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes(state)) resolve(text);
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    return drawId(stderr);
  }

  const count = () => countsIn(home);

  it('before its winners were recorded: is rolled back at once, holds nobody, and --attach says so', async () => {
    const id = await killDuring('Validate Winners', {
      tasks: [{ state: 'Record Winner Queue', delayMs: 5000 }],
    });
    expect(await count()).toMatchObject({ eligible: 10, won: 0, held_by_running_draws: 0 });
    const attached = await runMain(['draw', '--attach', id], { home });
    expect(attached.code).toBe(1);
    expect(attached.stderr).toContain(`error: draw ${id} was stopped`);
    const listed = JSON.parse((await runMain(['draws', 'list', '--json'], { home })).stdout) as {
      draw_id: string;
      status: string;
      winners: unknown[];
    }[];
    expect(listed.find((draw) => draw.draw_id === id)).toMatchObject({
      status: 'ABORTED',
      winners: [],
    });
    expect(await winners()).toEqual([]);
    const next = await runMain(['draw', '-n', '2'], { home });
    expect(next.code, next.stderr).toBe(0);
    expect(await count()).toMatchObject({ eligible: 8, won: 2, held_by_running_draws: 0 });
  });

  it('after its winners were recorded: is finished, its announcement still owed, and it verifies', async () => {
    const id = await killDuring('Record Winner Queue', {
      tasks: [{ state: 'Notify Winners', delayMs: 5000 }],
    });
    const attached = await runMain(['draw', '--attach', id], { home });
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stderr).toContain(
      `warning: the winners are recorded, but the announcement was not sent (Lottery.BackendStopped: the embedded backend stopped before the announcement was sent). Send it with \`lottery announce ${id}\``,
    );
    expect((await winners()).map((winner) => winner.draw_id)).toEqual([id, id]);
    expect(await count()).toMatchObject({ eligible: 8, won: 2, held_by_running_draws: 0 });
    const listed = JSON.parse((await runMain(['draws', 'list', '--json'], { home })).stdout) as {
      draw_id: string;
      status: string;
    }[];
    expect(listed.find((draw) => draw.draw_id === id)?.status).toBe('SUCCEEDED');
    expect((await runMain(['verify', id], { home })).code).toBe(0);
    const announced = await runMain(['announce', id], { home });
    expect(announced.code, announced.stderr).toBe(0);
    expect(outboxOf(home)).toHaveLength(1);
  });

  it("of a prize: is rolled back, and the prize's winners it held are given back in the plan itself", async () => {
    const plan = join(home, 'plan.csv');
    writeFileSync(plan, 'prize,count\nKettle,2\n');
    expect((await runMain(['prizes', 'load', plan], { home })).code).toBe(0);
    await killDuring(
      'Validate Winners',
      { tasks: [{ state: 'Record Winner Queue', delayMs: 5000 }] },
      ['draw', '--prize', 'Kettle'],
    );
    // The next command that reaches Step Functions settles the interrupted draw; the plan item must
    // then hold nothing for it.
    expect((await runMain(['draws', 'list'], { home })).code).toBe(0);
    const server = await startLocalServer({ home, tables: TABLES });
    const { doc, dynamodb } = await createDocumentClient({
      endpoint: server.url,
      region: 'local',
      credentials: server.credentials,
    });
    try {
      const stored = await getPrizePlan(doc, DRAWS_TABLE, WINNERS_TABLE);
      expect(stored?.prizes).toEqual([{ name: 'Kettle', count: 2, remaining: 2, holds: {} }]);
    } finally {
      dynamodb.destroy();
      await server.close();
    }
  });
});

describe('Ctrl-C', () => {
  const slowRecord = faults({ tasks: [{ state: 'Record Winner Queue', delayMs: 1500 }] });

  it('during a draw on a shared server: stops watching, exits 130, says how to follow; the draw completes', async () => {
    const server = await serveCli(home, slowRecord);
    try {
      const result = await interruptCli(['draw', '-n', '2'], {
        home,
        ready: (stderr) => stderr.includes('Validate Winners'),
      });
      expect(result.code).toBe(130);
      const id = drawId(result.stderr);
      expect(result.stderr).toContain(
        `error: stopped watching draw ${id}. It keeps running on the local server.`,
      );
      expect(result.stderr).toContain(`hint: follow it again with \`lottery draw --attach ${id}\``);
      const attached = await runMain(['draw', '--attach', id], { home });
      expect(attached.code).toBe(0);
      expect(attached.stderr).toMatch(/✔ Record Winner Queue\s+1\.\d s/);
      expect((await winners()).map((winner) => winner.draw_id)).toEqual([id, id]);
    } finally {
      await server.stop();
    }
  });

  it('during a draw run inside the command: says at once that it finishes first, lets it finish, exits 130', async () => {
    let saidAtOnce = false;
    const result = await interruptCli(['draw', '-n', '2'], {
      home,
      env: slowRecord,
      ready: (stderr) => stderr.includes('Validate Winners'),
      // The note comes while Record Winner Queue still sleeps: before the draw's end is shown.
      again: (stderr) => {
        if (stderr.includes('stopping: draw') && !stderr.includes('Record Winner Queue'))
          saidAtOnce = true;
        return false;
      },
    });
    expect(result.code).toBe(130);
    const id = drawId(result.stderr);
    expect(saidAtOnce).toBe(true);
    expect(result.stderr).toContain(
      `stopping: draw ${id} runs inside this command, so it finishes first; press Ctrl-C again to stop at once`,
    );
    expect(result.stderr).toContain(
      `stopped watching draw ${id}. It runs inside this command, so it is allowed to finish first.`,
    );
    expect((await winners()).map((winner) => winner.draw_id)).toEqual([id, id]);
  });

  it('twice during a draw run inside the command: stops at once, says what is left and how to see it end', async () => {
    const result = await interruptCli(['draw', '-n', '2'], {
      home,
      env: slowRecord,
      ready: (stderr) => stderr.includes('Validate Winners'),
      again: (stderr) => stderr.includes('stopping: draw'),
    });
    expect(result.code).toBe(130);
    const id = drawId(result.stderr);
    expect(result.stderr).toContain(
      `stopped at once, in the middle of draw ${id}. The next lottery command finishes it if its winners were recorded, or gives its people back`,
    );
    // The next command that looks settles it: rolled back here (Record Winner Queue never ran), and
    // nobody held.
    const attached = await runMain(['draw', '--attach', id], { home });
    expect(attached.code).toBe(1);
    expect(attached.stderr).toContain(`draw ${id} was stopped`);
    expect(await countsIn(home)).toMatchObject({ won: 0, held_by_running_draws: 0 });
  });

  it('during a seed: stops between batches, says how many were written, and the table holds exactly those', async () => {
    const file = join(home, 'big.csv');
    writeFileSync(
      file,
      `id,name\n${Array.from({ length: 3000 }, (_, i) => `B${i},Big ${i}`).join('\n')}\n`,
    );
    const slowWrites = faults({ dynamodb: [{ operation: 'BatchWriteItem', delayMs: 300 }] });
    const result = await interruptCli(['seed', '--file', file], {
      home,
      env: slowWrites,
      ready: (stderr) => stderr.includes('Target:'),
      delayMs: 800,
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(130);
    const written = Number(
      /interrupted after writing (\d+) of the 3000 employees in /.exec(result.stderr)?.[1],
    );
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(3000);
    expect(result.stderr).toContain('run the same seed again to write the rest');
    const count = await countsIn(home);
    expect(count.total).toBe(10 + written);
  });
});
