import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type ExecutionListItem,
  type ExecutionStatus,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';

export async function findStateMachineArn(
  sfn: SFNClient,
  name: string,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((machine) => machine.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

export async function startExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<string> {
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
  );
  if (!started.executionArn) throw new Error('StartExecution answered without an execution ARN');
  return started.executionArn;
}

export function describeExecution(
  sfn: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

/** RUNNING, SUCCEEDED, FAILED…; undefined when there is no such execution. */
export async function executionStatus(
  sfn: SFNClient,
  executionArn: string,
): Promise<string | undefined> {
  try {
    return (await describeExecution(sfn, executionArn)).status;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}

/**
 * Asks each execution's status once it has a final one: the handlers ask about every past draw
 * that holds rows, and an execution that has ended (or never was) does not change.
 */
export function rememberingEnded(
  status: (executionArn: string) => Promise<string | undefined>,
): (executionArn: string) => Promise<string | undefined> {
  const ended = new Map<string, string | undefined>();
  return async (executionArn) => {
    if (ended.has(executionArn)) return ended.get(executionArn);
    const answer = await status(executionArn);
    if (answer !== 'RUNNING' && answer !== 'PENDING_REDRIVE') ended.set(executionArn, answer);
    return answer;
  };
}

export async function executionHistory(
  sfn: SFNClient,
  executionArn: string,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const TERMINAL_EVENTS = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

export interface PollOptions {
  /** First pause, and the pause after new events arrive. */
  minDelayMs: number;
  /** The pause grows towards this while nothing happens. */
  maxDelayMs: number;
  signal?: AbortSignal;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Yields the new history events of an execution as they appear, until it ends (or `signal` aborts).
 * Polls promptly while states are moving and backs off while the execution is quiet.
 */
export async function* followHistory(
  sfn: SFNClient,
  executionArn: string,
  options: PollOptions,
): AsyncGenerator<HistoryEvent[]> {
  let lastId = 0;
  let delay = options.minDelayMs;
  let ended = false;
  while (!options.signal?.aborted) {
    const fresh = (await executionHistory(sfn, executionArn)).filter(
      (event) => (event.id ?? 0) > lastId,
    );
    if (fresh.length > 0) {
      lastId = fresh.at(-1)?.id ?? lastId;
      delay = options.minDelayMs;
      yield fresh;
      if (fresh.some((event) => TERMINAL_EVENTS.has(event.type ?? ''))) return;
    } else if (ended) {
      // The execution says it has ended but its history never will (a history cut short): stop
      // here.
      return;
    } else {
      delay = Math.min(options.maxDelayMs, Math.ceil(delay * 1.5));
      // While it is quiet, ask whether it is still running at all; one more read of the history
      // follows.
      if (delay === options.maxDelayMs)
        ended = (await describeExecution(sfn, executionArn)).status !== 'RUNNING';
      if (ended) continue;
    }
    await pause(delay, options.signal);
  }
}

/** An execution's ARN from its name (or its ARN, returned as is). */
export function executionArnFor(stateMachineArn: string, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${nameOrArn}`;
}

/** The most recent executions, newest first, up to `limit`. */
export async function recentExecutions(
  sfn: SFNClient,
  stateMachineArn: string,
  limit: number,
  statusFilter?: ExecutionStatus,
): Promise<ExecutionListItem[]> {
  const executions: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        statusFilter,
        maxResults: Math.min(limit - executions.length, 1000),
        nextToken,
      }),
    );
    executions.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken && executions.length < limit);
  return executions.slice(0, limit);
}
