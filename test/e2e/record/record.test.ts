import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrawResult } from '../../../src/core/draw';
import type { DrawRecordFile } from '../../../src/core/record-format';
import { recordPage, recordText } from '../../../src/cli/render/record-page';
import { honestBeacon } from '../../helpers/beacon';
import { launchBrowser, type TestBrowser } from '../../helpers/browser';
import { runCli, tempHome } from '../../helpers/cli';
import { beaconRecord, repool } from '../../helpers/record-fixtures';

// Draw records in a real browser (Debian's chromium), opened from file:// with the network off:
// a plain draw, a beacon draw (the tests' own chain, and a record of quicknet's round 123), and
// an event with an exclusion and a forfeit. Each shows ✔ per draw; tampered copies show ✖ naming
// what failed; the id box answers for a winner, an entrant, an excluded person and an unknown id.

let browser: TestBrowser;
let home: string;
let cleanup: () => void;
let closeRelay: () => Promise<unknown>;
const pages: Record<string, string> = {};
const drawn: Record<string, DrawResult> = {};

let env: Record<string, string>;

// Each command a process of its own, as a user runs them: the beacon settings reach the embedded
// backend's handlers through its environment.
const cli = async (args: string[]) => {
  const result = await runCli(args, { home, env });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  ({ env, close: closeRelay } = await honestBeacon());
  const rows = Array.from(
    { length: 12 },
    (_, i) => `S${String(i + 1).padStart(2, '0')},Person ${i + 1},${i === 0 ? 'no' : 'yes'}`,
  );
  const staff = join(home, 'staff.csv');
  writeFileSync(staff, `id,name,eligible\n${rows.join('\n')}\n`);
  await cli(['seed', '--file', staff]);
  const draw = async (name: string, args: string[]) =>
    (drawn[name] = JSON.parse(await cli([...args, '--name', name, '--json'])) as DrawResult);
  await draw('plain', ['draw', '-n', '2', '--prize', 'Mug']);
  await draw('beacon', ['draw', '-n', '1', '--prize', 'Kettle', '--beacon']);
  await draw('bike', ['draw', '-n', '2', '--prize', 'Bike']);
  const gone = drawn.bike!.winners[0]!.employee_id;
  await draw('bike-2', ['redraw', 'bike', gone, '--reason', 'not in the room']);
  for (const [name, draws] of [
    ['plain', ['plain']],
    ['beacon', ['beacon']],
    ['event', ['bike', 'bike-2']],
  ] as const) {
    const out = join(home, `${name}.html`);
    await cli(['draws', 'record', ...draws, '--out', out]);
    pages[name] = out;
  }
  pages.quicknet = join(home, 'quicknet.html');
  writeFileSync(pages.quicknet, await recordPage(beaconRecord()));
  browser = await launchBrowser();
  // Nothing but the file itself may load.
  await browser.context.setOffline(true);
  await browser.context.route('**/*', (route) =>
    route.request().url().startsWith('file:') ? route.continue() : route.abort(),
  );
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await closeRelay?.();
  cleanup?.();
});

async function open(path: string) {
  const page = await browser.context.newPage();
  await page.goto(`file://${path}`);
  await page.waitForSelector('body[data-verified]');
  const verdicts = await page.locator('[data-verdict]').allTextContents();
  const verified = await page.locator('body').getAttribute('data-verified');
  return { page, verdicts, verified };
}

/** A copy of a page with its record edited. */
function tampered(name: string, change: (record: DrawRecordFile) => void): string {
  const html = readFileSync(pages[name]!, 'utf8');
  const text = recordText(html);
  const record = JSON.parse(text) as DrawRecordFile;
  change(record);
  const path = join(home, `${name}-tampered.html`);
  writeFileSync(path, html.replace(text, JSON.stringify(record).replace(/</g, '\\u003c')));
  return path;
}

