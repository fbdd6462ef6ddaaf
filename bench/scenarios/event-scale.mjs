// An event at company size: a draw of 10 on 100,000 employees of whom 10 % are excluded (the
// employee file's eligible column) and who hold 1 to 5 tickets, against the plain draw of 10 on
// 1,000, each as a whole `lottery draw` process on its own embedded backend, side by side in one
// run. Then, on the event pool, the DynamoDB items a whole draw reads (traced runs) against what
// the algorithm expects: (candidates / eligible) × (T / mean tickets) proposals a winner.

import { interleaved, timingResults, timingTable } from '../support/cases.mjs';
import { executionOf } from '../support/executions.mjs';
import { lottery, lotteryTraced, removeDir, tempDir } from '../support/proc.mjs';
import { formatInt, formatMs, formatRatio, formatTable, targetCell } from '../support/report.mjs';
import { writeStaffCsv } from '../support/staff.mjs';
import { median, sum } from '../support/stats.mjs';

const SMALL = 1_000;
const LARGE = 100_000;
const WINNERS = 10;
/** writeStaffCsv's event columns: every tenth person excluded, tickets 1 to 5 in turn. */
const EXCLUDED = LARGE / 10;
const MAX_TICKETS = 5;
const MEAN_TICKETS = 3;
/** Proposals a winner is expected to take: the candidates are the eligible, so T / mean. */
const PER_PICK = MAX_TICKETS / MEAN_TICKETS;
/**
 * Items a draw may read: twice the expected proposals (one lookup each at most), one a person
 * who has won or is claimed, the latest version of the exclusions (its parts) and a few more
 * (statistics, probe, forfeits, resets).
 */
const itemsGoal = (k, w) => Math.ceil(2 * k * PER_PICK) + w + 12;

const stateMs = (execution, name) =>
  execution?.states
    .filter((state) => state.name === name)
    .reduce((total, state) => total + state.ms, 0);

