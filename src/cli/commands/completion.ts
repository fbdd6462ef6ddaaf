import pkg from '../../../package.json';
import { LotteryError } from '../../core/errors';
import { completionScript, isShell, SHELLS } from '../completion';
import type { CommandContext } from '../context';
import { buildProgram } from '../program';

export interface CompletionOptions {
  shell: string;
}

export async function completion(options: CompletionOptions, context: CommandContext): Promise<void> {
  const { shell } = options;
  if (!isShell(shell)) {
    const commands = SHELLS.map((name) => `\`lottery completion ${name}\``);
    throw new LotteryError('usage', `there is no completion for the shell ${JSON.stringify(shell)}: the shells supported are ${SHELLS.join(', ')}`, `run ${commands.slice(0, -1).join(', ')} or ${commands.at(-1)}`);
  }
  // A second tree, of the same commands, only to be read: its actions never run.
  const program = buildProgram(pkg.version, async () => {});
  context.output.result(completionScript(program, shell).trimEnd());
}
