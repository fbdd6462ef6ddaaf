import { spawn } from 'node:child_process';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, interruptCli, runCli, serveCli, tempHome } from '../helpers/cli';

// Faults injected into the embedded backend with LOTTERY_FAULTS (a test-only switch: the code
// under test runs unchanged), each scenario ending with the tables checked.

let home: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ home, cleanup } = tempHome());
  expect((await runCli(['seed'], { home })).code).toBe(0);
});
afterEach(() => cleanup());

interface Winner {
  employee_id: string;
  employee_name: string;
  draw_id: string;
}
const faults = (plan: object) => ({ LOTTERY_FAULTS: JSON.stringify(plan) });
const winners = async () => JSON.parse((await runCli(['winners', 'list', '--json'], { home })).stdout) as Winner[];
const outbox = () => (existsSync(join(home, 'outbox.jsonl')) ? readFileSync(join(home, 'outbox.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { Message: string }) : []);
const drawId = (stderr: string) => /execution (\S+)\)/.exec(stderr)?.[1] as string;

describe('an announcement that fails', () => {
  it('leaves the winners recorded, says how to resend, and lottery announce sends it once', async () => {
    const drawn = await runCli(['draw', '-n', '2'], { home, env: faults({ tasks: [{ state: 'Notify Winners', error: 'SNS.InternalErrorException', message: 'SNS is down' }] }) });
    expect(drawn.code).toBe(0);
    const id = drawId(drawn.stderr);
    expect(drawn.stderr).toMatch(/✖ Notify Winners\s+\d+ ms\s+SNS\.InternalErrorException: SNS is down/);
    expect(drawn.stderr).toContain(`warning: the winners are recorded, but the announcement was not sent (SNS.InternalErrorException: SNS is down). Send it with \`lottery announce ${id}\``);
    const recorded = await winners();
    expect(recorded.map((winner) => winner.draw_id)).toEqual([id, id]);
    expect(outbox()).toEqual([]);

    const announced = await runCli(['announce', id], { home });
    expect(announced.code).toBe(0);
    const messages = outbox();
    expect(messages).toHaveLength(1);
    for (const winner of recorded) expect(messages[0]?.Message).toContain(winner.employee_name);

    const again = await runCli(['announce', id], { home });
    expect(again.code).toBe(252);
    expect(again.stderr).toContain(`error: draw ${id} was announced already`);
    expect(outbox()).toHaveLength(1);
  });
});

describe('a handler that fails once after doing its work', () => {
  it.each(['Validate Winners', 'Record Winner Queue'])('%s is retried and nobody is recorded twice', async (state) => {
    const drawn = await runCli(['draw', '-n', '2'], { home, env: faults({ tasks: [{ state, error: 'Lambda.ServiceException', message: 'the Lambda service failed', times: 1, after: true }] }) });
    expect(drawn.code).toBe(0);
    expect(drawn.stderr).toMatch(new RegExp(`↻ ${state}.*Lambda\\.ServiceException: the Lambda service failed — retrying \\(attempt 2\\)`));
    const recorded = await winners();
    expect(recorded).toHaveLength(2);
    expect(new Set(recorded.map((winner) => winner.employee_id)).size).toBe(2);
    expect(recorded.every((winner) => winner.draw_id === drawId(drawn.stderr))).toBe(true);
  });
});

describe('DynamoDB throttling', () => {
  it('seed and draw back off and finish', async () => {
    const file = join(home, 'more.csv');
    writeFileSync(file, `id,name\n${Array.from({ length: 300 }, (_, i) => `M${i},Member ${i}`).join('\n')}\n`);
    const throttled = faults({
      dynamodb: [
        { operation: 'BatchWriteItem', error: 'ProvisionedThroughputExceededException', times: 6 },
        { operation: 'Scan', error: 'ProvisionedThroughputExceededException', times: 4 },
      ],
    });
    const seeded = await runCli(['seed', '--file', file], { home, env: throttled });
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('300 new');
    const count = await runCli(['employees', 'count', '--json'], { home });
    expect(JSON.parse(count.stdout)).toMatchObject({ total: 310 });

    const drawn = await runCli(['draw', '-n', '3'], { home, env: throttled });
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(await winners()).toHaveLength(3);
  });
});

describe('a record step that fails after writing some winners', () => {
  it('ends with none of its winners recorded when it keeps failing', async () => {
    // The first UpdateItem (one winner recorded) goes through; every later one fails.
    const drawn = await runCli(['draw', '-n', '3'], { home, env: faults({ dynamodb: [{ operation: 'UpdateItem', error: 'InternalServerError', skip: 1 }] }) });
    expect(drawn.code).toBe(1);
    expect(drawn.stderr).toMatch(/✔ Release Winners\s+\d+ ms\s+claims released/);
    expect(drawn.stderr).toMatch(/error: draw \S+ failed at Record Winner Queue: /);
    expect(await winners()).toEqual([]);
    const count = JSON.parse((await runCli(['employees', 'count', '--json'], { home })).stdout) as { eligible: number };
    expect(count.eligible).toBe(10);
  });

  it('ends with all of them recorded when a retry gets through', async () => {
    // Two of the three writes fail through all 3 of the handler's SDK attempts; the retried task gets through.
    const drawn = await runCli(['draw', '-n', '3'], { home, env: faults({ dynamodb: [{ operation: 'UpdateItem', error: 'InternalServerError', skip: 1, times: 6 }] }) });
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(drawn.stderr).toMatch(/↻ Record Winner Queue/);
    const recorded = await winners();
    expect(recorded).toHaveLength(3);
    expect(new Set(recorded.map((winner) => winner.employee_id)).size).toBe(3);
  });
});

describe('a draw whose process is killed', () => {
  /** Starts a draw, kills its process (SIGKILL) once `state` has started, and returns the draw's id. */
  async function killDuring(state: string, plan: object): Promise<string> {
    const child = spawn(process.execPath, [BIN, 'draw', '-n', '2'], { cwd: ROOT, env: { ...process.env, LOTTERY_HOME: home, ...faults(plan) }, stdio: ['ignore', 'ignore', 'pipe'] });
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

  const count = async () => JSON.parse((await runCli(['employees', 'count', '--json'], { home })).stdout) as { eligible: number; held_by_running_draws: number; won: number };

  it('before its winners were recorded: is rolled back at once, holds nobody, and --attach says so', async () => {
    const id = await killDuring('Validate Winners', { tasks: [{ state: 'Record Winner Queue', delayMs: 5000 }] });
    expect(await count()).toMatchObject({ eligible: 10, won: 0, held_by_running_draws: 0 });
    const attached = await runCli(['draw', '--attach', id], { home });
    expect(attached.code).toBe(1);
    expect(attached.stderr).toContain(`error: draw ${id} was stopped`);
    const listed = JSON.parse((await runCli(['draws', 'list', '--json'], { home })).stdout) as { draw_id: string; status: string; winners: unknown[] }[];
    expect(listed.find((draw) => draw.draw_id === id)).toMatchObject({ status: 'ABORTED', winners: [] });
    expect(await winners()).toEqual([]);
    const next = await runCli(['draw', '-n', '2'], { home });
    expect(next.code, next.stderr).toBe(0);
    expect(await count()).toMatchObject({ eligible: 8, won: 2, held_by_running_draws: 0 });
  });

  it('after its winners were recorded: is finished, its announcement still owed, and it verifies', async () => {
    const id = await killDuring('Record Winner Queue', { tasks: [{ state: 'Notify Winners', delayMs: 5000 }] });
    const attached = await runCli(['draw', '--attach', id], { home });
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stderr).toContain(`warning: the winners are recorded, but the announcement was not sent (Lottery.BackendStopped: the embedded backend stopped before the announcement was sent). Send it with \`lottery announce ${id}\``);
    expect((await winners()).map((winner) => winner.draw_id)).toEqual([id, id]);
    expect(await count()).toMatchObject({ eligible: 8, won: 2, held_by_running_draws: 0 });
    const listed = JSON.parse((await runCli(['draws', 'list', '--json'], { home })).stdout) as { draw_id: string; status: string }[];
    expect(listed.find((draw) => draw.draw_id === id)?.status).toBe('SUCCEEDED');
    expect((await runCli(['verify', id], { home })).code).toBe(0);
    const announced = await runCli(['announce', id], { home });
    expect(announced.code, announced.stderr).toBe(0);
    expect(outbox()).toHaveLength(1);
  });
});

describe('Ctrl-C', () => {
  const slowRecord = faults({ tasks: [{ state: 'Record Winner Queue', delayMs: 1500 }] });

  it('during a draw on a shared server: stops watching, exits 130, says how to follow; the draw completes', async () => {
    const server = await serveCli(home, slowRecord);
    try {
      const result = await interruptCli(['draw', '-n', '2'], { home, ready: (stderr) => stderr.includes('Validate Winners') });
      expect(result.code).toBe(130);
      const id = drawId(result.stderr);
      expect(result.stderr).toContain(`error: stopped watching draw ${id}. It keeps running on the local server.`);
      expect(result.stderr).toContain(`hint: follow it again with \`lottery draw --attach ${id}\``);
      const attached = await runCli(['draw', '--attach', id], { home });
      expect(attached.code).toBe(0);
      expect(attached.stderr).toMatch(/✔ Record Winner Queue\s+1\.\d s/);
      expect((await winners()).map((winner) => winner.draw_id)).toEqual([id, id]);
    } finally {
      await server.stop();
    }
  });

  it('during a draw run inside the command: lets it finish before exiting 130', async () => {
    const result = await interruptCli(['draw', '-n', '2'], { home, env: slowRecord, ready: (stderr) => stderr.includes('Validate Winners') });
    expect(result.code).toBe(130);
    const id = drawId(result.stderr);
    expect(result.stderr).toContain(`stopped watching draw ${id}. It runs inside this command, so it is allowed to finish first.`);
    expect((await winners()).map((winner) => winner.draw_id)).toEqual([id, id]);
  });

  it('during a seed: stops between batches, says how many were written, and the table holds exactly those', async () => {
    const file = join(home, 'big.csv');
    writeFileSync(file, `id,name\n${Array.from({ length: 3000 }, (_, i) => `B${i},Big ${i}`).join('\n')}\n`);
    const slowWrites = faults({ dynamodb: [{ operation: 'BatchWriteItem', delayMs: 300 }] });
    const result = await interruptCli(['seed', '--file', file], { home, env: slowWrites, ready: (stderr) => stderr.includes('Target:'), delayMs: 800, timeoutMs: 30_000 });
    expect(result.code).toBe(130);
    const written = Number(/interrupted after writing (\d+) of the 3000 employees in /.exec(result.stderr)?.[1]);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(3000);
    expect(result.stderr).toContain('run the same seed again to write the rest');
    const count = JSON.parse((await runCli(['employees', 'count', '--json'], { home })).stdout) as { total: number };
    expect(count.total).toBe(10 + written);
  });
});
