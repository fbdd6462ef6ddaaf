import type { Command } from '@commander-js/extra-typings';
import { completionScript } from '../completion';
import type { CommandContext } from '../context';
import type { CompletionOptions } from '../options';

export async function completion(
  options: CompletionOptions,
  context: CommandContext,
  program: Command,
): Promise<void> {
  context.output.result(completionScript(program, options.shell).trimEnd());
}