describe('a record opened from file:// with the network off', () => {
  it.each(['plain', 'beacon', 'quicknet', 'event'])('%s: shows ✔ for each draw', async (name) => {
    const { page, verdicts, verified } = await open(pages[name]!);
    expect(verified).toBe('yes');
    expect(verdicts.length).toBeGreaterThan(0);
    for (const verdict of verdicts) expect(verdict).toBe('✔ this draw verifies');
    if (name === 'quicknet')
      await expect(page.locator('[data-checks="0"]').textContent()).resolves.toContain(
        "valid for drand's quicknet chain",
      );
    if (name === 'event')
      await expect(page.locator('body').textContent()).resolves.toContain('not in the room');
    await page.close();
  });

  const cases: [string, string, (record: DrawRecordFile) => void, RegExp][] = [
    [
      'plain',
      'a winner swapped',
      (r) => void (r.draws[0]!.winners[0]!.employee_id = 'S01'),
      /✖ does not verify: winners: the record names S01/,
    ],
    [
      'plain',
      'the seed edited',
      (r) => void (r.draws[0]!.seed = 'cd'.repeat(32)),
      /✖ does not verify: selection: winner \d of the seed/,
    ],
    [
      'quicknet',
      'the round edited',
      (r) => void (r.draws[0]!.beacon!.round.round = 124),
      /✖ does not verify: beacon: the draw used round 124/,
    ],
    [
      'quicknet',
      'the signature edited',
      (r) => void (r.draws[0]!.beacon!.round.signature = 'a'.repeat(96)),
      /✖ does not verify: beacon: round 123:/,
    ],
    [
      'event',
      'a forfeit removed',
      (r) => void (r.forfeits = []),
      /✖ does not verify: forfeit: the draw replaces S\d\d of bike/,
    ],
  ];
  it.each(cases)('%s with %s: shows ✖ naming it', async (name, _, change, named) => {
    const { page, verdicts, verified } = await open(tampered(name, change));
    expect(verified).toBe('no');
    expect(verdicts.join('\n')).toMatch(named);
    await page.close();
  });

  const pools: [string, (record: DrawRecordFile) => void, RegExp][] = [
    [
      'a person added to the pool',
      (r) => repool(r, (e) => e.push({ serial: 13, hash: new Uint8Array(16), tickets: 1 })),
      /✖ this record does not verify: pool: the 13 people listed/,
    ],
    [
      'a person removed from the pool',
      (r) => repool(r, (e) => e.splice(5, 1)),
      /✖ this record does not verify: pool: the 11 people listed/,
    ],
  ];
  it.each(pools)('plain with %s: the record shows ✖ for the pool', async (_, change, named) => {
    const { page, verified } = await open(tampered('plain', change));
    expect(verified).toBe('no');
    await expect(page.locator('#record-verdict').textContent()).resolves.toMatch(named);
    await page.close();
  });
});

describe('the id box', () => {
  it('answers for a winner, an entrant who did not win, an excluded person and an unknown id', async () => {
    const { page } = await open(pages.plain!);
    const ask = async (id: string) => {
      await page.fill('#employee-id', id);
      await page.click('#idbox button');
      return page.locator('#answer');
    };
    const winner = drawn.plain!.winners[0]!.employee_id;
    await expect((await ask(winner)).getAttribute('data-status')).resolves.toBe('won');
    await expect((await ask(winner)).textContent()).resolves.toContain('Mug: won.');
    const winners = new Set(drawn.plain!.winners.map((w) => w.employee_id));
    const entrant = ['S02', 'S03', 'S04'].find((id) => !winners.has(id))!;
    await expect((await ask(entrant)).getAttribute('data-status')).resolves.toBe('entered');
    await expect((await ask('S01')).getAttribute('data-status')).resolves.toBe('excluded');
    await expect((await ask('S99')).textContent()).resolves.toBe(
      'S99 is not in the pool of this record.',
    );
    await page.close();
  });
});
