import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrawResult } from '../../src/core/draw';
import type { DrawRecordFile } from '../../src/core/record-format';
import { honestBeacon } from '../helpers/beacon';
import { ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';
import { repool } from '../helpers/record-fixtures';

// A draw's record end to end, in process against the embedded backend: an event with an
// exclusion, tickets, a forfeit and its replacement, and a beacon draw, recorded once, then
// checked by `lottery verify --record` and by the Python reference (scripts/check-record.py);
// every tampering the issue lists is caught by both, whatever the page's own script says.

let home: string;
let cleanup: () => void;
let closeRelay: () => Promise<void>;
let env: Record<string, string>;
let record: DrawRecordFile;
let page: string;
const drawn: Record<string, DrawResult> = {};

const run = (...args: string[]) => runMain(args, { home, env });
const json = async <T>(...args: string[]): Promise<T> => {
  const result = await run(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
};
const file = (name: string, content: string) => {
  const path = join(home, name);
  writeFileSync(path, content);
  return path;
};
const python = (path: string, ...more: string[]) =>
  spawnSync('python3', [join(ROOT, 'scripts', 'check-record.py'), path, ...more], {
    encoding: 'utf8',
  });

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  ({ env, close: closeRelay } = await honestBeacon());
  const rows = Array.from({ length: 12 }, (_, i) => {
    const n = i + 1;
    return `S${String(n).padStart(2, '0')},Person ${n} <b>&amp;</b>,${n === 1 ? 'no' : 'yes'},${n % 4 === 0 ? 3 : 1}`;
  });
  await json('seed', '--file', file('staff.csv', `id,name,eligible,tickets\n${rows.join('\n')}\n`));
  drawn.bike = await json<DrawResult>('draw', '-n', '2', '--prize', 'Bike', '--name', 'bike');
  drawn.bike2 = await json<DrawResult>(
    'redraw',
    'bike',
    drawn.bike.winners[0]!.employee_id,
    '--reason',
    'not in the room',
    '--name',
    'bike-2',
  );
  drawn.kettle = await json<DrawResult>('draw', '-n', '1', '--prize', 'Kettle', '--beacon');
  record = await json<DrawRecordFile>('draws', 'record', '--event');
  const out = join(home, 'event.html');
  const written = await run('draws', 'record', '--event', '--out', out);
  expect(written.code, written.stderr).toBe(0);
  page = readFileSync(out, 'utf8');
}, 120_000);
afterAll(async () => {
  await closeRelay();
  cleanup();
});

describe('lottery draws record', () => {
  it('records every draw of the event, the forfeit with its reason, and names only the winners', () => {
    expect(record.draws.map((draw) => draw.draw_id)).toEqual([
      'bike',
      'bike-2',
      drawn.kettle!.draw_id,
    ]);
    expect(record.forfeits).toMatchObject([
      { draw_id: 'bike', reason: 'not in the room', replacement_draw_id: 'bike-2' },
    ]);
    expect(record.draws[2]?.beacon?.round.round).toBe(drawn.kettle?.audit.beacon?.round);
    expect(record.draws[0]?.event_excluded).toEqual([1]);
    const winners = new Set(record.draws.flatMap((draw) => draw.winners.map((w) => w.employee_id)));
    // An id is a whole JSON string: the pool's base64 may hold "S26" inside a longer one.
    const named = JSON.stringify(record).match(/"S\d\d"/g) ?? [];
    expect(new Set(named.map((quoted) => quoted.slice(1, -1)))).toEqual(winners);
    expect(record.pool.count).toBe(12);
  });

  it('writes an HTML page with the record inline, names escaped, and no address to fetch', () => {
    expect(page).toContain('Person');
    expect(page).not.toContain('<b>&amp;</b>');
    expect(page).toMatch(/Person \d+ &lt;b&gt;&amp;amp;&lt;\/b&gt;/);
    expect(page).not.toMatch(/<script[^>]+src=|<link|https?:\/\/(?!www\.w3\.org)/);
    expect(page).toContain('not in the room');
  });

  it('says what is missing when asked for nothing', async () => {
    const none = await run('draws', 'record');
    expect(none.code).toBe(252);
    expect(none.stderr).toContain('say which draws to record, or use --event');
    const noOut = await run('draws', 'record', 'bike');
    expect(noOut.code).toBe(252);
    expect(noOut.stderr).toContain('say which with --out');
  });
});

