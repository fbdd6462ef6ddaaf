// Running processes and timing them from the outside: wall time from spawn to exit as the parent
// sees it, which is what a person at a terminal waits for.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'lottery');
const GNU_TIME = '/usr/bin/time';
const RSS_PROBE = join(ROOT, 'bench', 'support', 'max-rss.mjs');

/**
 * Epoch milliseconds with sub-millisecond precision, comparable with Date.now() in other processes.
 */
export const epochNow = () => performance.timeOrigin + performance.now();

const temporary = new Set();

/** A fresh temporary directory, removed by cleanupTemp() when the run ends. */
export function tempDir(label) {
  const directory = mkdtempSync(join(tmpdir(), `lottery-bench-${label}-`));
  temporary.add(directory);
  return directory;
}

export function removeDir(directory) {
  rmSync(directory, { recursive: true, force: true });
  temporary.delete(directory);
}

export function cleanupTemp() {
  for (const directory of [...temporary]) removeDir(directory);
}

let configHome;

/**
 * The environment of a `lottery` process under test: the embedded backend on a data directory of
 * its own, and nothing inherited that could point it elsewhere (LOTTERY_TARGET=aws in the
 * caller's shell, a user config file): environment variables outrank config files, and the user
 * config directory is an empty one.
 */
export function cliEnv(home, extra = {}) {
  configHome ??= tempDir('config');
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('LOTTERY_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR')
      env[key] = value;
  }
  return {
    ...env,
    LOTTERY_TARGET: 'local',
    LOTTERY_HOME: home,
    XDG_CONFIG_HOME: configHome,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

/**
 * Runs a command and times it: `ms` from spawn to exit, `startedAt`/`endedAt` in epoch ms.
 * Rejects on a non-zero exit (a benchmark of a failing command measures nothing) or a timeout.
 */
export function timed(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const startedAt = epochNow();
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let endedAt = 0;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${[command, ...args].join(' ')} did not finish in ${options.timeoutMs ?? 120_000} ms`,
        ),
      );
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('exit', () => (endedAt = epochNow()));
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = { code, ms: endedAt - startedAt, startedAt, endedAt, stdout, stderr };
      if (code !== 0 && !options.allowFailure) {
        reject(new Error(`${[command, ...args].join(' ')} exited with ${code}\n${stderr.trim()}`));
        return;
      }
      resolvePromise(result);
    });
  });
}

/** `lottery ARGS…` as a separate process on the data directory `home`. */
export function lottery(args, home, options = {}) {
  return timed(process.execPath, [BIN, ...args], { ...options, env: cliEnv(home, options.env) });
}

export const hasGnuTime = () => existsSync(GNU_TIME);

/**
 * `lottery ARGS…` with its peak resident set size in KiB: from GNU time's -v report when
 * /usr/bin/time exists, else from a preloaded module that records process.resourceUsage().maxRSS
 * on exit. Either way the wrapper adds about a millisecond to a run of seconds.
 */
export function lotteryWithPeakRss(args, home, options = {}) {
  return nodeWithPeakRss([BIN, ...args], { ...options, env: cliEnv(home, options.env) });
}

/** `node ARGS…` with its peak resident set size in KiB (see lotteryWithPeakRss). */
export async function nodeWithPeakRss(args, options = {}) {
  const env = options.env ?? process.env;
  if (hasGnuTime()) {
    const result = await timed(GNU_TIME, ['-v', process.execPath, ...args], { ...options, env });
    const found = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(result.stderr);
    if (!found) throw new Error(`no peak RSS in the output of ${GNU_TIME} -v`);
    return { ...result, peakRssKiB: Number(found[1]), rssSource: `${GNU_TIME} -v` };
  }
  const file = join(tempDir('rss'), 'max-rss');
  const result = await timed(process.execPath, ['--import', RSS_PROBE, ...args], {
    ...options,
    env: { ...env, BENCH_MAX_RSS_FILE: file },
  });
  const peakRssKiB = Number(readFileSync(file, 'utf8'));
  removeDir(dirname(file));
  return { ...result, peakRssKiB, rssSource: 'process.resourceUsage().maxRSS' };
}

const TRACE_PROBE = join(ROOT, 'bench', 'support', 'trace.mjs');

/**
 * `lottery ARGS…` with bench/support/trace.mjs preloaded: the sample gets `trace`, the process's
 * boot, its backend's requests and answers, and its exit, in epoch ms.
 */
export async function lotteryTraced(args, home, options = {}) {
  const file = join(tempDir('trace'), 'trace.json');
  const result = await timed(process.execPath, ['--import', TRACE_PROBE, BIN, ...args], {
    ...options,
    env: cliEnv(home, { ...options.env, BENCH_TRACE_FILE: file }),
  });
  const trace = JSON.parse(readFileSync(file, 'utf8'));
  removeDir(dirname(file));
  return { ...result, trace };
}
