// Turns the engine's event log into execution history as Step Functions records it, so that the
// CLI reads the same events from the embedded backend as from AWS. The engine does not see inside
// a Task, so the Task wrappers report each attempt here and the attempts are written out, in order,
// when the engine says the Task failed or exited.

/** An entry of aws-local-stepfunctions' event log (the package does not export its type). */
export interface EngineEvent {
  type: string;
  timestamp: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  state?: { name: string; type: string; input: unknown; output?: unknown };
}

/** A history event in the wire format of the JSON 1.0 protocol: timestamps in epoch seconds. */
export interface WireHistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface TaskAttempt {
  resource: string;
  input: unknown;
  scheduledAt: number;
  endedAt?: number;
  output?: unknown;
  error?: string;
  cause?: string;
}

const SNS_PUBLISH = /^arn:[^:]+:states:::sns:publish$/;

const json = (value: unknown) => JSON.stringify(value ?? null);
const seconds = (ms: number) => ms / 1000;
const dataDetails = { truncated: false };

export class HistoryRecorder {
  readonly events: WireHistoryEvent[] = [];
  private readonly attempts = new Map<string, TaskAttempt[]>();

  constructor(
    private readonly region: string,
    private readonly roleArn: string,
    private readonly onEvent: (event: WireHistoryEvent) => void = () => {},
  ) {}

  /** Called by a Task wrapper when an attempt starts; fill in the result on the returned object. */
  beginAttempt(stateName: string, resource: string, input: unknown): TaskAttempt {
    const attempt: TaskAttempt = { resource, input, scheduledAt: Date.now() };
    const list = this.attempts.get(stateName) ?? [];
    list.push(attempt);
    this.attempts.set(stateName, list);
    return attempt;
  }

  private add(type: string, timestamp: number, details: Record<string, unknown> = {}): void {
    const id = this.events.length + 1;
    const event: WireHistoryEvent = {
      id,
      previousEventId: id - 1,
      timestamp: seconds(timestamp),
      type,
      ...details,
    };
    this.events.push(event);
    this.onEvent(event);
  }

  /**
   * Writes out the attempts that belong to the state entry that just ended at `at`. The event log
   * is read asynchronously, so the next entry of the same state (a re-draw loop) may already have
   * begun an attempt: it cannot have ended before this entry did, and it stays for later.
   */
  private flushAttempts(
    stateName: string,
    at: number,
    failure?: { error: string; cause: string },
  ): void {
    const list = this.attempts.get(stateName) ?? [];
    const belongs = (attempt: TaskAttempt) =>
      attempt.endedAt !== undefined ? attempt.endedAt <= at : attempt.scheduledAt < at;
    this.attempts.set(
      stateName,
      list.filter((attempt) => !belongs(attempt)),
    );
    for (const attempt of list.filter(belongs)) {
      const ended = attempt.endedAt ?? Date.now();
      const error =
        attempt.endedAt === undefined
          ? failure
          : attempt.error !== undefined
            ? { error: attempt.error, cause: attempt.cause ?? '' }
            : undefined;
      const timedOut = attempt.endedAt === undefined && failure?.error === 'States.Timeout';
      if (SNS_PUBLISH.test(attempt.resource)) {
        const task = { resourceType: 'sns', resource: 'publish' };
        this.add('TaskScheduled', attempt.scheduledAt, {
          taskScheduledEventDetails: {
            ...task,
            region: this.region,
            parameters: json(attempt.input),
          },
        });
        this.add('TaskStarted', attempt.scheduledAt, { taskStartedEventDetails: task });
        if (timedOut)
          this.add('TaskTimedOut', ended, { taskTimedOutEventDetails: { ...task, ...error } });
        else if (error)
          this.add('TaskFailed', ended, { taskFailedEventDetails: { ...task, ...error } });
        else
          this.add('TaskSucceeded', ended, {
            taskSucceededEventDetails: {
              ...task,
              output: json(attempt.output),
              outputDetails: dataDetails,
            },
          });
      } else {
        this.add('LambdaFunctionScheduled', attempt.scheduledAt, {
          lambdaFunctionScheduledEventDetails: {
            resource: attempt.resource,
            input: json(attempt.input),
            inputDetails: dataDetails,
          },
        });
        this.add('LambdaFunctionStarted', attempt.scheduledAt);
        if (timedOut)
          this.add('LambdaFunctionTimedOut', ended, { lambdaFunctionTimedOutEventDetails: error });
        else if (error)
          this.add('LambdaFunctionFailed', ended, { lambdaFunctionFailedEventDetails: error });
        else
          this.add('LambdaFunctionSucceeded', ended, {
            lambdaFunctionSucceededEventDetails: {
              output: json(attempt.output),
              outputDetails: dataDetails,
            },
          });
      }
    }
  }

  record(event: EngineEvent): void {
    const state = event.state ?? { name: '', type: '', input: null };
    const failure = { error: event.Error ?? 'States.Runtime', cause: String(event.Cause ?? '') };
    switch (event.type) {
      case 'ExecutionStarted':
        this.add('ExecutionStarted', event.timestamp, {
          executionStartedEventDetails: {
            input: json(event.input),
            inputDetails: dataDetails,
            roleArn: this.roleArn,
          },
        });
        break;
      case 'ExecutionSucceeded':
        this.add('ExecutionSucceeded', event.timestamp, {
          executionSucceededEventDetails: {
            output: json(event.output),
            outputDetails: dataDetails,
          },
        });
        break;
      case 'ExecutionFailed':
        this.add('ExecutionFailed', event.timestamp, { executionFailedEventDetails: failure });
        break;
      case 'ExecutionAborted':
        this.add('ExecutionAborted', event.timestamp, { executionAbortedEventDetails: {} });
        break;
      case 'ExecutionTimeout':
        this.add('ExecutionTimedOut', event.timestamp, { executionTimedOutEventDetails: {} });
        break;
      case 'StateEntered':
        this.add(`${state.type}StateEntered`, event.timestamp, {
          stateEnteredEventDetails: {
            name: state.name,
            input: json(state.input),
            inputDetails: dataDetails,
          },
        });
        if (state.type === 'Parallel') this.add('ParallelStateStarted', event.timestamp);
        break;
      case 'StateFailed':
        if (state.type === 'Task') this.flushAttempts(state.name, event.timestamp, failure);
        if (state.type === 'Parallel') this.add('ParallelStateFailed', event.timestamp);
        break;
      case 'StateExited':
        if (state.type === 'Task') this.flushAttempts(state.name, event.timestamp);
        if (state.type === 'Parallel' && this.events.at(-1)?.type !== 'ParallelStateFailed')
          this.add('ParallelStateSucceeded', event.timestamp);
        this.add(`${state.type}StateExited`, event.timestamp, {
          stateExitedEventDetails: {
            name: state.name,
            output: json(state.output),
            outputDetails: dataDetails,
          },
        });
        break;
      default:
        // Retries, catches and Parallel branch boundaries have no events of their own on AWS.
        break;
    }
  }
}
