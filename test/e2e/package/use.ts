import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export type Lottery = (args: string[]) => Promise<{ stdout: string }>;

/**
 * What a new user does first with an installed `lottery`: seed the default employees, draw two,
 * list the winners.
 */
export async function seedDrawAndList(lottery: Lottery) {
  const seeded = await lottery(['seed']);
  expect(seeded.stdout).toMatch(
    /fixtures\/request-items\.json: 10 new, 0 updated, 0 unchanged \(skipped\); 10 employees in the table/,
  );

  const drawn = await lottery(['draw', '--winners', '2', '--json']);
  const draw = JSON.parse(drawn.stdout) as { draw_id: string; winners: { employee_id: string }[] };
  expect(draw.winners).toHaveLength(2);

  const listed = await lottery(['winners', 'list', '--json']);
  const winners = JSON.parse(listed.stdout) as { employee_id: string; draw_id: string }[];
  expect(winners.map((winner) => [winner.employee_id, winner.draw_id]).sort()).toEqual(
    draw.winners.map((winner) => [winner.employee_id, draw.draw_id]).sort(),
  );
}

/**
 * `lottery show` prints an address, and serves the page, its script and its style from what was
 * installed.
 */
export async function showServesItsPage(command: string, env: Record<string, string>) {
  const child = spawn(command, ['show'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('close', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = /^(http:\/\/\S+\/)$/m.exec(stdout)?.[1];
        if (found) resolve(found);
      });
      void exited.then(() => reject(new Error('lottery show ended before printing its address')));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<main id="stage">');
    for (const file of ['show.js', 'show.css'])
      expect((await fetch(`${url}${file}`)).status).toBe(200);
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

/**
 * `lottery draws record` writes a page that carries its verifier (from what was installed), and
 * `verify --record` checks it. Seeds and draws first: the record needs a draw of its own.
 */
export async function recordsADraw(lottery: Lottery, dir: string) {
  await lottery(['seed']);
  const drawn = await lottery(['draw', '--winners', '1', '--json']);
  const { draw_id } = JSON.parse(drawn.stdout) as { draw_id: string };
  const page = join(dir, 'record.html');
  await lottery(['draws', 'record', draw_id, '--out', page]);
  expect(readFileSync(page, 'utf8')).toContain('every draw verifies (checked in this browser');
  expect((await lottery(['verify', '--record', page])).stdout).toContain('The record verifies.');
}
