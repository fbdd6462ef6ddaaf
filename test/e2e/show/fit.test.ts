import { kill } from 'node:process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../helpers/browser';
import { runCli, tempHome } from '../../helpers/cli';
import {
  overflowProblems,
  SCREENSHOTS,
  seen,
  startShow,
  waitForPage,
  type ShowProcess,
} from './support';

// A draw nobody reveals from a terminal, revealed by the page at its own pace, with the names
// that are hardest to fit: twelve winners, one with a 120-character name, one in Chinese. From a
// small projector (1024×768) to a 4K screen (3840×2160), nothing may be cut, spill over the
// edge, overlap or become unreadable. The screenshots are kept for people to look at (CI
// artefacts, git-ignored).

const LONG_NAME =
  'Maria Fernanda de los Ángeles Guadalupe Concepción Villaseñor y Castellanos-Oyarzábal von Hohenzollern-Sigmaringen IIII.';
const CJK_NAME = '欧阳娜娜·司马相如';
const OTHERS = [
  'Zoë Brontë',
  'Łukasz Żółć',
  'Nguyễn Thị Minh Khai',
  'Ana',
  'O',
  'Jean-Baptiste Poquelin',
  'Søren Kierkegaard',
  'Χαράλαμπος Παπαδόπουλος',
  'Иван Петров',
  'Björk Guðmundsdóttir',
];
const SIZES = [
  { width: 1024, height: 768 },
  { width: 3840, height: 2160 },
];

let browser: TestBrowser;
let home: string;
let cleanup: () => void;
let show: ShowProcess;
let page: Page;

beforeAll(async () => {
  expect(LONG_NAME).toHaveLength(120);
  const temp = tempHome();
  ({ home, cleanup } = temp);
  const people = [LONG_NAME, CJK_NAME, ...OTHERS];
  const file = join(home, 'people.csv');
  writeFileSync(
    file,
    `employee_id,employee_name,department\n${people.map((name, index) => `E${100 + index},"${name}",Sales`).join('\n')}\n`,
  );
  expect((await runCli(['seed', '--file', file], { home })).code).toBe(0);
  show = await startShow(home, ['--suspense', '1']);
  browser = await launchBrowser(SIZES[0]);
  page = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await show?.stop();
  cleanup?.();
});

describe("the room's screen fits any names on any screen", () => {
  it('reveals a draw started without --stage by itself, keeping every name inside the screen', async () => {
    await page.goto(show.url);
    await waitForPage(page, (view) => view.phase === 'idle', 'the screen between draws');
    const drawn = runCli(['draw', '--winners', '12', '--prize', 'Grand prize'], { home });
    const problems = new Set<string>();
    let view = await waitForPage(page, (current) => current.phase === 'drawing', 'the draw');
    for (let shown = -1; view.phase !== 'done'; view = await seen(page)) {
      if (view.winners.length !== shown) {
        shown = view.winners.length;
        for (const problem of await overflowProblems(page)) problems.add(`${shown}: ${problem}`);
      }
      if (view.subtitle === 'Winner 6 of 12')
        await page.screenshot({ path: join(SCREENSHOTS, 'revealing-1024x768.png') });
    }
    expect((await drawn).code).toBe(0);
    expect([...problems]).toEqual([]);
    expect(view.winners).toHaveLength(12);
    expect(new Set(view.winners)).toEqual(new Set([LONG_NAME, CJK_NAME, ...OTHERS]));
  });

  it.each(SIZES)('fits twelve winners at $width×$height', async (size) => {
    await page.setViewportSize(size);
    const view = await waitForPage(page, (current) => current.phase === 'done', 'the winners');
    expect(view.winners).toHaveLength(12);
    // The page fits its text again after a resize; give it a frame.
    await page.waitForTimeout(300);
    expect(await overflowProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `winners-${size.width}x${size.height}.png`) });
  });

  it('says that lottery show is not answering when it hears nothing for 15 seconds', async () => {
    kill(show.pid, 'SIGSTOP');
    try {
      const silent = await waitForPage(
        page,
        (view) => view.status.includes('not answering'),
        'the page to notice the silence',
        25_000,
      );
      expect(silent.status).toBe('lottery show is not answering: this screen may be out of date');
    } finally {
      kill(show.pid, 'SIGCONT');
    }
    const back = await waitForPage(
      page,
      (view) => view.status.startsWith('Live'),
      'the page to hear it again',
    );
    expect(back.phase).toBe('done');
  });

  it('says why a draw failed, and shows no winner', async () => {
    // Everyone in the pool has won: the next draw cannot find anyone.
    const failed = await runCli(['draw', '--winners', '3', '--prize', 'Encore'], { home });
    expect(failed.code).toBe(1);
    const view = await waitForPage(
      page,
      (current) => current.phase === 'failed',
      'the failed draw',
    );
    expect(view.prize).toBe('Encore');
    expect(view.message).toMatch(/^The draw failed: /);
    expect(view.winners).toEqual([]);
    expect(await overflowProblems(page)).toEqual([]);
  });
});
