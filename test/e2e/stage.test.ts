import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// `lottery draw --stage` as a room sees it: the draw runs in a pseudo-terminal made by tmux, keys
// are typed with send-keys, and the screen is read with capture-pane, as for the live view
// (terminal.test.ts). tmux also says whether the alternate screen is on and the cursor shown.
// Seeding and reading the tables run in process (runMain); --stage without a terminal is in
// test/cli/stage.test.ts.

let home: string;
let cleanup: () => void;
let session: string | undefined;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => {
  if (session) execFileSync('tmux', ['kill-session', '-t', session]);
  session = undefined;
  cleanup();
});

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `lottery ARGS` in a fresh tmux session of this size; the shell prints EXIT=<code> when it
 * ends.
 */
function start(args: string, columns: number, rows: number, env = ''): void {
  session = `lottery-stage-${process.pid}-${Date.now()}`;
  const shell = `cd ${ROOT} && LOTTERY_HOME=${home} AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true TERM=xterm-256color ${env} node ${BIN} ${args}; echo "EXIT=$?"; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), shell);
}

/**
 * The screen as shown; `joined`: lines the terminal wrapped are joined again, scrollback included.
 */
const screen = (joined = false) =>
  tmux('capture-pane', '-p', ...(joined ? ['-J', '-S', '-200'] : []), '-t', session as string);
const flag = (name: string) =>
  tmux('display-message', '-p', '-t', session as string, `#{${name}}`).trim();

async function waitFor(
  check: (text: string) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<string> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    const text = screen();
    if (check(text)) return text;
    await pause(50);
  }
  throw new Error(`waited for ${what}; the screen shows:\n${screen()}`);
}

const seedStaff = async () =>
  expect(
    (await runMain(['seed', '--file', join(ROOT, 'fixtures/employees.csv')], { home })).code,
  ).toBe(0);
