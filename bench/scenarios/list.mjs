// `lottery employees list` on a company of 20,000: the table a person reads against the same rows
// as JSON, so that the cost of laying out the table is what is measured (both read the same
// backend the same way).

import { interleaved, timingResults, timingTable } from '../support/cases.mjs';
import { lottery, removeDir, tempDir } from '../support/proc.mjs';
import { formatInt } from '../support/report.mjs';
import { writeStaffCsv } from '../support/staff.mjs';

const PEOPLE = 20_000;

export default {
  name: 'list',
  title: `list — \`lottery employees list\` of ${formatInt(PEOPLE)} people, table against --json`,
  async run({ quick, log }) {
    const home = tempDir('list');
    const files = tempDir('list-files');
    try {
      await lottery(['seed', '--file', writeStaffCsv(files, PEOPLE)], home, { timeoutMs: 180_000 });
      const cases = [
        {
          name: 'employees list --json',
          run: () => lottery(['employees', 'list', '--json'], home),
        },
        {
          name: 'employees list',
          run: () => lottery(['employees', 'list'], home),
          target: { op: '<=', value: 2, of: 'baseline' },
        },
      ];
      const rounds = quick ? 3 : 10;
      const samples = await interleaved(cases, {
        rounds,
        progress: (done, total) => log(`round ${done}/${total}`),
      });
      const results = timingResults(cases, samples, 'employees list --json');
      return {
        text: [
          timingTable(results),
          '',
          `${rounds} interleaved rounds after a warm-up round, output to a pipe (no colour).`,
        ].join('\n'),
        data: { people: PEOPLE, rounds, cases: results },
        checks: results
          .filter((result) => result.target)
          .map((result) => ({
            name: result.name,
            value: `${result.ratio.toFixed(2)}× --json`,
            target: result.target,
            pass: result.pass,
          })),
      };
    } finally {
      removeDir(home);
      removeDir(files);
    }
  },
};
