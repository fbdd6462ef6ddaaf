import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'lottery');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  home: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  /** Called with everything on stderr so far, each time more arrives. */
  watch?: (stderr: string) => void;
}

/** Runs the built `lottery` binary as a separate process, as a user would, with no terminal. */
export function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
  return spawnCli(args, options);
}

/**
 * Runs `lottery` and presses Ctrl-C (SIGINT) once its stderr satisfies `ready` (and `delayMs` more
 * have passed); with `again`, presses it a second time once stderr satisfies that.
 */
export function interruptCli(
  args: readonly string[],
  options: RunOptions & {
    ready: (stderr: string) => boolean;
    delayMs?: number;
    again?: (stderr: string) => boolean;
  },
): Promise<CliResult & { interrupted: boolean }> {
  return spawnCli(args, options);
}

function spawnCli(
  args: readonly string[],
  options: RunOptions & {
    ready?: (stderr: string) => boolean;
    delayMs?: number;
    again?: (stderr: string) => boolean;
  },
): Promise<CliResult & { interrupted: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: {
        ...process.env,
        LOTTERY_HOME: options.home,
        NO_COLOR: undefined,
        FORCE_COLOR: undefined,
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.watch?.(stderr);
      if (options.ready && !interrupted && options.ready(stderr)) {
        interrupted = true;
        setTimeout(() => child.kill('SIGINT'), options.delayMs ?? 0);
      } else if (interrupted && options.again?.(stderr)) {
        options.again = undefined;
        child.kill('SIGINT');
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `lottery ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    // A process ended by a signal (a second Ctrl-C) has the status a shell reports: 128 + number.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const status = code ?? (signal ? 128 + constants.signals[signal] : null);
      resolvePromise({ code: status, stdout, stderr, interrupted });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh data directory for the embedded backend, removed by the returned function. */
export function tempHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'lottery-test-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[/;

/** Starts `lottery local serve` and resolves once it prints its URL. */
export function serveCli(
  home: string,
  env: Record<string, string | undefined> = {},
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'local', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, LOTTERY_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
      if (url) {
        resolvePromise({
          url,
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    });
    void exited.then((code) =>
      reject(new Error(`local serve exited with ${code} before it was ready`)),
    );
  });
}
