import * as z from 'zod/mini';
import { checkJson } from '../core/parse';
import type { WireHistoryEvent } from './history';
import {
  ApiError,
  checkStateMachineArn,
  type ExecutionSummary,
  type LocalStepFunctions,
} from './executions';

// The Step Functions operations the CLI uses, in the JSON 1.0 protocol as the SDK v3 client
// speaks it: POST /, X-Amz-Target: AWSStepFunctions.<Operation>, dates as epoch seconds.

export interface StateMachineInfo {
  arn: string;
  name: string;
  roleArn: string;
  definition: string;
  createdAt: number;
}

type Request = Record<string, unknown>;

/** Each operation reads the fields it needs, as the service does. */
const requestSchema = z.record(z.string(), z.unknown());

const seconds = (ms: number) => ms / 1000;
const EXECUTION_STATUSES = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

function page<T>(
  items: T[],
  request: Request,
  defaultSize: number,
): { items: T[]; nextToken?: string } {
  const size =
    typeof request.maxResults === 'number' && request.maxResults > 0
      ? Math.min(request.maxResults, 1000)
      : defaultSize;
  let start = 0;
  if (typeof request.nextToken === 'string') {
    start = Number(Buffer.from(request.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw new ApiError('InvalidToken', 'Invalid Token: the pagination token is not valid');
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}

function wireExecution(summary: ExecutionSummary, withData: boolean) {
  return {
    executionArn: summary.executionArn,
    stateMachineArn: summary.stateMachineArn,
    name: summary.name,
    status: summary.status,
    startDate: seconds(summary.startDate),
    ...(summary.stopDate !== undefined ? { stopDate: seconds(summary.stopDate) } : {}),
    ...(withData
      ? {
          input: summary.input,
          inputDetails: { included: true },
          ...(summary.output !== undefined
            ? { output: summary.output, outputDetails: { included: true } }
            : {}),
          ...(summary.error !== undefined ? { error: summary.error } : {}),
          ...(summary.cause !== undefined ? { cause: summary.cause } : {}),
        }
      : {}),
  };
}

function requireString(request: Request, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value === '')
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: '${field}' must not be null`,
    );
  return value;
}

export function createSfnApi(machine: StateMachineInfo, executions: LocalStepFunctions) {
  const requireMachine = (arn: string) => checkStateMachineArn(arn, machine.arn);
  const operations: Record<string, (request: Request) => unknown> = {
    ListStateMachines: (request) => {
      const listed = page(
        [
          {
            stateMachineArn: machine.arn,
            name: machine.name,
            type: 'STANDARD',
            creationDate: seconds(machine.createdAt),
          },
        ],
        request,
        100,
      );
      return {
        stateMachines: listed.items,
        ...(listed.nextToken ? { nextToken: listed.nextToken } : {}),
      };
    },
    DescribeStateMachine: (request) => {
      requireMachine(requireString(request, 'stateMachineArn'));
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definition,
        roleArn: machine.roleArn,
        type: 'STANDARD',
        creationDate: seconds(machine.createdAt),
      };
    },
    StartExecution: (request) => {
      const started = executions.start(
        requireString(request, 'stateMachineArn'),
        typeof request.name === 'string' ? request.name : undefined,
        typeof request.input === 'string' ? request.input : undefined,
      );
      return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
    },
    DescribeExecution: (request) =>
      wireExecution(executions.describe(requireString(request, 'executionArn')), true),
    StopExecution: (request) => ({
      stopDate: seconds(executions.stop(requireString(request, 'executionArn'))),
    }),
    GetExecutionHistory: (request) => {
      let events: WireHistoryEvent[] = [
        ...executions.history(requireString(request, 'executionArn')),
      ];
      if (request.reverseOrder === true) events.reverse();
      if (request.includeExecutionData === false) events = events.map(withoutData);
      const listed = page(events, request, 100);
      return { events: listed.items, ...(listed.nextToken ? { nextToken: listed.nextToken } : {}) };
    },
    ListExecutions: (request) => {
      const status = typeof request.statusFilter === 'string' ? request.statusFilter : undefined;
      if (status !== undefined && !EXECUTION_STATUSES.includes(status)) {
        throw new ApiError(
          'ValidationException',
          `1 validation error detected: Value '${status}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES.join(', ')}]`,
        );
      }
      const listed = page(
        executions.list(requireString(request, 'stateMachineArn'), status),
        request,
        100,
      );
      return {
        executions: listed.items.map((summary) => wireExecution(summary, false)),
        ...(listed.nextToken ? { nextToken: listed.nextToken } : {}),
      };
    },
  };

  /** Answers one request: [HTTP status, JSON body]. */
  return (operation: string, body: string): [number, unknown] => {
    const handler = operations[operation];
    if (!handler)
      return [
        400,
        {
          __type: 'UnknownOperationException',
          message: `${operation} is not supported by the embedded backend`,
        },
      ];
    const request = body ? checkJson(requestSchema, body) : { ok: true as const, value: {} };
    if (!request.ok)
      return [
        400,
        {
          __type: 'SerializationException',
          message: `the request body is not a JSON object: ${request.error}`,
        },
      ];
    try {
      return [200, handler(request.value)];
    } catch (error) {
      if (error instanceof ApiError) return [400, { __type: error.type, message: error.message }];
      return [
        500,
        {
          __type: 'InternalFailure',
          message: error instanceof Error ? error.message : String(error),
        },
      ];
    }
  };
}

const DATA_FIELDS = ['input', 'output'];

function withoutData(event: WireHistoryEvent): WireHistoryEvent {
  const copy: WireHistoryEvent = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) {
      copy[key] = Object.fromEntries(
        Object.entries(value).filter(([field]) => !DATA_FIELDS.includes(field)),
      );
    }
  }
  return copy;
}