const staffNames = () =>
  new Set(
    readFileSync(join(ROOT, 'fixtures/employees.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[1]),
  );
const winners = async () =>
  JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as {
    employee_id: string;
    employee_name: string;
  }[];
/** A name shown plainly on stage (large letters do not fit, or cannot draw it). */
const plainNames = (text: string) => [...text.matchAll(/★ (.+?) ★/g)].map((match) => match[1]);

describe('lottery draw --stage', () => {
  it('rolls names from the pool while the draw runs, reveals each winner on Enter, and prints them after leaving', async () => {
    await seedStaff();
    start('draw --winners 2 --prize "Second prize" --stage --suspense 3', 40, 24);
    await waitFor((text) => text.includes('✦ Second prize ✦'), 'the show');
    expect(flag('alternate_on')).toBe('1');
    expect(flag('cursor_flag')).toBe('0');

    const frames = new Set<string>();
    const rolled = new Set<string>();
    for (let text = screen(); !text.includes('Enter or Space: next winner'); text = screen()) {
      for (const line of text.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
      frames.add(text);
      // Dots roll until the sample of names has arrived.
      for (const name of plainNames(text)) if (name !== '· · ·') rolled.add(name as string);
      await pause(60);
    }
    expect(frames.size).toBeGreaterThanOrEqual(3);
    expect(rolled.size).toBeGreaterThanOrEqual(2);
    const pool = staffNames();
    for (const name of rolled) expect(pool.has(name), `${name} is someone in the pool`).toBe(true);

    // The detail line under each winner names their employee id: the order revealed is the draw's
    // order.
    const revealed: string[] = [];
    const first = await waitFor(
      (text) => text.includes('winner 1 of 2') && text.includes('Enter or Space: next winner'),
      'the first winner',
    );
    revealed.push(/(E\d{4}) ·/.exec(first)?.[1] as string);
    tmux('send-keys', '-t', session as string, 'Enter');
    const second = await waitFor(
      (text) => text.includes('winner 2 of 2') && text.includes('Enter, Space or q: leave'),
      'the second winner',
    );
    revealed.push(/(E\d{4}) ·/.exec(second)?.[1] as string);
    expect(second).toContain('1 winner so far:');
    tmux('send-keys', '-t', session as string, 'q');

    const after = await waitFor((text) => text.includes('EXIT='), 'the command to end');
    expect(after).toContain('EXIT=0');
    expect(flag('alternate_on')).toBe('0');
    expect(flag('cursor_flag')).toBe('1');
    // Exactly the state machine's output, in its order.
    const drawId = /execution (\S+)\)/.exec(screen(true))?.[1] as string;
    const output = JSON.parse(
      (await runMain(['draw', '--attach', drawId, '--json'], { home })).stdout,
    ) as { winners: { employee_id: string }[] };
    expect(revealed).toEqual(output.winners.map((winner) => winner.employee_id));
    expect(after).toContain('Winners of Second prize:');
    for (const id of revealed) expect(after).toContain(id);
  }, 60_000);

  it('reveals by itself with --auto, keeping CJK names within a narrow screen', async () => {
    const file = join(home, 'names.csv');
    writeFileSync(file, 'id,name\n1,李雷\n2,韩梅梅\n3,王小明\n4,张伟\n');
    await runMain(['seed', '--file', file], { home });
    start('draw --winners 2 --stage --auto --suspense 1', 40, 20);
    const shown: string[] = [];
    const ended = await waitFor((text) => {
      for (const line of text.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
      if (/winner \d of 2/.test(text) && text.includes('in a moment'))
        shown.push(...(plainNames(text) as string[]));
      return text.includes('EXIT=');
    }, 'the show to end by itself');
    expect(ended).toContain('EXIT=0');
    expect(flag('alternate_on')).toBe('0');
    const recorded = (await winners()).map((winner) => winner.employee_name);
    for (const name of recorded) {
      expect(shown).toContain(name);
      expect(ended).toContain(`★ ${name} ★`);
    }
  }, 60_000);

  it('follows a resize, and Ctrl-C while the draw runs leaves the show with the terminal restored (exit 130)', async () => {
    await seedStaff();
    // The draw is held at Record Winner Queue, so that Ctrl-C comes while it runs.
    start(
      'draw --winners 1 --prize "Door prize" --stage',
      100,
      30,
      `LOTTERY_FAULTS='${JSON.stringify({ tasks: [{ state: 'Record Winner Queue', delayMs: 4000 }] })}'`,
    );
    await waitFor((text) => text.includes('✦ Door prize ✦'), 'the show');
    tmux('resize-window', '-t', session as string, '-x', '50', '-y', '20');
    const resized = await waitFor(
      (text) =>
        text.includes('Record Winner Queue…') &&
        text.split('\n').some((line) => line.trim() === '✦ Door prize ✦' && line.indexOf('✦') < 25),
      'the title centred on 50 columns while the draw records its winner',
    );
    for (const line of resized.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(50);
    tmux('send-keys', '-t', session as string, 'C-c');
    const after = await waitFor((text) => text.includes('EXIT='), 'the command to end');
    expect(after).toContain('EXIT=130');
    expect(after).toContain('stopped watching draw');
    expect(flag('alternate_on')).toBe('0');
    expect(flag('cursor_flag')).toBe('1');
  }, 60_000);
});

describe('a winner who is not present, on stage', () => {
  it('x on the winner being revealed asks, forfeits them ("not present") and reveals the replacement in their place', async () => {
    await seedStaff();
    const plan = join(home, 'plan.csv');
    writeFileSync(plan, 'prize,count\nBike,2\n');
    expect((await runMain(['prizes', 'load', plan], { home })).code).toBe(0);
    start('draw --next --stage --suspense 1 --name bike', 80, 30);
    const first = await waitFor(
      (text) => text.includes('winner 1 of 2') && text.includes('x: not present'),
      'the first winner',
    );
    const absent = /(E\d{4}) ·/.exec(first)?.[1] as string;
    tmux('send-keys', '-t', session as string, 'x');
    await waitFor(
      (text) => text.includes('is not present? y: forfeit and draw a replacement'),
      'the question',
    );
    // Any key but y: nothing happens.
    tmux('send-keys', '-t', session as string, 'n');
    await waitFor((text) => text.includes('Enter or Space: next winner'), 'the winner again');
    tmux('send-keys', '-t', session as string, 'x');
    await waitFor((text) => text.includes('is not present? y:'), 'the question again');
    tmux('send-keys', '-t', session as string, 'y');
    const replaced = await waitFor(
      (text) =>
        text.includes('winner 1 of 2') &&
        text.includes('not present: ') &&
        text.includes('Enter or Space: next winner') &&
        /(E\d{4}) ·/.exec(text)?.[1] !== absent,
      'the replacement in the first place',
    );
    const newcomer = /(E\d{4}) ·/.exec(replaced)?.[1] as string;
    tmux('send-keys', '-t', session as string, 'Enter');
    await waitFor((text) => text.includes('winner 2 of 2'), 'the second winner');
    tmux('send-keys', '-t', session as string, 'q');
    const after = await waitFor((text) => text.includes('EXIT='), 'the command to end');
    expect(after).toContain('EXIT=0');
    expect(flag('alternate_on')).toBe('0');

    const entries = JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as {
      employee_id: string;
      status: string;
      forfeit_reason?: string;
      replaced_by?: string;
    }[];
    expect(entries.filter((entry) => entry.status === 'forfeited')).toEqual([
      expect.objectContaining({ employee_id: absent, forfeit_reason: 'not present' }),
    ]);
    expect(
      entries.filter((entry) => entry.status === 'won').map((entry) => entry.employee_id),
    ).toContain(newcomer);
    expect(after).toContain('Winners of Bike:');
    const prizes = JSON.parse((await runMain(['prizes', '--json'], { home })).stdout) as {
      drawn: number;
      remaining: number;
      forfeited: number;
    }[];
    expect(prizes[0]).toMatchObject({ drawn: 2, remaining: 0, forfeited: 1 });
    const event = await runMain(['verify', '--event'], { home });
    expect(event.code, event.stdout).toBe(0);
    expect(event.stdout).toContain(`forfeited draw bike at `);
    expect(event.stdout).toContain(`"not present"; replaced by ${newcomer} in draw `);
  }, 90_000);
});
