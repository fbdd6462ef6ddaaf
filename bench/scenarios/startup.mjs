// How long a person waits for the CLI to answer, against the floor of starting Node at all.

import { interleaved, timingResults, timingTable } from '../support/cases.mjs';
import { lottery, lotteryTraced, tempDir, timed } from '../support/proc.mjs';
import { at, spanReport } from '../support/spans.mjs';

const LIST_SPANS = [
  ['spawn → Node booted', at.spawn, at.booted, 'exec, Node bootstrap'],
  [
    '→ first backend request',
    at.booted,
    at.first('request', '*'),
    'load the CLI, AWS SDK and dynalite, start listening',
  ],
  [
    'ListTables',
    at.first('request', 'ListTables'),
    at.first('response', 'ListTables'),
    "ensure tables; dynalite's first request waits for LevelDB to open",
  ],
  [
    '→ Scan received',
    at.first('response', 'ListTables'),
    at.first('request', 'Scan'),
    "create the session's SDK clients (DynamoDB and Step Functions)",
  ],
  ['Scan(s)', at.first('request', 'Scan'), at.last('response', 'Scan'), 'read Lottery-Winners'],
  ['→ exit', at.last('response', 'Scan'), at.exit, 'print the table, close the backend, exit'],
];

export default {
  name: 'startup',
  title: 'startup — wall time of a whole process, spawn to exit',
  async run({ quick, log }) {
    const home = tempDir('startup');
    // A seeded backend with some winners, so that `winners list` has a table to print.
    await lottery(['seed', '--file', 'fixtures/employees.csv'], home);
    await lottery(['draw', '--winners', '3'], home);

    const cases = [
      { name: 'node -e 0', run: () => timed(process.execPath, ['-e', '0']) },
      {
        name: 'lottery --help',
        run: () => lottery(['--help'], home),
        target: { op: '<=', value: 2, of: 'baseline' },
      },
      {
        name: 'lottery winners list',
        run: () => lottery(['winners', 'list'], home),
        target: { op: '<=', value: 4, of: 'baseline' },
      },
    ];
    const rounds = quick ? 5 : 20;
    const samples = await interleaved(cases, {
      rounds,
      warmup: 2,
      progress: (done, total) => done > 0 && done % 5 === 0 && log(`round ${done}/${total}`),
    });
    const results = timingResults(cases, samples, 'node -e 0');

    const traced = [];
    for (let run = 0; run < (quick ? 2 : 6); run++)
      traced.push(await lotteryTraced(['winners', 'list'], home));
    const spans = spanReport(traced, LIST_SPANS, 'phase of one `lottery winners list` (traced)');

    const text = [
      timingTable(results),
      '',
      spans.table,
      '',
      `${rounds} interleaved rounds after 2 warm-up rounds; \`winners list\` reads a backend seeded with fixtures/employees.csv and 3 winners.`,
    ].join('\n');
    return {
      text,
      data: { rounds, cases: results, phases: spans.rows },
      checks: results
        .filter((result) => result.target)
        .map((result) => ({
          name: result.name,
          value: `${result.ratio.toFixed(2)}× baseline`,
          target: result.target,
          pass: result.pass,
        })),
    };
  },
};
