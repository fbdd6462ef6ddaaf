import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// `lottery seed` as a person sees it: what it says it changes, what it asks before removing, and
// what the table holds after. In process, through main(), on an embedded backend of its own.

let home: string;
let cleanup: () => void;
beforeAll(() => ({ home, cleanup } = tempHome()));
afterAll(() => cleanup());

const csv = (name: string, rows: string[]) => {
  const path = join(home, name);
  writeFileSync(path, ['employee_id,employee_name', ...rows, ''].join('\n'));
  return path;
};
const people = (count: number, name = (id: number) => `Person ${id}`) =>
  Array.from({ length: count }, (_, index) => `P${100 + index},${name(100 + index)}`);

describe('seed, then seed again with changes', () => {
  it('says what it updates (the first ten), warns of winners it removes, and asks before removing', async () => {
    const first = csv('first.csv', people(14));
    const loaded = await runMain(['seed', '--file', first], { home });
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toBe(
      `Loaded ${first}: 14 new, 0 updated, 0 unchanged (skipped), 14 serials assigned; ` +
        '14 employees in the table\n',
    );
    const drawn = await runMain(['draw', '-n', '1', '--json'], { home });
    expect(drawn.code).toBe(0);
    const winner = (JSON.parse(drawn.stdout) as { winners: { employee_id: string }[] }).winners[0]
      ?.employee_id;

    // Twelve renamed, and everyone else but the winner and one more dropped.
    const renamed = people(14, (id) => `Renamed ${id}`).filter(
      (row) => !row.startsWith(`${winner},`),
    );
    const second = csv('second.csv', renamed.slice(0, 12));
    const dropped = people(14)
      .map((row) => row.split(',')[0] as string)
      .filter((id) => !renamed.slice(0, 12).some((row) => row.startsWith(`${id},`)));
    expect(dropped).toHaveLength(2);

    const refused = await runMain(['seed', '--file', second, '--replace'], { home });
    expect(refused.code).toBe(252);
    expect(refused.stderr).toContain(
      `error: refusing to remove 2 employees that ${second} leaves out (1 of them won) ` +
        'without confirmation',
    );

    const dry = await runMain(['seed', '--file', second, '--replace', '--dry-run'], { home });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      `${second} is valid; a seed would load 0 new, 12 updated, 0 unchanged (skipped), ` +
        '2 removed; 12 employees in the table\n',
    );

    const replaced = await runMain(['seed', '--file', second, '--replace', '--yes'], { home });
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toContain(
      `1 of the employees ${second} leaves out has won (${winner}): their wins stay in the ` +
        'winners list, but they leave the pool and `employees count`',
    );
    const updates = replaced.stderr.match(/^ {2}updating P\d+: employee_name$/gm) ?? [];
    expect(updates).toHaveLength(10);
    expect(replaced.stderr).toContain('  … and 2 more\n');
    expect(replaced.stdout).toBe(
      `Loaded ${second}: 0 new, 12 updated, 0 unchanged (skipped), 2 removed; ` +
        '12 employees in the table\n',
    );
    const count = await runMain(['employees', 'count', '--json'], { home });
    expect(JSON.parse(count.stdout)).toMatchObject({ total: 12 });
  });
});
