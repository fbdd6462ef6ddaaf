import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, TestChain } from '../../helpers/beacon';
import { launchBrowser, type TestBrowser } from '../../helpers/browser';
import { runCli, tempHome } from '../../helpers/cli';
import { startShow, waitForPage, type ShowProcess } from './support';

// A beacon draw on the room's screen: the round it committed to, counted down, before any name
// is drawn. The drand chain is the tests' own (test/helpers/beacon.ts), on a relay on 127.0.0.1.

let browser: TestBrowser;
let home: string;
let cleanup: () => void;
let show: ShowProcess;
let closeRelay: () => Promise<unknown>;
let env: Record<string, string>;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  const chain = new TestChain();
  const relay = await startRelay(chain, 'honest');
  closeRelay = relay.close;
  // The backend runs the workflow's tasks inside lottery show, which holds the data directory.
  env = {
    LOTTERY_BEACON_CHAIN: chain.infoJson(),
    LOTTERY_BEACON_RELAYS: relay.url,
    LOTTERY_BEACON_MARGIN_SECONDS: '2',
  };
  expect((await runCli(['seed'], { home })).code).toBe(0);
  show = await startShow(home, ['--suspense', '0'], env);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await show?.stop();
  await closeRelay?.();
  cleanup?.();
});

describe("a beacon draw on the room's screen", () => {
  it('shows the round the draw committed to and counts down to it, then the winners', async () => {
    const page = await browser.context.newPage();
    await page.goto(show.url);
    await waitForPage(page, (view) => view.phase === 'idle', 'the screen between draws');
    const drawn = runCli(['draw', '-n', '2', '--prize', 'Bike', '--beacon', '--json'], {
      home,
      env,
      timeoutMs: 60_000,
    });
    const waiting = await waitForPage(
      page,
      (view) => view.subtitle.startsWith('Waiting for drand round'),
      'the countdown',
    );
    expect(waiting.subtitle).toMatch(
      /^Waiting for drand round \d+ \(test-chain\): (in \d+ s|due now)$/,
    );
    expect(waiting.message).toMatch(/^Committed before the round exists: [0-9a-f]{16}…$/);
    const result = await drawn;
    expect(result.code, result.stderr).toBe(0);
    const round = (JSON.parse(result.stdout) as { audit: { beacon: { round: number } } }).audit
      .beacon.round;
    expect(waiting.subtitle).toContain(`round ${round} `);
    const end = await waitForPage(page, (view) => view.phase === 'done', 'the winners');
    expect(end.winners).toEqual(
      (JSON.parse(result.stdout) as { winners: { employee_name: string }[] }).winners.map(
        (winner) => winner.employee_name,
      ),
    );
  });
});
