import { CommanderError } from '@commander-js/extra-typings';
import pkg from '../../package.json';
import { LotteryError } from '../core/errors';
import { printable } from '../core/printable';
import { createContext, type InterruptNotes } from './context';
import { debugTrace, EXIT_CODES, explainError } from './errors';
import { Output, type Streams } from './output';
import type { GlobalOptions } from './options';
import { buildProgram } from './program';

/**
 * Says what went wrong on stderr, and, when the command was asked for JSON, as JSON on stdout too:
 * a script reading stdout learns that it failed and why, not only that nothing came.
 */
function report(
  error: unknown,
  output: Output,
  options: { debug: boolean; json: boolean },
): number {
  const known = explainError(error);
  const stack = options.debug ? printable(debugTrace(error), { keepNewlines: true }) : '';
  if (!known) {
    const message = `unexpected: ${error instanceof Error ? error.message : String(error)}`;
    output.error(message);
    output.streams.stderr.write(
      stack ||
        'This is a bug in lottery. Please report it as docs/troubleshooting.md says ("Reporting a bug"), with the output of the same command run with --debug.\n',
    );
    if (options.json)
      output.json({ error: { kind: 'unexpected', message, exit_code: EXIT_CODES.unexpected } });
    return EXIT_CODES.unexpected;
  }
  output.error(known.message);
  for (const line of known.details) output.streams.stderr.write(`  ${printable(line)}\n`);
  if (known.hint)
    output.streams.stderr.write(`${output.err.dim('hint:')} ${printable(known.hint)}\n`);
  output.streams.stderr.write(stack);
  if (options.json) {
    output.json({
      error: {
        kind: known.kind,
        message: known.message,
        ...(known.hint ? { hint: known.hint } : {}),
        ...(known.details.length > 0 ? { details: known.details } : {}),
        exit_code: EXIT_CODES[known.kind],
      },
    });
  }
  return EXIT_CODES[known.kind];
}

/**
 * Ends the process by `signal` itself, as if nothing handled it: at once, with the status a shell
 * reports for it (130 for Ctrl-C, 143 for TERM). process.exit() would wait for every thread of
 * libuv's pool, and one stuck on a read that never returns (a network file system gone away) keeps
 * it waiting for good. stderr is written synchronously to a pipe, a file or a terminal, so the
 * note before this is out.
 */
function endBy(signal: NodeJS.Signals): never {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  // The signal is delivered before kill() returns; this is for a platform where it is not.
  process.exit(EXIT_CODES.interrupted);
}

/** Runs the CLI and returns its exit code. Only bin/lottery ends the process (and a 2nd signal). */
export async function main(argv: readonly string[], streams: Streams): Promise<number> {
  const controller = new AbortController();
  const interrupts: InterruptNotes = {};
  const interrupt = (signal: NodeJS.Signals) => {
    // A second Ctrl-C means: stop now. Whatever is left undone, the command says what and how to
    // recover.
    if (controller.signal.aborted) {
      if (interrupts.second) streams.stderr.write(`\n${printable(interrupts.second)}\n`);
      endBy(signal);
    }
    controller.abort();
    if (interrupts.first) streams.stderr.write(`\n${printable(interrupts.first)}\n`);
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  let globals: Partial<GlobalOptions> = {};
  const program = buildProgram(pkg.version, async (command, load, options) => {
    // Global options may come before or after the command's name: commander keeps them on the
    // program.
    const global = program.opts();
    globals = global;
    const { context, close } = createContext(
      command.name(),
      global,
      streams,
      controller.signal,
      interrupts,
    );
    try {
      const run = await load();
      await run(options, context);
    } finally {
      await close();
    }
  });
  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => streams.stdout.write(text),
    // Commander quotes the value it refused: a value holding ESC must not reach the terminal raw.
    writeErr: (text) => streams.stderr.write(printable(text, { keepNewlines: true })),
  });
  for (const command of program.commands.flatMap((command) => [command, ...command.commands]))
    command.exitOverride().configureOutput(program.configureOutput());

  // A library that fails in a callback of its own (LevelDB on a full disk) throws where nothing can
  // catch it: it is reported as any other error, and the command ends there.
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  process.on('uncaughtException', fail);
  try {
    await Promise.race([program.parseAsync([...argv], { from: 'user' }), failed]);
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    // A failure a command already reported as JSON (a failed draw) is not reported twice.
    const json = argv.includes('--json') && !(error instanceof LotteryError && error.reported);
    return report(error, new Output(streams, { color: globals.color }), {
      debug: Boolean(globals.debug),
      json,
    });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    process.off('uncaughtException', fail);
  }
}
