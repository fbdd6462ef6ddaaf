import { CommanderError } from '@commander-js/extra-typings';
import pkg from '../../package.json';
import { createContext } from './context';
import { EXIT_CODES, explainError } from './errors';
import { Output, type Streams } from './output';
import { buildProgram, type GlobalOptions } from './program';

const REPORT_URL = 'https://github.com/lottery-cli/lottery/issues';

function report(error: unknown, output: Output, debug: boolean): number {
  const known = explainError(error);
  if (!known) {
    output.error(`unexpected: ${error instanceof Error ? error.message : String(error)}`);
    if (debug && error instanceof Error && error.stack) output.streams.stderr.write(`${error.stack}\n`);
    else output.streams.stderr.write(`This is a bug in lottery. Please report it at ${REPORT_URL}, with the output of the same command run with --debug.\n`);
    return EXIT_CODES.unexpected;
  }
  output.error(known.message);
  for (const line of known.details) output.streams.stderr.write(`  ${line}\n`);
  if (known.hint) output.streams.stderr.write(`${output.err.dim('hint:')} ${known.hint}\n`);
  if (debug && error instanceof Error && error.stack) output.streams.stderr.write(`${error.stack}\n`);
  return EXIT_CODES[known.kind];
}

/** Runs the CLI and returns its exit code. Only bin/lottery ends the process. */
export async function main(argv: readonly string[], streams: Streams): Promise<number> {
  const controller = new AbortController();
  const interrupt = () => {
    // A second Ctrl-C means: stop now.
    if (controller.signal.aborted) process.exit(EXIT_CODES.interrupted);
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  let globals: Partial<GlobalOptions> = {};
  const program = buildProgram(pkg.version, async (command, load, options) => {
    // Global options may come before or after the command's name: commander keeps them on the program.
    const global = program.opts();
    globals = global;
    const { context, close } = createContext(command.name(), global, streams, controller.signal);
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
    writeErr: (text) => streams.stderr.write(text),
  });
  for (const command of program.commands.flatMap((command) => [command, ...command.commands])) command.exitOverride().configureOutput(program.configureOutput());

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    return report(error, new Output(streams, { color: globals.color }), Boolean(globals.debug));
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
