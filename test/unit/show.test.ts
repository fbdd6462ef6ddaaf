import { describe, expect, it } from 'vitest';
import { countdownText } from '../../src/core/countdown';
import type { ProgressUpdate, Step } from '../../src/core/progress';
import {
  beaconOf,
  failureText,
  nextSteps,
  ownPaceTimes,
  replacedDrawOf,
  type ShowStep,
} from '../../src/core/show';
import { RevealRecorder } from '../../src/cli/reveal-recorder';
import { ownHosts, screenRequest } from '../../src/cli/show/server';
import { gridShape, largestFitting } from '../../src/show-page/layout';

// The room's screen's rules, without a browser or a backend: which states get a mark, when the page
// reveals by itself, how names are laid out, and which requests the server refuses.

const step = (name: string, type = 'Task', extra: Partial<Step> = {}): Step => ({
  name,
  type,
  visit: 1,
  depth: 0,
  enteredAt: new Date(0),
  attempts: 1,
  outcome: 'running',
  lastAttemptFailed: false,
  ...extra,
});

describe('the states on screen', () => {
  it('marks Tasks and Waits as they run, finish or fail, once each, and skips Choices and Parallels', () => {
    const updates: ProgressUpdate[] = [
      { kind: 'entered', step: step('Input Lottery Winners') },
      { kind: 'exited', step: step('Input Lottery Winners') },
      { kind: 'entered', step: step('Is Beacon Draw', 'Choice') },
      { kind: 'entered', step: step('Random Select Winners') },
      { kind: 'exited', step: step('Random Select Winners') },
      { kind: 'entered', step: step('Random Select Winners', 'Task', { visit: 2 }) },
      { kind: 'entered', step: step('Send SNS and Record In Dynamodb', 'Parallel') },
      { kind: 'failed', step: step('Record Winner Queue') },
    ];
    let steps: ShowStep[] = [];
    for (const update of updates) steps = nextSteps(steps, update);
    expect(steps).toEqual([
      { name: 'Input Lottery Winners', status: 'done', visits: 1 },
      { name: 'Random Select Winners', status: 'running', visits: 2 },
      { name: 'Record Winner Queue', status: 'failed', visits: 1 },
    ]);
  });

  it("reads a beacon draw's commitment from the state that carries it", () => {
    const commitment = {
      chain: { beacon_id: 'quicknet', hash: 'ab'.repeat(32) },
      round: 1234,
      round_time: '2026-11-26T12:00:03Z',
      digest: 'cd'.repeat(32),
    };
    const waiting = step('Wait For Beacon Round', 'Wait', {
      input: { body: { beacon: { commitment } } },
    });
    expect(beaconOf({ kind: 'entered', step: waiting })).toEqual({
      round: 1234,
      chain: 'quicknet',
      due_at: '2026-11-26T12:00:03Z',
      commitment: 'cd'.repeat(32),
    });
    expect(beaconOf({ kind: 'entered', step: step('Random Select Winners') })).toBeUndefined();
  });

  it('says why a draw ended without winners', () => {
    expect(
      failureText({ status: 'FAILED', error: 'NotEnoughEligible', cause: 'only 1 left' }),
    ).toBe('The draw failed: only 1 left');
    expect(failureText({ status: 'ABORTED', error: 'Stopped', cause: '' })).toBe(
      'The draw was stopped: Stopped',
    );
  });
});

describe("the page's own pace", () => {
  const pace = { suspenseMs: 3000, stepMs: 1500, allWithinMs: 15_000 };

  it('lets names roll for the suspense, counted from when the screen started showing the draw', () => {
    expect(ownPaceTimes({ shownAt: 0, endedAt: 500 }, 3, pace)).toEqual([3000, 4500, 6000]);
    expect(ownPaceTimes({ shownAt: 0, endedAt: 5000 }, 2, pace)).toEqual([5000, 6500]);
  });

  it('brings a large draw out within about the time set, each winner still seen a moment', () => {
    const twenty = ownPaceTimes({ shownAt: 0, endedAt: 0 }, 20, pace);
    expect(twenty[1]! - twenty[0]!).toBe(750);
    const many = ownPaceTimes({ shownAt: 0, endedAt: 0 }, 500, pace);
    expect(many[1]! - many[0]!).toBe(250);
  });
});