describe('lottery verify --record and the Python reference', () => {
  it('verify the page and the JSON', async () => {
    const html = join(home, 'event.html');
    const verified = await run('verify', '--record', html);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('The record verifies.');
    expect(verified.stdout).toMatch(/✔ selection/);
    expect(verified.stdout).toMatch(/✔ forfeit\s+replaces Person/);
    expect(verified.stdout).toMatch(/! beacon\s+round \d+ is validly signed, but by chain/);
    const json = file('event.json', JSON.stringify(record));
    expect((await run('verify', '--record', json)).code).toBe(0);
    const checked = python(html);
    expect(checked.status, checked.stdout).toBe(0);
    expect(checked.stdout).toContain('✔ 3 draw(s) verify');
  });

  it('spell out what in a record would act on the terminal, even in colour', async () => {
    const copy = structuredClone(record);
    copy.title = 'Party \u001b[2J';
    copy.draws[0]!.prize = 'Bike \u202e';
    const shown = await runMain(
      ['verify', '--record', file('escapes.json', JSON.stringify(copy))],
      {
        home,
        env: { ...env, FORCE_COLOR: '1' },
      },
    );
    expect(shown.stdout).toContain('Party \\x1B[2J');
    expect(shown.stdout).toContain('Bike \\u202E');
    expect(shown.stdout).not.toContain('\u001b[2J');
    expect(shown.stdout).not.toContain('\u202e');
    // The Python reference prints what it finds wrong, ids included: escaped too.
    const forged = structuredClone(record);
    forged.draws[0]!.winners[0]!.employee_id = 'S99\u001b[2J\u202e';
    const checked = python(file('forged.json', JSON.stringify(forged)));
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain('S99\\u001B[2J\\u202E is not the person at serial');
    expect(checked.stdout).not.toContain('\u001b');
    expect(checked.stdout).not.toContain('\u202e');
  });

  it('answer for a winner, an entrant who did not win, an excluded person and an unknown id', () => {
    const html = join(home, 'event.html');
    const kettleWinner = drawn.kettle!.winners[0]!.employee_id;
    expect(python(html, kettleWinner).stdout).toContain(`${drawn.kettle!.draw_id}: won`);
    expect(python(html, 'S01').stdout).toContain('bike: excluded');
    expect(python(html, 'nobody').stdout).toContain('nobody: not in the pool');
    const all = new Set(record.draws.flatMap((draw) => draw.winners.map((w) => w.employee_id)));
    const loser = ['S02', 'S03', 'S04', 'S05', 'S06'].find((id) => !all.has(id))!;
    expect(python(html, loser).stdout).toMatch(new RegExp(`${loser}: serial \\d+; bike: entered`));
  });

  const tamper = (change: (copy: DrawRecordFile) => void) => {
    const copy = structuredClone(record);
    change(copy);
    return copy;
  };
  const kettle = (copy: DrawRecordFile) => copy.draws[2]!;
  const cases: [string, (copy: DrawRecordFile) => void, RegExp][] = [
    [
      'a winner swapped',
      (copy) => {
        copy.draws[0]!.winners[1]!.employee_id = 'S01';
      },
      /✖ winners\s+the record names S01/,
    ],
    [
      'a person added to the pool',
      (copy) => repool(copy, (e) => e.push({ serial: 13, hash: new Uint8Array(16), tickets: 1 })),
      /✖ pool\s+the 13 people listed/,
    ],
    [
      'a person removed from the pool',
      (copy) => repool(copy, (e) => e.splice(5, 1)),
      /✖ pool\s+the 11 people listed/,
    ],
    [
      'the seed edited',
      (copy) => {
        kettle(copy).seed = 'ab'.repeat(32);
      },
      /✖ beacon\s+round \d+'s randomness is/,
    ],
    [
      'the round edited',
      (copy) => {
        kettle(copy).beacon!.round.round += 1;
      },
      /✖ beacon\s+the draw used round/,
    ],
    [
      'the signature edited',
      (copy) => {
        const r = kettle(copy).beacon!.round;
        r.signature = `${r.signature.slice(0, -2)}${r.signature.endsWith('00') ? '01' : '00'}`;
      },
      /✖ beacon\s+round \d+: the signature/,
    ],
    [
      'a forfeit removed',
      (copy) => {
        copy.forfeits = [];
      },
      /✖ forfeit\s+the draw replaces S\d\d of bike, but the record holds no such forfeit/,
    ],
  ];
  it.each(cases)(
    'never verify with %s: verify --record names it, and Python fails',
    async (_, change, named) => {
      const path = file('tampered.json', JSON.stringify(tamper(change)));
      const result = await run('verify', '--record', path);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toMatch(named);
      expect(python(path).status).toBe(1);
    },
  );

  it('say that a seed which is not hexadecimal cannot be read, in Python too', async () => {
    const path = file(
      'unreadable-seed.json',
      JSON.stringify(tamper((copy) => (kettle(copy).seed = `zz${kettle(copy).seed.slice(2)}`))),
    );
    const result = await run('verify', '--record', path);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/✖ record\s+the draw cannot be read: hex string expected/);
    const checked = python(path);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain(`${kettle(record).draw_id}: seed: not 64 hexadecimal digits`);
    expect(checked.stderr).toBe('');
  });

  it('refuse at once a pool that gives people no tickets, in Python too', async () => {
    const none = tamper((copy) => {
      copy.pool.tickets = Buffer.alloc(copy.pool.count).toString('base64');
    });
    const path = file('no-tickets.json', JSON.stringify(none));
    const result = await run('verify', '--record', path);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/has 0 tickets: a count is a whole number from 1 to/);
    const checked = python(path);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain('selection: the pool gives someone no tickets');
  });

  it('are not fooled by a page whose own verifier was edited to say yes', async () => {
    const forged = page
      .replace(/<script>[\s\S]*<\/script>/, '<script>document.body.dataset.verified="yes"</script>')
      .replace(/"employee_id":"(S\d\d)","employee_name"/, '"employee_id":"S02","employee_name"');
    const path = file('forged.html', forged);
    expect((await run('verify', '--record', path)).code).toBe(1);
    expect(python(path).status).toBe(1);
  });

  it('refuse a file that holds no record', async () => {
    const result = await run('verify', '--record', file('not.html', '<html>hello</html>'));
    expect(result.code).toBe(252);
    expect(result.stderr).toContain('holds no record that can be read');
  });
});
