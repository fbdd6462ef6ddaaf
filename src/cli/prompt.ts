import { LotteryError } from '../core/errors';
import type { CommandContext } from './context';

/** Asks on stderr, so that stdout stays clean; Ctrl-C at the prompt counts as an interrupt. */
export async function confirm(context: CommandContext, message: string): Promise<boolean> {
  const { confirm: ask } = await import('@inquirer/prompts');
  try {
    return await ask(
      { message, default: false },
      {
        input: context.output.streams.stdin,
        output: context.output.streams.stderr,
        signal: context.signal,
      },
    );
  } catch (error) {
    if (
      error instanceof Error &&
      (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')
    ) {
      throw new LotteryError('interrupted', 'cancelled at the prompt; nothing was changed', {
        cause: error,
      });
    }
    throw error;
  }
}
