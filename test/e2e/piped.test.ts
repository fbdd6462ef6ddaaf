import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, runCli, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// Every command as a script runs it: piped. No colour codes anywhere, JSON that parses and
// nothing else on stdout when asked for JSON, and --quiet leaves stderr empty.

let home: string;
let cleanup: () => void;
let drawId: string;
beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  // Setting the data directory up is not what this file tests: in-process.
  await runMain(['seed'], { home });
  drawId = (
    JSON.parse((await runMain(['draw', '-n', '2', '--json'], { home })).stdout) as {
      draw_id: string;
    }
  ).draw_id;
});
afterAll(() => cleanup());

const jsonCommands: [string, () => string[]][] = [
  ['seed', () => ['seed', '--json']],
  ['seed --dry-run', () => ['seed', '--dry-run', '--json']],
  ['draw', () => ['draw', '-n', '1', '--json']],
  ['winners list', () => ['winners', 'list', '--json']],
  ['winners list --format json', () => ['winners', 'list', '--format', 'json']],
  ['employees list', () => ['employees', 'list', '--json']],
  ['employees count', () => ['employees', 'count', '--json']],
  ['draws list', () => ['draws', 'list', '--json']],
  ['verify', () => ['verify', drawId, '--json']],
  ['config show', () => ['config', 'show', '--json']],
];

describe('piped, with --json', () => {
  it.each(jsonCommands)(
    '%s prints nothing but JSON on stdout, and no colour codes',
    async (_name, args) => {
      const result = await runCli(args(), { home });
      expect(result.code, result.stderr).toBe(0);
      expect(() => JSON.parse(result.stdout)).not.toThrow();
      expect(result.stdout.trim().startsWith('{') || result.stdout.trim().startsWith('[')).toBe(
        true,
      );
      expect(result.stdout + result.stderr).not.toMatch(ANSI);
    },
  );

  it('reset --yes --json reports what it removed', async () => {
    const other = tempHome();
    try {
      await runMain(['seed'], { home: other.home });
      await runMain(['draw', '-n', '3'], { home: other.home });
      const result = await runCli(['reset', '--yes', '--json'], { home: other.home });
      expect(JSON.parse(result.stdout)).toEqual({ removed: 3, prizes_reset: 0 });
    } finally {
      other.cleanup();
    }
  });
});

describe('piped, for people', () => {
  it.each([
    ['draw', ['draw', '-n', '1']],
    ['winners list', ['winners', 'list']],
    ['employees list', ['employees', 'list']],
    ['draws list', ['draws', 'list']],
    ['config show', ['config', 'show']],
    ['--help', ['--help']],
  ])('%s has no colour codes and no spinner', async (_name, args) => {
    const result = await runCli(args, { home });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(ANSI);
    expect(result.stderr).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });

  it('prints one plain line per state of a draw', async () => {
    const result = await runCli(['draw', '-n', '1'], { home });
    const lines = result.stderr.split('\n').filter((line) => /^\s+[✔✖↻▸] /.test(line));
    expect(lines.map((line) => line.trim().split(/\s{2,}/)[0])).toEqual([
      '✔ Input Lottery Winners',
      '✔ Reserve Prize',
      '✔ Random Select Winners',
      '✔ Validate Winners',
      '✔ Is Winner In Past Draw',
      '▸ Send SNS and Record In Dynamodb',
      '✔ Record Winner Queue',
      '✔ Notify Winners',
      '✔ Send SNS and Record In Dynamodb',
    ]);
  });

  it('--quiet leaves only results', async () => {
    const result = await runCli(['--quiet', 'draw', '-n', '1'], { home });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Announcement: Congrats!');
  });

  it('writes CSV with formulas defused, and an export file with a BOM', async () => {
    const other = tempHome();
    try {
      const file = join(other.home, 'tricky.csv');
      writeFileSync(file, 'id,name,department\n1,"=HYPERLINK(""http://x"")","+Sales"\n');
      await runMain(['seed', '--file', file], { home: other.home });
      await runMain(['draw', '-n', '1', '--prize', '@Gift'], { home: other.home });
      const csv = await runCli(['winners', 'list', '--format', 'csv'], { home: other.home });
      expect(csv.stdout.split('\r\n')[0]).toBe(
        'employee_id,employee_name,department,lottery_serial,prize,draw_id,won_at,status,forfeit_reason,forfeited_at,replaced_by',
      );
      expect(csv.stdout).toContain(`1,"'=HYPERLINK(""http://x"")",'+Sales,1,'@Gift,`);
      const out = join(other.home, 'winners.csv');
      const exported = await runCli(['winners', 'export', '--out', out], { home: other.home });
      expect(exported.code).toBe(0);
      expect(exported.stderr).toContain(`Wrote 1 winner to ${out} (CSV).`);
      const content = readFileSync(out, 'utf8');
      expect(content.startsWith('\uFEFFemployee_id,')).toBe(true);
      expect(content).toContain("'=HYPERLINK(");
    } finally {
      other.cleanup();
    }
  });
});

describe('colour', () => {
  it('is on with FORCE_COLOR, and NO_COLOR or --no-color turn it off', async () => {
    expect((await runCli(['winners', 'list'], { home, env: { FORCE_COLOR: '1' } })).stdout).toMatch(
      ANSI,
    );
    expect(
      (await runCli(['winners', 'list'], { home, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }))
        .stdout,
    ).not.toMatch(ANSI);
    expect(
      (await runCli(['--no-color', 'winners', 'list'], { home, env: { FORCE_COLOR: '1' } })).stdout,
    ).not.toMatch(ANSI);
  });
});
