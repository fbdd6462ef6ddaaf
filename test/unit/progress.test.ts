import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import { ProgressTracker, durationMs, type ProgressUpdate } from '../../src/core/progress';

const T0 = Date.UTC(2024, 11, 20, 18, 0, 0);

/** Builds a history the way GetExecutionHistory returns it: ids from 1, a second apart. */
class History {
  readonly events: HistoryEvent[] = [];

  add(type: string, details: Partial<HistoryEvent> = {}): this {
    const id = this.events.length + 1;
    this.events.push({
      id,
      timestamp: new Date(T0 + id * 1000),
      type: type as HistoryEventType,
      ...details,
    });
    return this;
  }

  started(): this {
    return this.add('ExecutionStarted');
  }

  enter(type: string, name: string): this {
    return this.add(`${type}StateEntered`, { stateEnteredEventDetails: { name, input: '{}' } });
  }

  exit(type: string, name: string, output: unknown = {}): this {
    return this.add(`${type}StateExited`, {
      stateExitedEventDetails: { name, output: JSON.stringify(output) },
    });
  }

  lambdaOk(): this {
    return this.add('LambdaFunctionScheduled')
      .add('LambdaFunctionStarted')
      .add('LambdaFunctionSucceeded');
  }

  lambdaFails(error: string, cause: string): this {
    return this.add('LambdaFunctionScheduled')
      .add('LambdaFunctionStarted')
      .add('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error, cause } });
  }

  task(name: string, output: unknown = {}): this {
    return this.enter('Task', name).lambdaOk().exit('Task', name, output);
  }
}

const summary = (updates: readonly ProgressUpdate[]) =>
  updates.map((update) =>
    update.kind === 'ended' ? `ended ${update.end.status}` : `${update.kind} ${update.step.name}`,
  );

const RESULT = {
  draw_id: 'd-1',
  winners: [{ employee_id: '001', employee_name: 'Rose' }],
  message: 'Congrats!',
};

function successfulRun(): History {
  return new History()
    .started()
    .task('Input Lottery Winners', { body: { draw_id: 'd-1' } })
    .task('Random Select Winners')
    .task('Validate Winners', { status: 0 })
    .enter('Choice', 'Is Winner In Past Draw')
    .exit('Choice', 'Is Winner In Past Draw', { status: 0 })
    .enter('Parallel', 'Send SNS and Record In Dynamodb')
    .add('ParallelStateStarted')
    .task('Record Winner Queue')
    .enter('Task', 'Notify Winners')
    .add('TaskScheduled')
    .add('TaskStarted')
    .add('TaskSubmitted')
    .add('TaskSucceeded')
    .exit('Task', 'Notify Winners')
    .add('ParallelStateSucceeded')
    .exit('Parallel', 'Send SNS and Record In Dynamodb', RESULT)
    .add('ExecutionSucceeded', {
      executionSucceededEventDetails: { output: JSON.stringify(RESULT) },
    });
}

describe('ProgressTracker: a successful draw', () => {
  const history = successfulRun();
  // Computed before each test: mutation testing switches its mutant on in a beforeAll of its own,
  // and credits a test only with the code run from its beforeEach on, not with what the describe
  // body or a beforeAll computes.
  let tracker: ProgressTracker;
  let updates: ProgressUpdate[];
  beforeEach(() => {
    tracker = new ProgressTracker();
    updates = tracker.push(history.events);
  });

  it('reports each state entered and exited, in order, then the end', () => {
    expect(summary(updates)).toEqual([
      'entered Input Lottery Winners',
      'exited Input Lottery Winners',
      'entered Random Select Winners',
      'exited Random Select Winners',
      'entered Validate Winners',
      'exited Validate Winners',
      'entered Is Winner In Past Draw',
      'exited Is Winner In Past Draw',
      'entered Send SNS and Record In Dynamodb',
      'entered Record Winner Queue',
      'exited Record Winner Queue',
      'entered Notify Winners',
      'exited Notify Winners',
      'exited Send SNS and Record In Dynamodb',
      'ended SUCCEEDED',
    ]);
  });

  it('ends with the parsed execution output and no failed step', () => {
    expect(updates.at(-1)).toEqual({
      kind: 'ended',
      end: { status: 'SUCCEEDED', output: RESULT },
      failedStep: undefined,
    });
    expect(tracker.end).toEqual({ status: 'SUCCEEDED', output: RESULT });
  });

  it('marks every step succeeded, Tasks after one attempt, with their state type', () => {
    const exited = updates.flatMap((update) => (update.kind === 'exited' ? [update.step] : []));
    expect(exited).toHaveLength(7);
    for (const step of exited) {
      expect(step.outcome).toBe('succeeded');
      expect(step.visit).toBe(1);
      expect(step.lastAttemptFailed).toBe(false);
      expect(step.error).toBeUndefined();
    }
    const byName = new Map(exited.map((step) => [step.name, step]));
    expect(byName.get('Input Lottery Winners')).toMatchObject({
      type: 'Task',
      attempts: 1,
      output: { body: { draw_id: 'd-1' } },
    });
    expect(byName.get('Is Winner In Past Draw')).toMatchObject({
      type: 'Choice',
      attempts: 0,
      output: { status: 0 },
    });
    expect(byName.get('Send SNS and Record In Dynamodb')).toMatchObject({
      type: 'Parallel',
      output: RESULT,
    });
    expect(byName.get('Notify Winners')).toMatchObject({ type: 'Task', attempts: 1 });
  });

  it('nests the states of a Parallel branch at depth 1 and comes back to depth 0', () => {
    const depths = Object.fromEntries(
      updates.flatMap((update) =>
        update.kind === 'entered' ? [[update.step.name, update.step.depth]] : [],
      ),
    );
    expect(depths).toEqual({
      'Input Lottery Winners': 0,
      'Random Select Winners': 0,
      'Validate Winners': 0,
      'Is Winner In Past Draw': 0,
      'Send SNS and Record In Dynamodb': 0,
      'Record Winner Queue': 1,
      'Notify Winners': 1,
    });
  });

  it('times each step from the entered and exited events', () => {
    const input = updates.find(
      (update) => update.kind === 'exited' && update.step.name === 'Input Lottery Winners',
    );
    expect(input?.kind).toBe('exited');
    if (input?.kind !== 'exited') return;
    expect(input.step.enteredAt).toEqual(new Date(T0 + 2000));
    expect(input.step.exitedAt).toEqual(new Date(T0 + 6000));
    expect(durationMs(input.step)).toBe(4000);
  });

  it('has no duration for a step still running', () => {
    const [entered] = new ProgressTracker().push(
      new History().started().enter('Task', 'Input Lottery Winners').events,
    );
    expect(entered?.kind).toBe('entered');
    if (entered?.kind !== 'entered') return;
    expect(entered.step.outcome).toBe('running');
    expect(durationMs(entered.step)).toBeUndefined();
  });

  it('has no end before the execution ends', () => {
    const partial = new ProgressTracker();
    partial.push(history.events.slice(0, 10));
    expect(partial.end).toBeUndefined();
  });
});

describe('ProgressTracker: events seen before', () => {
  it('ignores events pushed again', () => {
    const history = successfulRun();
    const tracker = new ProgressTracker();
    expect(tracker.push(history.events).length).toBeGreaterThan(0);
    expect(tracker.push(history.events)).toEqual([]);
  });

  it('gives the same updates for overlapping pages as for one page', () => {
    const events = successfulRun().events;
    const once = summary(new ProgressTracker().push(events));
    const tracker = new ProgressTracker();
    const paged = [
      ...tracker.push(events.slice(0, 7)),
      ...tracker.push(events.slice(0, 20)),
      ...tracker.push(events.slice(15)),
      ...tracker.push(events),
    ];
    expect(summary(paged)).toEqual(once);
  });
});

describe('ProgressTracker: a retried task', () => {
  const cause = JSON.stringify({ errorMessage: 'Rate exceeded', errorType: 'ThrottlingException' });
  const history = new History()
    .started()
    .enter('Task', 'Random Select Winners')
    .lambdaFails('ThrottlingException', cause)
    .lambdaOk()
    .exit('Task', 'Random Select Winners');
  let updates: ProgressUpdate[];
  beforeEach(() => {
    updates = new ProgressTracker().push(history.events);
  });

  it('reports the retry with the error of the failed attempt', () => {
    expect(summary(updates)).toEqual([
      'entered Random Select Winners',
      'retrying Random Select Winners',
      'exited Random Select Winners',
    ]);
    const retrying = updates[1];
    expect(retrying).toMatchObject({
      kind: 'retrying',
      error: { error: 'ThrottlingException', cause },
    });
    expect(retrying?.kind === 'retrying' && retrying.step.attempts).toBe(2);
  });

  it('ends the step succeeded after 2 attempts', () => {
    const exited = updates[2];
    expect(exited?.kind).toBe('exited');
    if (exited?.kind !== 'exited') return;
    expect(exited.step).toMatchObject({
      outcome: 'succeeded',
      attempts: 2,
      lastAttemptFailed: false,
    });
  });

  it('counts every attempt of a task that times out and is retried', () => {
    const timedOut = new History()
      .started()
      .enter('Task', 'Notify Winners')
      .add('TaskScheduled')
      .add('TaskTimedOut', {
        taskTimedOutEventDetails: {
          resourceType: 'sns',
          resource: 'publish',
          error: 'States.Timeout',
        },
      })
      .add('TaskScheduled')
      .add('TaskTimedOut', {
        taskTimedOutEventDetails: {
          resourceType: 'sns',
          resource: 'publish',
          error: 'States.Timeout',
        },
      })
      .add('TaskScheduled')
      .add('TaskSucceeded')
      .exit('Task', 'Notify Winners');
    const result = new ProgressTracker().push(timedOut.events);
    expect(summary(result)).toEqual([
      'entered Notify Winners',
      'retrying Notify Winners',
      'retrying Notify Winners',
      'exited Notify Winners',
    ]);
    expect(result[1]).toMatchObject({ error: { error: 'States.Timeout', cause: '' } });
    expect(result.at(-1)).toMatchObject({ step: { attempts: 3, outcome: 'succeeded' } });
  });
});

describe('ProgressTracker: a caught error ending in the Fail state', () => {
  const cause = JSON.stringify({
    errorMessage: 'the number of winners must be between 1 and 500, got 0',
    errorType: 'InvalidDrawInput',
  });
  const history = new History()
    .started()
    .enter('Task', 'Input Lottery Winners')
    .lambdaFails('InvalidDrawInput', cause)
    .exit('Task', 'Input Lottery Winners', { error: { Error: 'InvalidDrawInput', Cause: cause } })
    .enter('Fail', 'Failed')
    .add('ExecutionFailed', { executionFailedEventDetails: { error: 'InvalidDrawInput', cause } });
  let updates: ProgressUpdate[];
  beforeEach(() => {
    updates = new ProgressTracker().push(history.events);
  });

  it('marks the task caught, keeping its error', () => {
    const exited = updates[1];
    expect(exited?.kind).toBe('exited');
    if (exited?.kind !== 'exited') return;
    expect(exited.step).toMatchObject({
      name: 'Input Lottery Winners',
      outcome: 'caught',
      attempts: 1,
      error: { error: 'InvalidDrawInput', cause },
    });
  });

  it('fails the Fail state, then ends FAILED pointing at the task that failed', () => {
    expect(summary(updates)).toEqual([
      'entered Input Lottery Winners',
      'exited Input Lottery Winners',
      'entered Failed',
      'failed Failed',
      'ended FAILED',
    ]);
    expect(updates[3]).toMatchObject({
      kind: 'failed',
      step: {
        name: 'Failed',
        type: 'Fail',
        outcome: 'failed',
        error: { error: 'InvalidDrawInput', cause },
      },
    });
    const ended = updates[4];
    expect(ended).toMatchObject({
      kind: 'ended',
      end: { status: 'FAILED', error: 'InvalidDrawInput', cause },
    });
    expect(ended?.kind === 'ended' && ended.failedStep?.name).toBe('Input Lottery Winners');
  });
});

describe('ProgressTracker: an uncaught failure', () => {
  it('fails the open task with its own error', () => {
    const history = new History()
      .started()
      .enter('Task', 'Random Select Winners')
      .lambdaFails('NotEnoughEligible', '{"errorMessage":"only 1 of 2 employees is eligible"}')
      .add('ExecutionFailed', {
        executionFailedEventDetails: {
          error: 'NotEnoughEligible',
          cause: '{"errorMessage":"only 1 of 2 employees is eligible"}',
        },
      });
    const updates = new ProgressTracker().push(history.events);
    expect(summary(updates)).toEqual([
      'entered Random Select Winners',
      'failed Random Select Winners',
      'ended FAILED',
    ]);
    expect(updates[1]).toMatchObject({
      step: {
        outcome: 'failed',
        error: { error: 'NotEnoughEligible' },
        exitedAt: history.events.at(-1)?.timestamp,
      },
    });
    expect(updates[2]).toMatchObject({ failedStep: { name: 'Random Select Winners' } });
  });

  it('fails open steps innermost first when the execution is stopped', () => {
    const history = new History()
      .started()
      .enter('Parallel', 'Send SNS and Record In Dynamodb')
      .add('ParallelStateStarted')
      .enter('Task', 'Record Winner Queue')
      .add('LambdaFunctionScheduled')
      .add('ExecutionAborted');
    const tracker = new ProgressTracker();
    const updates = tracker.push(history.events);
    expect(summary(updates)).toEqual([
      'entered Send SNS and Record In Dynamodb',
      'entered Record Winner Queue',
      'failed Record Winner Queue',
      'failed Send SNS and Record In Dynamodb',
      'ended ABORTED',
    ]);
    expect(tracker.end).toEqual({ status: 'ABORTED', error: 'ABORTED', cause: '' });
    expect(updates[2]).toMatchObject({ step: { error: { error: 'ABORTED', cause: '' } } });
    expect(updates[4]).toMatchObject({ failedStep: undefined });
  });

  it('reports a timed-out execution', () => {
    const history = new History()
      .started()
      .enter('Task', 'Validate Winners')
      .add('ExecutionTimedOut', {
        executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'took too long' },
      });
    const tracker = new ProgressTracker();
    tracker.push(history.events);
    expect(tracker.end).toEqual({
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'took too long',
    });
  });
});

