// The draw record (issue 23): `lottery draws record` of a draw on 100,000 employees, the size of
// the HTML page, and how long Debian's chromium takes to verify it from file:// (the page says so
// itself: its verdict names the milliseconds its verifier took, which --dump-dom reads back).

import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lottery, removeDir, tempDir } from '../support/proc.mjs';
import { formatInt, formatMs, formatTable } from '../support/report.mjs';
import { median } from '../support/stats.mjs';

const EMPLOYEES = 100_000;
const CHROMIUM = '/usr/bin/chromium';

function browserVerify(page) {
  const dom = execFileSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${page}`],
    {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const found = /every draw verifies \(checked in this browser in (\d+) ms\)/.exec(dom);
  if (!found) throw new Error('the page did not say that its draw verifies');
  return Number(found[1]);
}

export default {
  name: 'record',
  title: "record — a draw's record on 100,000 employees: size, and verification in chromium",
  async run({ quick, log }) {
    const home = tempDir('record');
    try {
      const lines = Array.from(
        { length: EMPLOYEES },
        (_, i) => `E${String(i + 1).padStart(6, '0')},Person ${i + 1}`,
      );
      const file = join(home, 'staff.csv');
      writeFileSync(file, `id,name\n${lines.join('\n')}\n`);
      log(`seeding ${EMPLOYEES} employees`);
      await lottery(['seed', '--file', file], home, { timeoutMs: 600_000 });
      await lottery(['draw', '-n', '10', '--name', 'big'], home);
      const page = join(home, 'big.html');
      const made = await lottery(['draws', 'record', 'big', '--out', page], home);
      const bytes = statSync(page).size;
      const times = [];
      for (let run = 0; run < (quick ? 1 : 5); run++) times.push(browserVerify(page));
      const cli = await lottery(['verify', '--record', page], home);
      const browserMs = median(times);
      const text = formatTable(
        ['what', 'value'],
        [
          ['employees', formatInt(EMPLOYEES)],
          ['record size', `${(bytes / 1024 / 1024).toFixed(2)} MB`],
          ['draws record (process)', formatMs(made.ms)],
          [`chromium verify (median of ${times.length})`, formatMs(browserMs)],
          ['lottery verify --record (process)', formatMs(cli.ms)],
        ],
      );
      return {
        text,
        data: { employees: EMPLOYEES, bytes, browser_ms: times, cli_ms: cli.ms },
        checks: [
          {
            name: 'record size',
            value: `${(bytes / 1e6).toFixed(2)} MB`,
            target: '≤ 5 MB',
            pass: bytes <= 5e6,
          },
          {
            name: 'browser verify',
            value: formatMs(browserMs),
            target: '≤ 2 s',
            pass: browserMs <= 2000,
          },
        ],
      };
    } finally {
      removeDir(home);
    }
  },
};