describe('countdown', () => {
  it('reads as a person says it', () => {
    expect(countdownText(65_000)).toBe('in 1 min 05 s');
    expect(countdownText(41_200)).toBe('in 42 s');
    expect(countdownText(0)).toBe('due now');
  });
});

describe("the winners' grid", () => {
  it('keeps one column for one name and gives wide screens more columns', () => {
    expect(gridShape(1, 1000, 600)).toEqual({ columns: 1, rows: 1 });
    expect(gridShape(12, 1024, 600)).toEqual({ columns: 2, rows: 6 });
    expect(gridShape(12, 3840, 1700)).toEqual({ columns: 3, rows: 4 });
    const fifty = gridShape(50, 1024, 600);
    expect(fifty.columns * fifty.rows).toBeGreaterThanOrEqual(50);
  });

  it('finds the largest size that fits, and the smallest when none does', () => {
    expect(largestFitting((size) => size <= 37, 10, 200)).toBe(37);
    expect(largestFitting(() => true, 10, 200)).toBe(200);
    expect(largestFitting(() => false, 10, 200)).toBe(10);
  });
});

describe('the reveal recorder of draw --stage', () => {
  it('writes in the background, only the latest progress when writes pile up, and keeps a failure to say later', async () => {
    const written: number[] = [];
    let release: () => void = () => {};
    const recorder = new RevealRecorder(async (progress) => {
      written.push(progress.revealed);
      if (progress.revealed === 0) await new Promise<void>((resolve) => (release = resolve));
      if (progress.revealed === 3) throw new Error('throttled');
    });
    recorder.record(0, false);
    recorder.record(1, false);
    recorder.record(2, false);
    recorder.record(3, true);
    release();
    expect(await recorder.settle(1000)).toBe('throttled');
    expect(written).toEqual([0, 3]);
  });
});

describe("the room's screen's server", () => {
  const hosts = ownHosts('127.0.0.1', 8080);
  const get = (headers: Record<string, string>, method = 'GET') =>
    screenRequest({ method, headers: { host: '127.0.0.1:8080', ...headers } } as never, hosts);

  it('answers its own page', () => {
    expect(hosts).toEqual(expect.arrayContaining(['127.0.0.1:8080', 'localhost:8080']));
    expect(get({})).toBeUndefined();
    expect(
      get({ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }),
    ).toBeUndefined();
    expect(get({}, 'HEAD')).toBeUndefined();
  });

  it('refuses other names, other sites and every method that could change something', () => {
    expect(get({ host: 'rebound.example:8080' })?.status).toBe(403);
    expect(get({ origin: 'http://evil.example' })?.status).toBe(403);
    expect(get({ 'sec-fetch-site': 'same-site' })?.status).toBe(403);
    expect(get({}, 'POST')?.status).toBe(405);
  });

  it('on a LAN address, answers that address only', () => {
    expect(ownHosts('192.168.1.20', 80)).toEqual(['192.168.1.20:80']);
  });
});

describe('a replacement on the screen', () => {
  it('knows the draw a replacement replaces from its execution input, and nothing of others', () => {
    const replaces = { draw_id: 'first-prize', employee_id: '005' };
    expect(replacedDrawOf(JSON.stringify({ input: 1, prize: 'First prize', replaces }))).toBe(
      'first-prize',
    );
    expect(replacedDrawOf(JSON.stringify({ input: 2, prize: 'First prize' }))).toBeUndefined();
    expect(replacedDrawOf('{"input": 1, "replaces": "first-prize"}')).toBeUndefined();
    expect(replacedDrawOf('not json')).toBeUndefined();
    expect(replacedDrawOf(undefined)).toBeUndefined();
  });
});
