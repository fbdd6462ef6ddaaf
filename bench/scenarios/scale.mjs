// Company size: a draw of 10 on 100,000 employees against the same draw on 1,000, each as a
// whole `lottery draw` process on its own embedded backend, side by side in one run. Then, on the
// 100,000 pool, the DynamoDB items a whole draw reads (from traced runs), and Random Select
// Winners against the workshop's own select + validate queries: both in this process, warm, on
// the same backend, one after the other in turn.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { interleaved, checkRatio, timingResults, timingTable } from '../support/cases.mjs';
import { executionOf } from '../support/executions.mjs';
import {
  lottery,
  lotteryTraced,
  nodeWithPeakRss,
  removeDir,
  ROOT,
  tempDir,
} from '../support/proc.mjs';
import { formatInt, formatMs, formatRatio, formatTable, targetCell } from '../support/report.mjs';
import { writeStaffCsv } from '../support/staff.mjs';
import { median, sum } from '../support/stats.mjs';

const SMALL = 1_000;
const LARGE = 100_000;
const WINNERS = 10;
/**
 * Items a draw may read: 3 per winner, one per past winner or claim, and a few (statistics, probe,
 * keys page).
 */
const itemsGoal = (k, w) => 3 * k + w + 8;

const run = promisify(execFile);

/**
 * Random Select Winners as Lambda runs it, its bundle (scripts/build-lambdas.mjs) in a process of
 * its own against the backend at `url`, in turn with the workshop's select + validate queries
 * from the same process (bench/support/select-vs-workshop.mjs); then alone in a fresh process, for
 * its peak RSS: what the functions' memory setting must hold.
 */
async function selectFunction(lib, url, credentials, rounds) {
  const bundles = tempDir('scale-bundles');
  await run(process.execPath, [join(ROOT, 'scripts', 'build-lambdas.mjs'), '--outdir', bundles], {
    cwd: ROOT,
  });
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: url,
    AWS_REGION: lib.LOCAL_REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    EMPLOYEE_TABLE: lib.EMPLOYEE_TABLE,
    WINNERS_TABLE: lib.WINNERS_TABLE,
    DRAWS_TABLE: lib.DRAWS_TABLE,
    EXECUTION_ARN: `${lib.LOCAL_ARNS.executionPrefix}scale-function`,
  };
  const bundle = pathToFileURL(join(bundles, 'Lottery-RandomSelectWinners', 'index.mjs')).href;
  const script = join(ROOT, 'bench', 'support', 'select-vs-workshop.mjs');
  const compared = JSON.parse(
    (
      await run(
        process.execPath,
        [script, bundle, String(rounds), String(LARGE), String(WINNERS)],
        { env, cwd: ROOT },
      )
    ).stdout,
  );
  const alone = await nodeWithPeakRss([script, bundle, '0', String(LARGE), String(WINNERS)], {
    env,
    cwd: ROOT,
  });
  removeDir(bundles);
  return { ...compared, maxRssKiB: alone.peakRssKiB };
}

const stateMs = (execution, name) =>
  execution?.states
    .filter((state) => state.name === name)
    .reduce((total, state) => total + state.ms, 0);

