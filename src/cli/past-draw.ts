import { drawResultSchema, type DrawResult } from '../core/draw';
import { LotteryError } from '../core/errors';
import { checkJson } from '../core/parse';
import { describeExecution, executionArnFor } from '../aws/executions';
import type { Session } from './session';

/** An unknown draw id is the user's mistake, not a service error. */
export function unknownDrawError(draw: string, error: unknown): unknown {
  return (error as Error).name === 'ExecutionDoesNotExist'
    ? new LotteryError('usage', `there is no draw ${draw}`, {
        hint: 'see the draws with `lottery draws list`',
        cause: error,
      })
    : error;
}

/**
 * A succeeded draw's execution output, parsed: anything but a draw result is said plainly, not
 * half-shown.
 */
export function drawResultOf(draw: string, output: string | undefined): DrawResult {
  const parsed = checkJson(drawResultSchema, output);
  if (!parsed.ok)
    throw new LotteryError(
      'service',
      `the output of draw ${draw} is not a draw result: ${parsed.error}`,
    );
  return parsed.value;
}

/** A past draw by id (execution name) or execution ARN, as its execution says. */
export async function pastDraw(session: Session, draw: string) {
  const executionArn = executionArnFor(await session.stateMachineArn(), draw);
  const execution = await describeExecution(await session.clients.sfn(), executionArn).catch(
    (error: unknown) => {
      throw unknownDrawError(draw, error);
    },
  );
  return { executionArn, execution };
}

/** A past draw that succeeded, by id (execution name) or execution ARN, with its result. */
export async function succeededDraw(
  session: Session,
  draw: string,
  purpose: string,
): Promise<{ executionArn: string; input: string; result: DrawResult; startedAt?: Date }> {
  const { executionArn, execution } = await pastDraw(session, draw);
  if (execution.status !== 'SUCCEEDED') {
    throw new LotteryError(
      'failed',
      `draw ${draw} did not succeed (${execution.status}): it has no winners to ${purpose}`,
    );
  }
  return {
    executionArn,
    input: execution.input ?? '',
    result: drawResultOf(draw, execution.output),
    ...(execution.startDate ? { startedAt: execution.startDate } : {}),
  };
}
