import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import type { CliResult, RunOptions } from './cli';

/** A stream that keeps what is written to it, as a pipe would (no terminal). */
function sink(onWrite?: (text: string) => void): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      onWrite?.(text);
      done();
    },
  });
  return { stream, text: () => text };
}

type Env = Record<string, string | undefined>;

/**
 * The process's environment and working directory while commands run: a command reads its
 * settings from the environment main() is given, but the AWS SDK (credentials, region, config
 * files), the embedded backend's engine (LOTTERY_BEACON_*) and relative paths read the process's
 * own, as they do in bin/lottery. Commands that run at the same time share one.
 */
let current: { key: string; runs: number; saved: Env; restore: () => void } | undefined;

/** The environment outside any run: what a command's environment starts from. */
const outside = (): Env => current?.saved ?? process.env;

function enter(env: Env, cwd: string | undefined): () => void {
  const defined = Object.entries(env).filter(([, value]) => value !== undefined);
  const key = JSON.stringify([defined.sort(([a], [b]) => a.localeCompare(b)), cwd]);
  if (current && current.key !== key)
    throw new Error(
      'runMain: commands that run at the same time must share their environment and directory',
    );
  if (!current) {
    const saved = { ...process.env };
    const savedCwd = process.cwd();
    setEnv(env);
    if (cwd) process.chdir(cwd);
    current = {
      key,
      runs: 0,
      saved,
      restore: () => {
        setEnv(saved);
        // Only when it was changed: worker threads (Stryker's runner) cannot change directory.
        if (cwd) process.chdir(savedCwd);
      },
    };
  }
  const entered = current;
  entered.runs++;
  return () => {
    if (--entered.runs > 0) return;
    current = undefined;
    entered.restore();
  };
}

/** Makes process.env hold exactly `env`, changing the object in place as a shell would set it. */
function setEnv(env: Env) {
  for (const name of Object.keys(process.env))
    if (env[name] === undefined) delete process.env[name];
  for (const [name, value] of Object.entries(env))
    if (value !== undefined) process.env[name] = value;
}

/**
 * Runs the CLI in this process, through main() with streams of its own, for tests where a separate
 * process is not the point: the same program, options, errors and exit codes as bin/lottery,
 * without Node.js starting again for each case. Nothing is a terminal, as when piped. For the
 * length of the run the process's environment is the command's, and its directory `cwd`.
 */
export async function runMain(
  args: readonly string[],
  options: Pick<RunOptions, 'home' | 'env' | 'input' | 'cwd' | 'watch'>,
): Promise<CliResult> {
  const stdout = sink();
  const stderr = sink(options.watch);
  const env = {
    ...outside(),
    LOTTERY_HOME: options.home,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    ...options.env,
  };
  const leave = enter(env, options.cwd);
  try {
    const code = await main(args, {
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin: Readable.from([options.input ?? '']),
      env,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    leave();
  }
}
