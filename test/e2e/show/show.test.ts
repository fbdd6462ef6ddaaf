import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../helpers/browser';
import { ROOT, runCli, tempHome } from '../../helpers/cli';
import {
  pause,
  seen,
  SCREENSHOTS,
  startShow,
  Terminal,
  waitForPage,
  type ShowProcess,
} from './support';

// The room's screen as the room sees it: `lottery show` runs as its own process, Chromium opens
// the address it printed, and the host draws from a terminal. Everything is checked from the
// page's DOM: what a person in the room would read.

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The winners of the newest draw, in the state machine's order. */
const lastDrawn = async (home: string) =>
  (
    JSON.parse((await runCli(['draws', 'list', '--json', '--limit', '1'], { home })).stdout) as {
      winners: { employee_name: string }[];
    }[]
  )[0]?.winners.map((winner) => winner.employee_name);

describe('lottery show, with the host revealing from a terminal', () => {
  let home: string;
  let cleanup: () => void;
  let show: ShowProcess;
  let page: Page;
  let terminal: Terminal | undefined;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome());
    expect(
      (await runCli(['seed', '--file', join(ROOT, 'fixtures/employees.csv')], { home })).code,
    ).toBe(0);
    const plan = join(home, 'prizes.csv');
    writeFileSync(plan, 'prize,count,per_draw\nSecond prize,3,3\nFirst prize,1,1\n');
    expect((await runCli(['prizes', 'load', plan], { home })).code).toBe(0);
    show = await startShow(home);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    terminal?.close();
    await page?.close();
    await show?.stop();
    cleanup();
  });

  it('shows the plan, then the draw live: names rolling, each winner as the terminal reveals it, and the end', async () => {
    await page.goto(show.url);
    const idle = await waitForPage(
      page,
      (view) => view.phase === 'idle',
      'the screen between draws',
    );
    expect(idle.message).toBe('Waiting for the next draw');
    expect(idle.plan).toEqual({ 'Second prize': '3 of 3 left', 'First prize': '1 of 1 left' });

    terminal = new Terminal(home, 'draw --next --stage --auto --suspense 3');
    const drawing = await waitForPage(page, (view) => view.phase === 'drawing', 'the draw');
    expect(drawing.prize).toBe('Second prize');
    const rolled = new Set<string>();
    let view = drawing;
    // The state machine runs in well under a second; names roll until the host's suspense ends.
    while (view.phase === 'drawing' || (view.phase === 'revealing' && view.rolling)) {
      if (view.rolling && view.name !== '· · ·') rolled.add(view.name);
      await pause(40);
      view = await seen(page);
    }
    expect(rolled.size).toBeGreaterThanOrEqual(2);

    // Each reveal: the terminal has shown that winner too (the page follows the host, never leads).
    const revealed: string[] = [];
    for (let count = 1; count <= 3; count++) {
      const shown = await waitForPage(
        page,
        (current) =>
          current.subtitle === `Winner ${count} of 3` || (count === 3 && current.phase === 'done'),
        `winner ${count}`,
      );
      if (shown.phase === 'revealing') {
        expect(terminal.screen()).toContain(`winner ${count} of 3`);
        expect(shown.winners).toEqual(revealed);
        revealed.push(shown.name);
      }
      if (count === 1) {
        // A reload in the middle of the reveal comes back where the draw is, not at the start.
        await page.reload();
        const again = await waitForPage(
          page,
          (current) => current.phase !== 'connecting',
          'the reloaded page',
        );
        expect(again.phase).toBe('revealing');
        expect(again.prize).toBe('Second prize');
        expect(again.name).toBe(revealed[0]);
      }
    }
    const end = await waitForPage(
      page,
      (current) => current.phase === 'done',
      'the end of the draw',
    );
    const winners = await lastDrawn(home);
    expect(winners).toHaveLength(3);
    expect(end.winners).toEqual(winners);
    expect(revealed).toEqual(winners?.slice(0, revealed.length));
    expect(end.prize).toBe('Second prize');
    expect(end.subtitle).toBe('3 winners');
    expect(end.plan).toEqual({ 'Second prize': '0 of 3 left', 'First prize': '1 of 1 left' });
    await page.screenshot({ path: join(SCREENSHOTS, 'staged-draw-end.png') });
  });

  it('says so when lottery show stops', async () => {
    expect(await show.stop()).toBe(0);
    const stopped = await waitForPage(
      page,
      (view) => view.status.includes('stopped'),
      'the page to say that the CLI stopped',
    );
    expect(stopped.status).toBe('lottery show has stopped: this screen is no longer updated');
  });
});