describe('ProgressTracker: a failed Parallel branch caught by the Parallel', () => {
  const cause = '{"errorMessage":"claim lost"}';
  const history = new History()
    .started()
    .enter('Parallel', 'Send SNS and Record In Dynamodb')
    .add('ParallelStateStarted')
    .enter('Task', 'Record Winner Queue')
    .lambdaFails('ClaimLost', cause)
    .add('ParallelStateFailed')
    .exit('Parallel', 'Send SNS and Record In Dynamodb')
    .task('Release Winners')
    .enter('Fail', 'Failed')
    .add('ExecutionFailed', { executionFailedEventDetails: { error: 'ClaimLost', cause } });
  let updates: ProgressUpdate[];
  beforeEach(() => {
    updates = new ProgressTracker().push(history.events);
  });

  it('closes the failed branch task and marks the Parallel caught with its error', () => {
    const parallel = updates.find(
      (update) =>
        update.kind === 'exited' && update.step.name === 'Send SNS and Record In Dynamodb',
    );
    expect(parallel).toMatchObject({
      step: { outcome: 'caught', error: { error: 'ClaimLost', cause } },
    });
  });

  it('goes back to depth 0 after the Parallel and blames the branch task', () => {
    const release = updates.find(
      (update) => update.kind === 'entered' && update.step.name === 'Release Winners',
    );
    expect(release).toMatchObject({ step: { depth: 0 } });
    expect(updates.at(-1)).toMatchObject({
      kind: 'ended',
      failedStep: { name: 'Record Winner Queue' },
    });
  });

  it('reports the branch task that failed as failed, before the Parallel exits', () => {
    // On AWS a Task that fails inside a branch gets no TaskStateExited: ParallelStateFailed is the
    // only sign that it is over. Whoever watches the draw must still see that step finish, failed.
    const lines = summary(updates);
    expect(lines.slice(0, 4)).toEqual([
      'entered Send SNS and Record In Dynamodb',
      'entered Record Winner Queue',
      'failed Record Winner Queue',
      'exited Send SNS and Record In Dynamodb',
    ]);
    expect(updates[2]).toMatchObject({
      kind: 'failed',
      step: {
        name: 'Record Winner Queue',
        outcome: 'failed',
        error: { error: 'ClaimLost', cause },
        exitedAt: expect.any(Date),
      },
    });
  });
});

