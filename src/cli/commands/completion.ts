import pkg from '../../../package.json';
import { completionScript } from '../completion';
import type { CommandContext } from '../context';
import { buildProgram, type CompletionOptions } from '../program';

export async function completion(
  options: CompletionOptions,
  context: CommandContext,
): Promise<void> {
  // A second tree, of the same commands, only to be read: its actions never run.
  const program = buildProgram(pkg.version, async () => {});
  context.output.result(completionScript(program, options.shell).trimEnd());
}