export default {
  name: 'scale',
  title: `scale — \`lottery draw --winners ${WINNERS}\` on ${formatInt(LARGE)} employees against ${formatInt(SMALL)}, embedded backend`,
  async run({ lib, quick, log }) {
    const files = tempDir('scale-files');
    const homes = { [SMALL]: tempDir('scale-small'), [LARGE]: tempDir('scale-large') };
    const seeded = {};
    for (const size of [SMALL, LARGE]) {
      const run = await lottery(
        ['seed', '--file', writeStaffCsv(files, size), '--json'],
        homes[size],
        { timeoutMs: 300_000 },
      );
      seeded[size] = { ms: run.ms, ...JSON.parse(run.stdout) };
      log(`seeded ${formatInt(size)} in ${formatMs(run.ms)}`);
    }
    removeDir(files);

    let count = 0;
    const executions = new Map();
    const drawOn = (size) => async () => {
      const name = `scale-${size}-${++count}`;
      const sample = await lottery(
        ['draw', '--winners', String(WINNERS), '--name', name],
        homes[size],
      );
      executions.set(sample, executionOf(homes[size], name));
      return sample;
    };
    const small = `lottery draw --winners ${WINNERS} (${formatInt(SMALL)} employees)`;
    const cases = [
      { name: small, run: drawOn(SMALL) },
      {
        name: `lottery draw --winners ${WINNERS} (${formatInt(LARGE)} employees)`,
        run: drawOn(LARGE),
        target: { op: '<=', value: 1.3, of: 'the 1,000 draw' },
      },
    ];
    const rounds = quick ? 4 : 15;
    const samples = await interleaved(cases, {
      rounds,
      warmup: 2,
      progress: (done, total) => done > 0 && done % 5 === 0 && log(`round ${done}/${total}`),
    });
    const results = timingResults(cases, samples, small);
    const selectMs = Object.fromEntries(
      cases.map((one) => [
        one.name,
        median(
          samples[one.name]
            .map((sample) => stateMs(executions.get(sample), 'Random Select Winners'))
            .filter(Number.isFinite),
        ),
      ]),
    );

    // Items read by a whole draw on the large pool, and w (people who had won) before it.
    const traced = [];
    for (let run = 0; run < (quick ? 1 : 3); run++) {
      const before = JSON.parse(
        (await lottery(['employees', 'count', '--json'], homes[LARGE])).stdout,
      );
      const sample = await lotteryTraced(['draw', '--winners', String(WINNERS)], homes[LARGE]);
      const reads = sample.trace.filter(
        (event) => event.kind === 'response' && event.items !== undefined,
      );
      traced.push({
        w: before.won + before.held_by_running_draws,
        items: sum(reads.map((event) => event.items)),
        calls: reads.length,
      });
    }

    // Ours and the workshop's, as functions on the same backend: a server in this process.
    const server = await lib.startLocalServer({
      home: homes[LARGE],
      tables: { employees: lib.EMPLOYEE_TABLE, winners: lib.WINNERS_TABLE, draws: lib.DRAWS_TABLE },
    });
    let fn;
    try {
      fn = await selectFunction(lib, server.url, server.credentials, quick ? 5 : 20);
    } finally {
      await server.close();
    }
    const workshopTimes = fn.workshop;
    const ourTimes = fn.ours;
    const workshopMs = median(workshopTimes);
    const ourSelectMs = median(ourTimes);
    const selectCheck = checkRatio(ourSelectMs / workshopMs, {
      op: '<=',
      value: 1,
      of: "the workshop's queries",
    });
    const itemChecks = traced.map((run) => ({ ...run, goal: itemsGoal(WINNERS, run.w) }));
    const itemsPass = itemChecks.every((run) => run.items <= run.goal);

    const large = results[1];
    const text = [
      timingTable(results),
      '',
      formatTable(
        [
          'on the embedded backend',
          `${formatInt(SMALL)} employees`,
          `${formatInt(LARGE)} employees`,
        ],
        [
          [
            'Random Select Winners in the timed draws above (cold: a new process each)',
            formatMs(selectMs[cases[0].name]),
            formatMs(selectMs[cases[1].name]),
          ],
          [
            'Random Select Winners as a function (its bundle, a process of its own): warm median',
            '',
            formatMs(ourSelectMs),
          ],
          [
            "the workshop's select + validate from the same process, in turn: 10 index + 10 winners queries",
            '',
            formatMs(workshopMs),
          ],
          [
            'lottery seed of the pool (once, not timed above)',
            formatMs(seeded[SMALL].ms),
            formatMs(seeded[LARGE].ms),
          ],
          [
            'Random Select Winners as a function: its first (cold) invocation',
            '',
            formatMs(fn.cold),
          ],
          [
            "the function's process, peak RSS (what MemorySize must hold)",
            '',
            `${(fn.maxRssKiB / 1024).toFixed(1)} MiB`,
          ],
        ],
        ['l', 'r', 'r'],
      ),
      '',
      formatTable(
        [
          'traced draw on the large pool',
          'w (won or held before)',
          'items read',
          'read calls',
          `goal 3k + w + 8 (k = ${WINNERS})`,
        ],
        itemChecks.map((run, index) => [
          `draw ${index + 1}`,
          formatInt(run.w),
          formatInt(run.items),
          formatInt(run.calls),
          targetCell({ pass: run.items <= run.goal, target: `≤ ${formatInt(run.goal)}` }),
        ]),
        ['l', 'r', 'r', 'r', 'l'],
      ),
      '',
      `${rounds} interleaved rounds after 2 warm-up rounds; each pool in its own data directory, drawn from without reset (${formatInt((rounds + 2) * WINNERS)} winners each).`,
      'Items read: every DynamoDB GetItem, BatchGetItem, Query and Scan answer of the draw, counted by bench/support/trace.mjs.',
    ].join('\n');
    return {
      text,
      data: {
        rounds,
        cases: results,
        random_select_ms: selectMs,
        workshop_select_validate_ms: workshopMs,
        workshop_samples: workshopTimes,
        random_select_samples: ourTimes,
        random_select_cold_ms: fn.cold,
        function_peak_rss_kib: fn.maxRssKiB,
        seed_ms: { [SMALL]: seeded[SMALL].ms, [LARGE]: seeded[LARGE].ms },
        items_per_draw: itemChecks,
      },
      checks: [
        {
          name: `${large.name} ÷ the same draw on ${formatInt(SMALL)}`,
          value: formatRatio(large.ratio),
          target: large.target,
          pass: large.pass,
        },
        {
          name: `Random Select Winners at ${formatInt(LARGE)} ÷ the workshop's select + validate queries`,
          value: `${formatMs(ourSelectMs)} vs ${formatMs(workshopMs)} (${formatRatio(ourSelectMs / workshopMs)})`,
          target: selectCheck.target,
          pass: selectCheck.pass,
        },
        {
          name: `DynamoDB items read per draw of ${WINNERS} at ${formatInt(LARGE)}`,
          value: itemChecks.map((run) => formatInt(run.items)).join(', '),
          target: '≤ 3k + w + 8',
          pass: itemsPass,
        },
      ],
    };
  },
};
