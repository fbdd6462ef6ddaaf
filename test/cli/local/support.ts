import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { createClients, type AwsClients, type StaticCredentials } from '../../../src/aws/clients';
import { putEmployees } from '../../../src/aws/employees-table';
import { DRAWS_TABLE, EMPLOYEE_TABLE, WINNERS_TABLE } from '../../../src/core/names';
import type { Employee } from '../../../src/core/employees';
import { LOCAL_ARNS, LOCAL_REGION } from '../../../src/local/constants';
import { startLocalServer, type LocalServer } from '../../../src/local/server';

// The embedded backend as a user's SDK sees it: the real server in a temporary data directory,
// reached with the real AWS SDK v3 clients. No mocks anywhere.

export const TABLES = { employees: EMPLOYEE_TABLE, winners: WINNERS_TABLE, draws: DRAWS_TABLE };
export const MACHINE_ARN = LOCAL_ARNS.stateMachine;
export const executionArn = (name: string) => LOCAL_ARNS.executionPrefix + name;

export interface Backend {
  home: string;
  server: LocalServer;
  clients: AwsClients;
  sfn: SFNClient;
  /** What an SDK client of this backend signs its requests with. */
  credentials: StaticCredentials;
  /**
   * Stops the server (it finishes running executions first) and disconnects the clients; keeps the
   * directory.
   */
  stop(): Promise<void>;
  /** A new server and new clients on the same data directory. */
  restart(): Promise<void>;
  /** Stops everything and removes the data directory. */
  dispose(): Promise<void>;
}

async function connect(home: string): Promise<{ server: LocalServer; clients: AwsClients }> {
  const server = await startLocalServer({ home, tables: TABLES });
  // maxAttempts 1: a 5xx answer would otherwise be retried and hide a server fault.
  const clients = await createClients({
    endpoint: server.url,
    region: LOCAL_REGION,
    credentials: server.credentials,
    maxAttempts: 1,
  });
  return { server, clients };
}

export async function openBackend(): Promise<Backend> {
  const home = mkdtempSync(join(tmpdir(), 'lottery-local-test-'));
  let current: { server: LocalServer; clients: AwsClients } | undefined = await connect(home);
  const backend: Backend = {
    home,
    get server() {
      if (!current) throw new Error('the backend is stopped');
      return current.server;
    },
    get clients() {
      if (!current) throw new Error('the backend is stopped');
      return current.clients;
    },
    get sfn() {
      return backend.clients.sfn;
    },
    get credentials() {
      return backend.server.credentials;
    },
    async stop() {
      if (!current) return;
      const { server, clients } = current;
      current = undefined;
      clients.destroy();
      await server.close();
    },
    async restart() {
      await backend.stop();
      current = await connect(home);
    },
    async dispose() {
      try {
        await backend.stop();
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
  return backend;
}

export function employees(count: number, prefix = 'e'): Employee[] {
  return Array.from({ length: count }, (_, index) => ({
    employee_id: `${prefix}${String(index + 1).padStart(3, '0')}`,
    employee_name: `Person ${index + 1}`,
    lottery_serial: index + 1,
  }));
}

export async function seedEmployees(backend: Backend, count: number): Promise<Employee[]> {
  const list = employees(count);
  await putEmployees(backend.clients.doc, TABLES.employees, list);
  return list;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function start(sfn: SFNClient, name: string, input: unknown): Promise<string> {
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name, input: JSON.stringify(input) }),
  );
  if (!started.executionArn) throw new Error('StartExecution answered without executionArn');
  return started.executionArn;
}

/** Polls DescribeExecution until the execution is no longer RUNNING. */
export async function waitForEnd(
  sfn: SFNClient,
  arn: string,
  timeoutMs = 20_000,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (described.status !== 'RUNNING') return described;
    if (Date.now() > deadline) throw new Error(`${arn} still RUNNING after ${timeoutMs} ms`);
    await sleep(20);
  }
}

