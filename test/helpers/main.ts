import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import type { CliResult, RunOptions } from './cli';

/** A stream that keeps what is written to it, as a pipe would (no terminal). */
function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * Runs the CLI in this process, through main() with streams of its own, for tests where a separate
 * process is not the point: the same program, options, errors and exit codes as bin/lottery,
 * without Node.js starting again for each case.
 */
export async function runMain(
  args: readonly string[],
  options: Pick<RunOptions, 'home' | 'env' | 'input'>,
): Promise<CliResult> {
  const stdout = sink();
  const stderr = sink();
  const env = {
    ...process.env,
    LOTTERY_HOME: options.home,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    ...options.env,
  };
  const code = await main(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([options.input ?? '']),
    env,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