export default {
  name: 'event-scale',
  title: `event-scale — \`lottery draw --winners ${WINNERS}\` on ${formatInt(LARGE)} employees, ${formatInt(EXCLUDED)} excluded, tickets 1–${MAX_TICKETS}, against the plain draw on ${formatInt(SMALL)}`,
  async run({ quick, log }) {
    const files = tempDir('event-files');
    const homes = { small: tempDir('event-small'), large: tempDir('event-large') };
    const seeded = {};
    for (const [key, file] of [
      ['small', writeStaffCsv(files, SMALL)],
      ['large', writeStaffCsv(files, LARGE, { event: true })],
    ]) {
      const run = await lottery(['seed', '--file', file, '--json'], homes[key], {
        timeoutMs: 300_000,
      });
      seeded[key] = { ms: run.ms, ...JSON.parse(run.stdout) };
      log(`seeded ${key} in ${formatMs(run.ms)}`);
    }
    removeDir(files);

    let count = 0;
    const executions = new Map();
    const drawOn = (key) => async () => {
      const name = `event-${key}-${++count}`;
      const sample = await lottery(
        ['draw', '--winners', String(WINNERS), '--name', name],
        homes[key],
      );
      executions.set(sample, executionOf(homes[key], name));
      return sample;
    };
    const small = `lottery draw --winners ${WINNERS} (${formatInt(SMALL)} employees)`;
    const cases = [
      { name: small, run: drawOn('small') },
      {
        name: `lottery draw --winners ${WINNERS} (${formatInt(LARGE)} employees, ${formatInt(EXCLUDED)} excluded, tickets 1–${MAX_TICKETS})`,
        run: drawOn('large'),
        target: { op: '<=', value: 1.3, of: 'the plain draw on 1,000' },
      },
    ];
    const rounds = quick ? 4 : 15;
    const samples = await interleaved(cases, {
      rounds,
      warmup: 2,
      progress: (done, total) => done > 0 && done % 5 === 0 && log(`round ${done}/${total}`),
    });
    const results = timingResults(cases, samples, small);
    const selectMs = cases.map((one) =>
      median(
        samples[one.name]
          .map((sample) => stateMs(executions.get(sample), 'Random Select Winners'))
          .filter(Number.isFinite),
      ),
    );

    const traced = [];
    for (let run = 0; run < (quick ? 1 : 3); run++) {
      const before = JSON.parse(
        (await lottery(['employees', 'count', '--json'], homes.large)).stdout,
      );
      const sample = await lotteryTraced(
        ['draw', '--winners', String(WINNERS), '--json'],
        homes.large,
      );
      const reads = sample.trace.filter(
        (event) => event.kind === 'response' && event.items !== undefined,
      );
      const drawn = JSON.parse(sample.stdout);
      const verified = JSON.parse(
        (await lottery(['verify', drawn.draw_id, '--json'], homes.large)).stdout,
      );
      const proposals = verified.candidates.length;
      traced.push({
        w: before.won + before.held_by_running_draws,
        items: sum(reads.map((event) => event.items)),
        calls: reads.length,
        proposals,
        lookups: new Set(verified.candidates.map((candidate) => candidate.serial)).size,
        verified: verified.ok,
      });
    }
    for (const home of Object.values(homes)) removeDir(home);

    const itemChecks = traced.map((run) => ({ ...run, goal: itemsGoal(WINNERS, run.w) }));
    const large = results[1];
    const text = [
      timingTable(results),
      '',
      formatTable(
        ['on the embedded backend', `${formatInt(SMALL)} plain`, `${formatInt(LARGE)} event`],
        [
          [
            'Random Select Winners in the timed draws (median)',
            formatMs(selectMs[0]),
            formatMs(selectMs[1]),
          ],
          [
            'lottery seed of the pool (once, not timed above)',
            formatMs(seeded.small.ms),
            formatMs(seeded.large.ms),
          ],
        ],
        ['l', 'r', 'r'],
      ),
      '',
      formatTable(
        [
          'traced draw on the event pool',
          'w',
          'proposals',
          'serials looked up',
          `expected ${WINNERS} × ${PER_PICK.toFixed(2)}`,
          'items read',
          'read calls',
          'goal',
          'verifies',
        ],
        itemChecks.map((run, index) => [
          `draw ${index + 1}`,
          formatInt(run.w),
          formatInt(run.proposals),
          formatInt(run.lookups),
          (WINNERS * PER_PICK).toFixed(1),
          formatInt(run.items),
          formatInt(run.calls),
          targetCell({ pass: run.items <= run.goal, target: `≤ ${formatInt(run.goal)}` }),
          run.verified ? '✔' : '✖',
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
      ),
      '',
      `${rounds} interleaved rounds after 2 warm-up rounds; each pool in its own data directory, drawn from without reset.`,
      `Expected proposals a winner: (candidates / eligible) × (T / mean tickets) = 1 × ${MAX_TICKETS} / ${MEAN_TICKETS}; the ${formatInt(EXCLUDED)} excluded are read as one version of the exclusions, not one item each.`,
    ].join('\n');
    return {
      text,
      data: {
        rounds,
        cases: results,
        random_select_ms: { small: selectMs[0], large: selectMs[1] },
        seed_ms: { small: seeded.small.ms, large: seeded.large.ms },
        items_per_draw: itemChecks,
      },
      checks: [
        {
          name: `${large.name} ÷ the plain draw on ${formatInt(SMALL)}`,
          value: formatRatio(large.ratio),
          target: large.target,
          pass: large.pass,
        },
        {
          name: `DynamoDB items read per draw of ${WINNERS} on the event pool`,
          value: itemChecks.map((run) => formatInt(run.items)).join(', '),
          target: `≤ 2 × k × T/mean + w + 12`,
          pass: itemChecks.every((run) => run.items <= run.goal),
        },
        {
          name: 'the traced draws verify',
          value: itemChecks.map((run) => (run.verified ? 'yes' : 'no')).join(', '),
          target: 'all',
          pass: itemChecks.every((run) => run.verified),
        },
      ],
    };
  },
};
