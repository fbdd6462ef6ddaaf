import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { LOCAL_ARNS } from '../../src/local/constants';

// Executions driven through the Step Functions API itself, as the console, a timeout or another
// tool would: no command of ours starts or stops them.

/** Resolves once `check` is true, looking every 50 ms; fails after `ms`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 30_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startDraw(sfn: SFNClient, name: string, input: object): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: LOCAL_ARNS.stateMachine,
      name,
      input: JSON.stringify(input),
    }),
  );
  return executionArn as string;
}

/**
 * Waits until the execution has entered `state` (it may not have started yet); fails if it ends
 * first.
 */
export async function waitForState(sfn: SFNClient, executionArn: string, state: string) {
  await waitFor(`${executionArn} to enter ${state}`, async () => {
    const history = await sfn
      .send(new GetExecutionHistoryCommand({ executionArn }))
      .catch((error: unknown) => {
        if ((error as Error).name === 'ExecutionDoesNotExist') return { events: [] };
        throw error;
      });
    const events = history.events ?? [];
    const end = events.find(
      (event) => event.type !== 'ExecutionStarted' && event.type?.startsWith('Execution'),
    );
    if (end) throw new Error(`the draw ended (${end.type}) before ${state}`);
    return events.some((event) => event.stateEnteredEventDetails?.name === state);
  });
}

export const statusOf = async (sfn: SFNClient, executionArn: string) =>
  (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;

/** StopExecution, and waits until the execution says it is aborted. */
export async function stopDraw(sfn: SFNClient, executionArn: string): Promise<void> {
  await sfn.send(new StopExecutionCommand({ executionArn }));
  await waitFor(
    `${executionArn} to be aborted`,
    async () => (await statusOf(sfn, executionArn)) === 'ABORTED',
  );
}
