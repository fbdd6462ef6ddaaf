import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../src/aws/clients';
import { DRAWS_TABLE, WINNERS_TABLE, EMPLOYEE_TABLE } from '../../src/core/names';
import { startLocalServer } from '../../src/local/server';
import { serveInProcess } from '../helpers/backend';
import { ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';
import { CandidateOrder, candidateSpaceDigest } from '../../src/core/selection';

// Draws and their verification, in process (runMain); draws at once go through a `local serve`
// started in this process, as they would through one in another terminal.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

interface Winner {
  employee_id: string;
  employee_name: string;
  draw_id: string;
}
interface DrawJson {
  draw_id: string;
  winners: Winner[];
  message: string;
  audit: {
    seed: string;
    seed_source: string;
    attempt: number;
    pool: { size: number; digest: string };
  };
}

const winnersOf = async (home: string) =>
  JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as Winner[];

function pool(home: string, size: number): string {
  const file = join(home, `pool-${size}.csv`);
  const rows = Array.from(
    { length: size },
    (_, i) => `P${String(i + 1).padStart(3, '0')},Person${i + 1}`,
  );
  writeFileSync(file, `employee_id,employee_name\n${rows.join('\n')}\n`);
  return file;
}

describe('draws at once', () => {
  it('8 concurrent draws of 5 from a pool of 40 record 40 distinct winners and announce exactly them', async () => {
    const server = await serveInProcess(home);
    let draws: DrawJson[];
    try {
      expect((await runMain(['seed', '--file', pool(home, 40)], { home })).code).toBe(0);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => runMain(['draw', '--winners', '5', '--json'], { home })),
      );
      for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
      draws = results.map((result) => JSON.parse(result.stdout) as DrawJson);
    } finally {
      await server.stop();
    }
    const recorded = await winnersOf(home);
    expect(recorded).toHaveLength(40);
    expect(new Set(recorded.map((winner) => winner.employee_id)).size).toBe(40);
    for (const draw of draws) {
      const mine = recorded
        .filter((winner) => winner.draw_id === draw.draw_id)
        .map((winner) => winner.employee_id)
        .sort();
      expect(mine).toEqual(draw.winners.map((winner) => winner.employee_id).sort());
    }
    // Every announcement in the SNS outbox names exactly the people one draw recorded.
    const announced = readFileSync(join(home, 'outbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { Message: string });
    expect(announced).toHaveLength(8);
    const byDraw = new Map(draws.map((draw) => [draw.message, draw]));
    for (const { Message } of announced) {
      const draw = byDraw.get(Message);
      expect(draw, Message).toBeDefined();
      const names = /\[(.*)\]/.exec(Message)?.[1]?.split(', ').sort();
      expect(names).toEqual(
        recorded
          .filter((winner) => winner.draw_id === draw?.draw_id)
          .map((winner) => winner.employee_name)
          .sort(),
      );
    }
  }, 120_000);
});

/** The check-by-hand script of docs/fairness.md, written to a file of the test's home. */
function fairnessScript(): string {
  const page = readFileSync(join(ROOT, 'docs', 'fairness.md'), 'utf8');
  const script = /<!-- check-draw\.py[^>]*-->\s*```python\n([\s\S]*?)```/.exec(page)?.[1];
  expect(script).toBeDefined();
  const scriptFile = join(home, 'check-draw.py');
  writeFileSync(scriptFile, script ?? '');
  return scriptFile;
}

describe('lottery verify', () => {
  it('confirms a real draw, and the script of docs/fairness.md recomputes it by hand', async () => {
    await runMain(['seed'], { home });
    await runMain(['draw', '-n', '2'], { home });
    const drawn = JSON.parse(
      (await runMain(['draw', '-n', '3', '--json'], { home })).stdout,
    ) as DrawJson;
    const poolFile = join(home, 'candidates.json');
    const verified = await runMain(['verify', drawn.draw_id, '--save-pool', poolFile], { home });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(
      /✔ pool\s+8 of 10 eligible; candidates serials 1\.\.10 less 2 left out/,
    );
    expect(verified.stdout).toContain(
      `✔ selection  seed and candidates give ${drawn.winners.map((winner) => winner.employee_id).join(', ')} (attempt 1)`,
    );
    expect(verified.stdout).toContain(`Draw ${drawn.draw_id} verifies.`);
    const candidates = (
      JSON.parse((await runMain(['verify', drawn.draw_id, '--json'], { home })).stdout) as {
        candidates: { serial: number; ticket: number }[];
      }
    ).candidates;

    const byHand = execFileSync(
      'python3',
      [fairnessScript(), poolFile, drawn.audit.seed, String(drawn.audit.attempt), '3'],
      { encoding: 'utf8' },
    );
    expect(byHand).toContain(`pool digest: ${drawn.audit.pool.digest}`);
    expect(byHand).toContain(
      `proposals: ${candidates.map((candidate) => `${candidate.serial}/${candidate.ticket}`).join(' ')}`,
    );
    expect(byHand).toContain(
      `winners: ${drawn.winners.map((winner) => winner.employee_id).join(' ')}`,
    );
  });

  it('the script of docs/fairness.md still recomputes a draw made before tickets (v2)', () => {
    const space = {
      mode: 'serial-space' as const,
      serialSpace: 30,
      excluded: [3, 4, 17],
    };
    const seed = 'a1'.repeat(32);
    const file = join(home, 'v2.json');
    writeFileSync(
      file,
      JSON.stringify({ mode: space.mode, serial_space: 30, excluded: space.excluded }),
    );
    const byHand = execFileSync('python3', [fairnessScript(), file, seed, '2', '6'], {
      encoding: 'utf8',
    });
    expect(byHand).toContain(`pool digest: ${candidateSpaceDigest(space)}`);
    expect(byHand).toContain(`candidates: ${new CandidateOrder(space, seed, 2).take(6).join(' ')}`);
  });

  it('still verifies an earlier draw after a reset and after more people are seeded', async () => {
    await runMain(['seed'], { home });
    const drawn = JSON.parse(
      (await runMain(['draw', '-n', '3', '--json'], { home })).stdout,
    ) as DrawJson;
    expect((await runMain(['reset', '--yes'], { home })).code).toBe(0);
    expect((await runMain(['seed', '--file', pool(home, 30)], { home })).code).toBe(0);
    const verified = await runMain(['verify', drawn.draw_id], { home });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(
      /! records\s+`lottery reset` removed this draw's winners from the winners table at /,
    );
  });

  it('verifies draws that ran at the same time', async () => {
    const server = await serveInProcess(home);
    let draws: DrawJson[];
    try {
      expect((await runMain(['seed', '--file', pool(home, 30)], { home })).code).toBe(0);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => runMain(['draw', '--winners', '5', '--json'], { home })),
      );
      draws = results.map((result) => JSON.parse(result.stdout) as DrawJson);
      for (const draw of draws) {
        const verified = await runMain(['verify', draw.draw_id], { home });
        expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      }
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('fails a draw whose winner was renamed afterwards, naming both names', async () => {
    await runMain(['seed'], { home });
    const drawn = JSON.parse(
      (await runMain(['draw', '-n', '1', '--json'], { home })).stdout,
    ) as DrawJson;
    const [winner] = drawn.winners;
    const file = join(home, 'rename.csv');
    writeFileSync(file, `employee_id,employee_name\n${winner!.employee_id},Mallory\n`);
    expect((await runMain(['seed', '--file', file], { home })).code).toBe(0);
    const verified = await runMain(['verify', drawn.draw_id], { home });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(
      `✖ people     ${winner!.employee_id} is named "${winner!.employee_name}" in the audit record`,
    );
    expect(verified.stdout).toContain('"Mallory" in the employee table');
  });

  it('rejects a draw whose record was tampered with', async () => {
    await runMain(['seed'], { home });
    const drawn = JSON.parse(
      (await runMain(['draw', '-n', '2', '--json'], { home })).stdout,
    ) as DrawJson;
    const outsider = ['001', '002', '003'].find(
      (id) => !drawn.winners.some((winner) => winner.employee_id === id),
    ) as string;
    // Someone with access to the table adds a friend to the draw's winners.
    const server = await startLocalServer({
      home,
      tables: { employees: EMPLOYEE_TABLE, winners: WINNERS_TABLE, draws: DRAWS_TABLE },
    });
    const { doc, dynamodb } = await createDocumentClient({
      endpoint: server.url,
      region: 'local',
      credentials: server.credentials,
    });
    await doc.send(
      new PutCommand({
        TableName: WINNERS_TABLE,
        Item: {
          employee_id: outsider,
          employee_name: 'Friend',
          draw_id: drawn.draw_id,
          status: 'won',
          prize: null,
          claimed_at: 'x',
          won_at: 'x',
        },
      }),
    );
    dynamodb.destroy();
    await server.close();

    const verified = await runMain(['verify', drawn.draw_id], { home });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(
      `✖ records    recorded as winners of this draw but not drawn: ${outsider}`,
    );
    expect(verified.stderr).toContain(`error: draw ${drawn.draw_id} does not verify`);
  });

  it('reproduces a draw from its seed on the same pool, and flags the chosen seed', async () => {
    const other = tempHome();
    try {
      await runMain(['seed'], { home });
      await runMain(['seed'], { home: other.home });
      const first = JSON.parse(
        (await runMain(['draw', '-n', '3', '--json'], { home })).stdout,
      ) as DrawJson;
      const again = await runMain(['draw', '-n', '3', '--json', '--seed', first.audit.seed], {
        home: other.home,
      });
      expect(again.stderr).toContain('warning: this draw uses the seed you gave');
      const replay = JSON.parse(again.stdout) as DrawJson;
      expect(replay.winners).toEqual(first.winners);
      expect(replay.audit.seed_source).toBe('caller');
      const verified = await runMain(['verify', replay.draw_id], { home: other.home });
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/! seed\s+\w+… was chosen by whoever started the draw/);
    } finally {
      other.cleanup();
    }
  });
});