describe('ProgressTracker: the re-draw loop', () => {
  it('counts visits of a state entered again', () => {
    const history = new History()
      .started()
      .task('Input Lottery Winners')
      .task('Random Select Winners')
      .task('Validate Winners', { status: 1 })
      .enter('Choice', 'Is Winner In Past Draw')
      .exit('Choice', 'Is Winner In Past Draw')
      .task('Random Select Winners')
      .task('Validate Winners', { status: 0 })
      .enter('Choice', 'Is Winner In Past Draw');
    const entered = new ProgressTracker()
      .push(history.events)
      .flatMap((update) =>
        update.kind === 'entered' ? [`${update.step.name} #${update.step.visit}`] : [],
      );
    expect(entered).toEqual([
      'Input Lottery Winners #1',
      'Random Select Winners #1',
      'Validate Winners #1',
      'Is Winner In Past Draw #1',
      'Random Select Winners #2',
      'Validate Winners #2',
      'Is Winner In Past Draw #2',
    ]);
  });

  it('starts a second visit with its own attempt count', () => {
    const history = new History()
      .started()
      .enter('Task', 'Random Select Winners')
      .lambdaFails('Lambda.ServiceException', 'x')
      .lambdaOk()
      .exit('Task', 'Random Select Winners')
      .task('Random Select Winners');
    const exits = new ProgressTracker()
      .push(history.events)
      .flatMap((update) => (update.kind === 'exited' ? [update.step] : []));
    expect(exits.map((step) => [step.visit, step.attempts])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });
});

describe('ProgressTracker: odd input', () => {
  it('keeps a non-JSON output as text', () => {
    const history = new History()
      .started()
      .enter('Pass', 'P')
      .exit('Pass', 'P')
      .add('ExecutionSucceeded', { executionSucceededEventDetails: { output: 'not json' } });
    history.events[2] = {
      ...history.events[2]!,
      stateExitedEventDetails: { name: 'P', output: 'plain' },
    };
    const updates = new ProgressTracker().push(history.events);
    expect(updates[1]).toMatchObject({ step: { output: 'plain' } });
    expect(updates[2]).toMatchObject({ end: { status: 'SUCCEEDED', output: 'not json' } });
  });

  it('ignores task events outside any state and exits with nothing open', () => {
    const history = new History()
      .started()
      .add('LambdaFunctionScheduled')
      .add('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: 'E' } })
      .add('LambdaFunctionSucceeded')
      .add('TaskStateExited');
    expect(new ProgressTracker().push(history.events)).toEqual([]);
  });
});

describe('ProgressTracker: Parallel states, nested or odd', () => {
  it('nests a Parallel inside a branch one deeper, and comes back out one level at a time', () => {
    const history = new History()
      .started()
      .enter('Parallel', 'Outer')
      .add('ParallelStateStarted')
      .enter('Parallel', 'Inner')
      .add('ParallelStateStarted')
      .task('Deepest')
      .add('ParallelStateSucceeded')
      .exit('Parallel', 'Inner')
      .task('After inner')
      .add('ParallelStateSucceeded')
      .exit('Parallel', 'Outer')
      .task('After outer');
    const updates = new ProgressTracker().push(history.events);
    expect(summary(updates)).toEqual([
      'entered Outer',
      'entered Inner',
      'entered Deepest',
      'exited Deepest',
      'exited Inner',
      'entered After inner',
      'exited After inner',
      'exited Outer',
      'entered After outer',
      'exited After outer',
    ]);
    const depths = updates.flatMap((update) =>
      update.kind === 'entered' ? [`${update.step.name} ${update.step.depth}`] : [],
    );
    expect(depths).toEqual(['Outer 0', 'Inner 1', 'Deepest 2', 'After inner 1', 'After outer 0']);
  });

  it('stays at depth 0 after an end of a Parallel it never saw start, and leaves the state it is in open', () => {
    const history = new History()
      .started()
      .enter('Pass', 'Here')
      .add('ParallelStateSucceeded')
      .exit('Pass', 'Here')
      .task('Next');
    expect(new ProgressTracker().push(history.events)).toMatchObject([
      { kind: 'entered', step: { name: 'Here', depth: 0 } },
      { kind: 'exited', step: { name: 'Here', outcome: 'succeeded' } },
      { kind: 'entered', step: { name: 'Next', depth: 0 } },
      { kind: 'exited', step: { name: 'Next' } },
    ]);
  });

  it('marks a Parallel caught, with no error, when its branch failed without saying why', () => {
    const history = new History()
      .started()
      .enter('Parallel', 'Send SNS and Record In Dynamodb')
      .add('ParallelStateStarted')
      .enter('Task', 'Notify Winners')
      .add('TaskScheduled')
      .add('TaskFailed')
      .add('ParallelStateFailed')
      .exit('Parallel', 'Send SNS and Record In Dynamodb');
    const updates = new ProgressTracker().push(history.events);
    expect(summary(updates)).toEqual([
      'entered Send SNS and Record In Dynamodb',
      'entered Notify Winners',
      'failed Notify Winners',
      'exited Send SNS and Record In Dynamodb',
    ]);
    const parallel = updates.at(-1);
    expect(parallel).toMatchObject({ step: { outcome: 'caught' } });
    expect(parallel?.kind === 'exited' && parallel.step.error).toBeUndefined();
  });

  it('marks a Parallel whose branches all succeeded as succeeded, with no error', () => {
    const history = new History()
      .started()
      .enter('Task', 'Random Select Winners')
      .lambdaFails('Lambda.ServiceException', 'x')
      .lambdaOk()
      .exit('Task', 'Random Select Winners')
      .enter('Parallel', 'Send SNS and Record In Dynamodb')
      .add('ParallelStateStarted')
      .task('Record Winner Queue')
      .add('ParallelStateSucceeded')
      .exit('Parallel', 'Send SNS and Record In Dynamodb');
    const parallel = new ProgressTracker().push(history.events).at(-1);
    expect(parallel).toMatchObject({
      kind: 'exited',
      step: {
        name: 'Send SNS and Record In Dynamodb',
        outcome: 'succeeded',
        lastAttemptFailed: false,
      },
    });
    expect(parallel?.kind === 'exited' && parallel.step.error).toBeUndefined();
  });
});

describe('ProgressTracker: how an execution ends', () => {
  it('keeps the error and cause of a stopped execution', () => {
    const history = new History()
      .started()
      .enter('Wait', 'Wait For Round')
      .add('ExecutionAborted', {
        executionAbortedEventDetails: { error: 'Stopped', cause: 'stopped by the operator' },
      });
    const tracker = new ProgressTracker();
    const updates = tracker.push(history.events);
    expect(tracker.end).toEqual({
      status: 'ABORTED',
      error: 'Stopped',
      cause: 'stopped by the operator',
    });
    expect(updates[1]).toMatchObject({
      kind: 'failed',
      step: {
        name: 'Wait For Round',
        error: { error: 'Stopped', cause: 'stopped by the operator' },
      },
    });
  });

  it('invents no error for a step left open by an execution that succeeded', () => {
    const history = new History()
      .started()
      .enter('Succeed', 'Done')
      .add('ExecutionSucceeded', { executionSucceededEventDetails: { output: '{}' } });
    const updates = new ProgressTracker().push(history.events);
    expect(summary(updates)).toEqual(['entered Done', 'failed Done', 'ended SUCCEEDED']);
    expect(updates[1]?.kind === 'failed' && updates[1].step.error).toBeUndefined();
  });

  it('has no output for an execution that succeeded without one', () => {
    const history = new History().started().add('ExecutionSucceeded');
    expect(new ProgressTracker().push(history.events)).toEqual([
      { kind: 'ended', end: { status: 'SUCCEEDED', output: undefined }, failedStep: undefined },
    ]);
  });

  it('points at no step when the execution succeeds after a caught failure', () => {
    const history = new History()
      .started()
      .enter('Task', 'Input Lottery Winners')
      .lambdaFails('InvalidDrawInput', 'x')
      .exit('Task', 'Input Lottery Winners')
      .add('ExecutionSucceeded', { executionSucceededEventDetails: { output: '{}' } });
    expect(new ProgressTracker().push(history.events).at(-1)).toEqual({
      kind: 'ended',
      end: { status: 'SUCCEEDED', output: {} },
      failedStep: undefined,
    });
  });
});

describe('ProgressTracker: incomplete events', () => {
  it('skips an event without an id, and goes on with the next', () => {
    const history = new History().started().enter('Task', 'Skipped').enter('Task', 'Kept');
    history.events[1] = { ...history.events[1]!, id: undefined };
    expect(summary(new ProgressTracker().push(history.events))).toEqual(['entered Kept']);
  });

  it('names a state entered without details "?", with no input, and its exit with no output', () => {
    const history = new History().started().add('PassStateEntered').add('PassStateExited');
    expect(new ProgressTracker().push(history.events)).toMatchObject([
      { kind: 'entered', step: { name: '?', type: 'Pass', input: undefined } },
      { kind: 'exited', step: { name: '?', outcome: 'succeeded', output: undefined } },
    ]);
  });

  it('reports no retry after a failed attempt it was told nothing about', () => {
    const history = new History()
      .started()
      .enter('Task', 'Notify Winners')
      .add('TaskScheduled')
      .add('TaskFailed')
      .add('TaskScheduled')
      .add('TaskSucceeded')
      .exit('Task', 'Notify Winners');
    const updates = new ProgressTracker().push(history.events);
    expect(summary(updates)).toEqual(['entered Notify Winners', 'exited Notify Winners']);
    expect(updates[1]).toMatchObject({ step: { attempts: 2, outcome: 'succeeded' } });
  });

  it('names a failure without an error name by its event type, or "Error" without one', () => {
    const history = new History()
      .started()
      .enter('Task', 'Notify Winners')
      .add('LambdaFunctionScheduled')
      .add('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: {} })
      .add('LambdaFunctionScheduled')
      .add('', { lambdaFunctionFailedEventDetails: { cause: 'lost' } })
      .add('LambdaFunctionScheduled');
    history.events[5] = { ...history.events[5]!, type: undefined };
    const updates = new ProgressTracker().push(history.events);
    expect(updates.map((update) => update.kind === 'retrying' && update.error)).toEqual([
      false,
      { error: 'LambdaFunctionFailed', cause: '' },
      { error: 'Error', cause: 'lost' },
    ]);
  });
});