export async function fullHistory(sfn: SFNClient, arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** `TaskStateEntered(Input Lottery Winners)` for state events, the bare type for the rest. */
export function label(event: HistoryEvent): string {
  const name = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
  return name === undefined ? String(event.type) : `${event.type}(${name})`;
}

/** Rejected promise → its error; fulfilled → a thrown assertion error. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<
  Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; $fault?: string }
> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail, and it succeeded');
}

const LAMBDA_END = new Set([
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
]);
const TASK_END = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut']);
const TERMINAL = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

/**
 * Checks a finished history the way AWS writes one for this (single-branch) workflow: ids 1..n,
 * timestamps that never go back, and every Task entry made of attempts (scheduled, started, ended)
 * of the Task's own resource, all but the last one failed, closed by the matching TaskStateExited.
 * Returns the problems found, so that a failure shows all of them.
 */
export function historyProblems(
  events: HistoryEvent[],
  resources: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  events.forEach((event, index) => {
    if (event.id !== index + 1) problems.push(`event ${index} has id ${event.id}`);
    if (typeof event.previousEventId !== 'number' || event.previousEventId >= (event.id ?? 0)) {
      problems.push(`event ${event.id} has previousEventId ${event.previousEventId}`);
    }
    if (!(event.timestamp instanceof Date) || Number.isNaN(event.timestamp.getTime()))
      problems.push(`event ${event.id} has no timestamp`);
    const before = events[index - 1]?.timestamp;
    if (before && event.timestamp && event.timestamp < before)
      problems.push(`event ${event.id} (${event.type}) is older than the one before`);
  });
  if (events[0]?.type !== 'ExecutionStarted')
    problems.push(`the first event is ${events[0]?.type}`);
  if (!TERMINAL.has(String(events.at(-1)?.type)))
    problems.push(`the last event is ${events.at(-1)?.type}`);

  for (let index = 0; index < events.length; index++) {
    const entered = events[index] as HistoryEvent;
    if (entered.type !== 'TaskStateEntered') continue;
    const state = String(entered.stateEnteredEventDetails?.name);
    const resource = resources.get(state);
    let cursor = index + 1;
    const outcomes: string[] = [];
    for (;;) {
      const [scheduled, started, ended] = events.slice(cursor, cursor + 3);
      if (scheduled?.type === 'LambdaFunctionScheduled') {
        if (scheduled.lambdaFunctionScheduledEventDetails?.resource !== resource) {
          problems.push(
            `event ${scheduled.id}: ${state} scheduled ${scheduled.lambdaFunctionScheduledEventDetails?.resource}, not ${resource}`,
          );
        }
        if (started?.type !== 'LambdaFunctionStarted' || !LAMBDA_END.has(String(ended?.type))) {
          problems.push(
            `event ${scheduled.id}: ${state}'s Lambda attempt is ${started?.type}, ${ended?.type}`,
          );
        }
      } else if (scheduled?.type === 'TaskScheduled') {
        const details = scheduled.taskScheduledEventDetails;
        if (`arn:aws:states:::${details?.resourceType}:${details?.resource}` !== resource) {
          problems.push(
            `event ${scheduled.id}: ${state} scheduled ${details?.resourceType}:${details?.resource}, not ${resource}`,
          );
        }
        if (started?.type !== 'TaskStarted' || !TASK_END.has(String(ended?.type))) {
          problems.push(
            `event ${scheduled.id}: ${state}'s task attempt is ${started?.type}, ${ended?.type}`,
          );
        }
      } else {
        break;
      }
      outcomes.push(String(ended?.type));
      cursor += 3;
    }
    if (outcomes.length === 0)
      problems.push(`event ${entered.id}: ${state} was entered and never scheduled`);
    if (outcomes.slice(0, -1).some((outcome) => outcome.endsWith('Succeeded'))) {
      problems.push(
        `event ${entered.id}: ${state} has a successful attempt followed by more attempts: ${outcomes.join(', ')}`,
      );
    }
    const next = events[cursor];
    const closes = next?.type === 'TaskStateExited' && next.stateExitedEventDetails?.name === state;
    const failsOut =
      next !== undefined &&
      (TERMINAL.has(String(next.type)) || next.type === 'ParallelStateFailed');
    if (!closes && !failsOut)
      problems.push(
        `event ${entered.id}: ${state}'s attempts are followed by ${next ? label(next) : 'nothing'}`,
      );
  }
  return problems;
}
