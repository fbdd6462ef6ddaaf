// A whole `lottery draw` as a person runs it on the embedded backend: start Node, load the CLI,
// open the backend, run the Lottery state machine, follow its history, print the winners, exit.

import { interleaved, timingResults, timingTable } from '../support/cases.mjs';
import { executionOf } from '../support/executions.mjs';
import { lottery, lotteryTraced, tempDir, timed } from '../support/proc.mjs';
import { formatMs, formatTable } from '../support/report.mjs';
import { at, spanReport } from '../support/spans.mjs';
import { median } from '../support/stats.mjs';

const POOL = 320; // fixtures/employees.csv
const WINNERS = 2;

function stateTable(executions) {
  const names = [
    ...new Map(
      executions.flatMap((execution) => execution.states.map((state) => [state.name, state.depth])),
    ).entries(),
  ];
  const rows = [
    [
      'execution (StartExecution → ExecutionSucceeded)',
      median(executions.map((execution) => execution.stopDate - execution.startDate)),
    ],
    ...names.map(([name, depth]) => [
      `${'  '.repeat(depth + 1)}${name}`,
      median(
        executions.map((execution) =>
          execution.states
            .filter((state) => state.name === name)
            .reduce((sum, state) => sum + state.ms, 0),
        ),
      ),
    ]),
  ];
  return formatTable(
    ['state (server side, from the execution history)', 'median'],
    rows.map(([label, ms]) => [label, formatMs(ms)]),
    ['l', 'r'],
  );
}

// The milestones of a traced draw: see support/trace.mjs.
const DRAW_SPANS = (executions) => {
  const stop = (sample) => executions.get(sample)?.stopDate;
  return [
    ['spawn → Node booted', at.spawn, at.booted, 'exec, Node bootstrap'],
    [
      '→ first backend request',
      at.booted,
      at.first('request', '*'),
      'load the CLI, AWS SDK and dynalite, start listening',
    ],
    [
      '→ first Step Functions request',
      at.first('request', '*'),
      at.first('request', 'AWSStepFunctions'),
      "ensure tables (LevelDB opens), create the session's SDK clients",
    ],
    [
      'ListStateMachines',
      at.first('request', 'ListStateMachines'),
      at.first('response', 'ListStateMachines'),
      'engine loaded on first Step Functions request',
    ],
    [
      '→ StartExecution answered',
      at.first('response', 'ListStateMachines'),
      at.first('response', 'StartExecution'),
      '',
    ],
    [
      '→ execution stopped',
      at.first('response', 'StartExecution'),
      stop,
      'the state machine runs (table below)',
    ],
    [
      '→ last request answered',
      stop,
      at.last('response', '*'),
      'next history poll (20–45 ms apart), DescribeExecution',
    ],
    ['→ exit', at.last('response', '*'), at.exit, 'print the winners, close the backend, exit'],
  ];
};

export default {
  name: 'draw-latency',
  title: `draw-latency — \`lottery draw --winners ${WINNERS}\` as a whole process, embedded backend`,
  async run({ quick, log }) {
    const home = tempDir('draw');
    await lottery(['seed', '--file', 'fixtures/employees.csv'], home);
    let drawn = 0;
    let resets = 0;
    let count = 0;
    const ensurePool = async () => {
      if (drawn + WINNERS <= POOL) return;
      // Outside the timed part: everyone eligible again.
      await lottery(['reset', '--yes'], home);
      drawn = 0;
      resets++;
    };
    const drawArgs = (name) => ['draw', '--winners', String(WINNERS), '--name', name];

    const executions = new Map();
    const cases = [
      { name: 'node -e 0', run: () => timed(process.execPath, ['-e', '0']) },
      {
        name: `lottery draw --winners ${WINNERS}`,
        target: { op: '<', value: 10, of: 'baseline' },
        async run() {
          await ensurePool();
          const name = `bench-draw-${++count}`;
          const sample = await lottery(drawArgs(name), home);
          drawn += WINNERS;
          const execution = executionOf(home, name);
          if (execution) executions.set(sample, execution);
          return sample;
        },
      },
    ];
    const rounds = quick ? 5 : 20;
    const samples = await interleaved(cases, {
      rounds,
      warmup: 2,
      progress: (done, total) => done > 0 && done % 5 === 0 && log(`round ${done}/${total}`),
    });
    const results = timingResults(cases, samples, 'node -e 0');
    const drawResult = results[1];

    // Separate, untimed runs with the tracing preload: where the time of one draw goes.
    const traced = [];
    for (let run = 0; run < (quick ? 2 : 6); run++) {
      await ensurePool();
      const name = `bench-draw-traced-${run + 1}`;
      const sample = await lotteryTraced(drawArgs(name), home);
      drawn += WINNERS;
      const execution = executionOf(home, name);
      if (execution) executions.set(sample, execution);
      traced.push(sample);
    }
    const spans = spanReport(
      traced,
      DRAW_SPANS(executions),
      'phase of one `lottery draw` (traced)',
    );
    const timedExecutions = samples[drawResult.name]
      .map((sample) => executions.get(sample))
      .filter(Boolean);

    const text = [
      timingTable(results),
      '',
      spans.table,
      '',
      timedExecutions.length
        ? stateTable(timedExecutions)
        : '(no per-state times: the data directory no longer holds executions/<name>.history.jsonl)',
      '',
      `${rounds} interleaved rounds after 2 warm-up rounds; pool: fixtures/employees.csv (${POOL} people)${resets ? `, reset ${resets}× outside the timed part` : ''}.`,
      'Phases: medians of each span separately (they need not add up); times from two processes on one clock.',
    ].join('\n');
    return {
      text,
      data: {
        rounds,
        pool: POOL,
        resets,
        cases: results,
        phases: spans.rows,
        states: timedExecutions.map((execution) => ({
          ms: execution.stopDate - execution.startDate,
          events: execution.events,
          states: execution.states,
        })),
      },
      checks: [
        {
          name: drawResult.name,
          value: `${drawResult.ratio.toFixed(2)}× baseline`,
          target: drawResult.target,
          pass: drawResult.pass,
        },
      ],
    };
  },
};
