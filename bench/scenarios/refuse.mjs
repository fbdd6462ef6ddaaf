// Refusing a bad file: `lottery seed --file` of 30 MB whose every line is one field short, in a
// 128 MiB heap, next to checking 30 MB of good rows (`seed --dry-run`); and how long the seed
// takes to end after SIGTERM while it checks the bad file (issue 25: a bad line cost a hundred
// times a good one, and the check ignored the signal).
//
// The good file runs with Node's default heap: its 1.2 million employees do not fit in 128 MiB
// (nor in 256): the first pass keeps each employee's id, name, serial and line to find duplicates
// across the file, some 200 bytes each. Refusing keeps nothing per line.

import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleaved, timingResults, timingTable } from '../support/cases.mjs';
import { BIN, cliEnv, epochNow, lottery, ROOT, tempDir } from '../support/proc.mjs';
import { formatMs, formatTable } from '../support/report.mjs';
import { summarize } from '../support/stats.mjs';

const MEGABYTES = 30;
const HEAP = { NODE_OPTIONS: '--max-old-space-size=128' };
const SIGTERM_TARGET_MS = 1000;

/** A CSV of `MEGABYTES` MB, `row(i)` line after line under `header`. */
function writeCsv(path, header, row) {
  const parts = [`${header}\n`];
  let bytes = parts[0].length;
  for (let i = 1; bytes < MEGABYTES * 1e6; i++) {
    const line = `${row(i)}\n`;
    parts.push(line);
    bytes += line.length;
  }
  writeFileSync(path, parts.join(''));
  return { path, lines: parts.length - 1, bytes: statSync(path).size };
}

const id = (i) => `S${String(i).padStart(7, '0')}`;
const HEADER = 'employee_id,employee_name,department';

/** Whether process `pid` has `path` open. */
function reading(pid, path) {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** SIGTERM once the seed has the file open; the time from the signal to the process's exit. */
function termWhileChecking(file, home) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'seed', '--file', file], {
      cwd: ROOT,
      env: cliEnv(home, HEAP),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let sentAt = 0;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const poll = setInterval(() => {
      if (sentAt || !reading(child.pid, file)) return;
      sentAt = epochNow();
      child.kill('SIGTERM');
    }, 5);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const endedAt = epochNow();
      clearInterval(poll);
      clearTimeout(timer);
      if (code !== 130 || !stderr.includes('interrupted while checking'))
        reject(new Error(`seed after SIGTERM: exit ${code ?? signal}\n${stderr.trim()}`));
      else resolve({ ms: endedAt - sentAt });
    });
  });
}

export default {
  name: 'refuse',
  title: `refuse — refusing ${MEGABYTES} MB of bad lines against checking ${MEGABYTES} MB of good ones, in a 128 MiB heap`,
  async run({ quick, log }) {
    const directory = tempDir('refuse');
    const home = tempDir('refuse-home');
    const good = writeCsv(join(directory, 'good.csv'), HEADER, (i) => `${id(i)},Name ${i},Ops`);
    const bad = writeCsv(join(directory, 'bad.csv'), HEADER, (i) => `${id(i)},Name ${i}`);
    log(`files: ${good.lines} good lines, ${bad.lines} bad lines`);

    const cases = [
      {
        name: `seed --dry-run, ${good.lines.toLocaleString('en-US')} good lines (default heap)`,
        run: async () => {
          const run = await lottery(['seed', '--file', good.path, '--dry-run'], home, {
            timeoutMs: 600_000,
          });
          if (!run.stdout.includes('is valid')) throw new Error(`not valid: ${run.stderr}`);
          return run;
        },
      },
      {
        name: `seed, ${bad.lines.toLocaleString('en-US')} lines one field short, 128 MiB heap`,
        target: { op: '<=', value: 1.5, of: 'baseline' },
        run: async () => {
          const run = await lottery(['seed', '--file', bad.path], home, {
            env: HEAP,
            timeoutMs: 600_000,
            allowFailure: true,
          });
          if (run.code !== 252 || !run.stderr.includes(`… and ${bad.lines - 50} more`))
            throw new Error(
              `not refused as expected (exit ${run.code}): ${run.stderr.slice(-500)}`,
            );
          return run;
        },
      },
    ];
    const rounds = quick ? 1 : 3;
    const samples = await interleaved(cases, {
      rounds,
      warmup: quick ? 0 : 1,
      progress: (done, total) => done > 0 && log(`round ${done}/${total}`),
    });
    const results = timingResults(cases, samples, cases[0].name);

    const stops = [];
    for (let run = 0; run < (quick ? 2 : 5); run++)
      stops.push((await termWhileChecking(bad.path, home)).ms);
    const stop = summarize(stops);
    const stopCheck = {
      pass: stop.max <= SIGTERM_TARGET_MS,
      target: `≤ ${formatMs(SIGTERM_TARGET_MS)}`,
    };

    const refused = results[1];
    const text = [
      timingTable(results),
      '',
      formatTable(
        ['SIGTERM during the check of the bad file → exit', 'runs', 'median', 'min', 'max'],
        [['time', stop.runs, formatMs(stop.median), formatMs(stop.min), formatMs(stop.max)]],
        ['l', 'r', 'r', 'r', 'r'],
      ),
      '',
      `files: ${(good.bytes / 1e6).toFixed(1)} MB good, ${(bad.bytes / 1e6).toFixed(1)} MB bad; the bad file's runs with NODE_OPTIONS=${HEAP.NODE_OPTIONS}; ${rounds} interleaved round${rounds === 1 ? '' : 's'}.`,
      `refusing ÷ checking, measured in this run: ${refused.ratio.toFixed(2)}×.`,
    ].join('\n');
    return {
      text,
      data: { good, bad, cases: results, sigterm_to_exit_ms: stops },
      checks: [
        {
          name: 'refusing the bad file ÷ checking the good one',
          value: `${refused.ratio.toFixed(2)}×`,
          target: refused.target,
          pass: refused.pass,
        },
        {
          name: 'SIGTERM → exit during the check (worst run)',
          value: formatMs(stop.max),
          ...stopCheck,
        },
      ],
    };
  },
};
