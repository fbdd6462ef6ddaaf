// The room's screen: how soon `lottery show` gives the address to open, and what following draws
// on a page costs the draws themselves.

import { spawn } from 'node:child_process';
import { interleaved, timingResults, timingTable } from '../support/cases.mjs';
import { BIN, cliEnv, epochNow, lottery, ROOT, tempDir } from '../support/proc.mjs';
import { formatMs } from '../support/report.mjs';

/** Pool size of fixtures/employees.csv: reset before it runs out. */
const POOL = 320;
const WINNERS = 2;
/** The added time a draw may take while a page follows it. */
const DRAW_OVERHEAD_MS = 50;

/**
 * Starts a long-running `lottery ARGS…` and resolves once its stdout has a line `pattern` matches:
 * the time that took, the match, and a stop() that sends Ctrl-C and waits for the exit.
 */
function startServing(args, home, pattern) {
  const startedAt = epochNow();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: cliEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const found = pattern.exec(stdout);
      if (found)
        resolve({
          ms: epochNow() - startedAt,
          found: found[1],
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
    });
    void exited.then((code) =>
      reject(new Error(`lottery ${args.join(' ')} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** A page's event stream, read as the browser's EventSource does: the last state it was sent. */
async function watch(url) {
  const response = await fetch(`${url}events`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const watcher = { state: undefined, closed: false };
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: state$/m.test(message))
          watcher.state = JSON.parse(/^data: (.*)$/m.exec(message)[1]);
      }
    }
    watcher.closed = true;
  })();
  watcher.close = () => reader.cancel();
  return watcher;
}

/** Waits until the page has been shown the end of draw `id`. */
async function shownToEnd(watcher, id, timeoutMs = 30_000) {
  const started = Date.now();
  while (!(watcher.state?.draw?.id === id && watcher.state.draw.phase === 'done')) {
    if (Date.now() - started > timeoutMs || watcher.closed)
      throw new Error(`the page was not shown draw ${id}: ${JSON.stringify(watcher.state?.draw)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function seeded(label) {
  const home = tempDir(label);
  await lottery(['seed', '--file', 'fixtures/employees.csv'], home);
  return { home, drawn: 0 };
}

/** One `lottery draw`, timed; the pool is reset outside the timed part when it runs low. */
async function draw(pool) {
  if (pool.drawn + WINNERS > POOL) {
    await lottery(['reset', '--yes'], pool.home);
    pool.drawn = 0;
  }
  const result = await lottery(['draw', '--winners', String(WINNERS), '--json'], pool.home);
  pool.drawn += WINNERS;
  return { ...result, id: JSON.parse(result.stdout).draw_id };
}

export default {
  name: 'show',
  title: "show — the room's screen: its start, and what a followed draw costs",
  async run({ quick, log }) {
    const startupHome = tempDir('show-startup');
    const startupCases = [
      { name: 'lottery --help', run: () => lottery(['--help'], startupHome) },
      {
        name: 'lottery show: spawn → address printed',
        run: async () => {
          const show = await startServing(['show'], startupHome, /^(http:\/\/\S+)$/m);
          await show.stop();
          return show;
        },
        target: { op: '<=', value: 2, of: 'baseline' },
      },
    ];
    const startupRounds = quick ? 5 : 20;
    const startup = timingResults(
      startupCases,
      await interleaved(startupCases, {
        rounds: startupRounds,
        warmup: 2,
        progress: (done, total) => done > 0 && done % 5 === 0 && log(`startup ${done}/${total}`),
      }),
      'lottery --help',
    );

    // The same draw on two data directories, each held by a server process: `local serve` (no
    // page), and `lottery show` with a page watching (the draw goes through the backend show
    // holds, which also polls it). Between rounds, the page is let see the draw to its end.
    const [plain, shown] = await Promise.all([seeded('show-plain'), seeded('show-shown')]);
    const serve = await startServing(['local', 'serve'], plain.home, /^(http:\/\/\S+)$/m);
    const show = await startServing(['show', '--suspense', '0'], shown.home, /^(http:\/\/\S+)$/m);
    const watcher = await watch(show.found);
    let drawRows;
    try {
      const drawCases = [
        { name: 'lottery draw (local serve, no page)', run: () => draw(plain) },
        {
          name: 'lottery draw (lottery show, a page watching)',
          run: async () => {
            const sample = await draw(shown);
            await shownToEnd(watcher, sample.id);
            return sample;
          },
        },
      ];
      const drawRounds = quick ? 4 : 15;
      drawRows = timingResults(
        drawCases,
        await interleaved(drawCases, {
          rounds: drawRounds,
          warmup: 1,
          progress: (done, total) => done > 0 && done % 5 === 0 && log(`draws ${done}/${total}`),
        }),
        'lottery draw (local serve, no page)',
      );
    } finally {
      watcher.close();
      await Promise.all([serve.stop(), show.stop()]);
    }
    const added = drawRows[1].median - drawRows[0].median;
    const startupRatio = startup[1].ratio;
    const text = [
      timingTable(startup),
      '',
      timingTable(drawRows),
      '',
      `a draw followed on a page: ${added >= 0 ? '+' : ''}${formatMs(added)} (median against median)`,
      `${startupRounds} interleaved startup rounds; every followed draw was seen to its end on the page's event stream before the next round.`,
    ].join('\n');
    return {
      text,
      data: { startup, draws: drawRows, added_ms: added },
      checks: [
        {
          name: 'lottery show startup',
          value: `${startupRatio.toFixed(2)}× lottery --help`,
          target: '≤ 2× lottery --help',
          pass: startupRatio <= 2,
        },
        {
          name: 'a draw followed on a page',
          value: `${added >= 0 ? '+' : ''}${formatMs(added)}`,
          target: `≤ +${DRAW_OVERHEAD_MS} ms`,
          pass: added <= DRAW_OVERHEAD_MS,
        },
      ],
    };
  },
};
