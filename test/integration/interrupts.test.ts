import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, interruptCli, runCli, serveCli } from '../helpers/cli';
import { countsIn, drawIdIn as drawId, faults, seededHomes, winnersIn } from '../helpers/scenarios';

// Draws and seeds interrupted: Ctrl-C at a command, and a process killed mid-draw. Each runs in a
// fresh seeded data directory and ends with the tables checked.

const { home: currentHome } = seededHomes();
let home: string;
beforeEach(() => {
  home = currentHome();
});
const winners = () => winnersIn(home);

describe('a draw whose process is killed', () => {
  it('leaves no claims behind once the backend starts again, and nobody is recorded for it', async () => {
    const child = spawn(process.execPath, [BIN, 'draw', '-n', '2'], {
      cwd: ROOT,
      env: { ...process.env, LOTTERY_HOME: home, ...faults({ tasks: [{ state: 'Record Winner Queue', delayMs: 5000 }] }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((resolve) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Validate Winners')) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));

    const held = await countsIn(home);
    expect(held.held_by_running_draws).toBe(2);
    const next = await runCli(['draw', '-n', '2'], { home });
    expect(next.code, next.stderr).toBe(0);
    const after = await countsIn(home);
    expect(after).toMatchObject({ eligible: 8, won: 2, held_by_running_draws: 0 });
    expect((await winners()).every((winner) => winner.draw_id === drawId(next.stderr))).toBe(true);
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
    const count = await countsIn(home);
    expect(count.total).toBe(10 + written);
  });
});
