import { describe, expect, test } from 'vitest';
import { HistoryRecorder, type EngineEvent, type WireHistoryEvent } from '../../src/local/history';

// HistoryRecorder fed with synthetic engine events, in the orders aws-local-stepfunctions produces
// them: the Task wrappers report attempts as they happen, the event log is read a little later.

const REGION = 'local';
const ROLE = 'arn:aws:iam:local:000000000000:role/lottery-local';
const SELECT = 'Random Select Winners';
const VALIDATE = 'Validate Winners';
const SELECT_FN = 'arn:aws:lambda:local:000000000000:function:Lottery-RandomSelectWinners';
const VALIDATE_FN = 'arn:aws:lambda:local:000000000000:function:Lottery-ValidateWinners';
const SNS = 'arn:aws:states:::sns:publish';

const task = (name: string, input: unknown, output?: unknown) => ({
  name,
  type: 'Task',
  input,
  ...(output !== undefined ? { output } : {}),
});
const entered = (timestamp: number, name: string, input: unknown, type = 'Task'): EngineEvent => ({
  type: 'StateEntered',
  timestamp,
  state: { ...task(name, input), type },
});
const exited = (
  timestamp: number,
  name: string,
  input: unknown,
  output: unknown,
  type = 'Task',
): EngineEvent => ({
  type: 'StateExited',
  timestamp,
  state: { ...task(name, input, output), type },
});
const failed = (
  timestamp: number,
  name: string,
  input: unknown,
  error: string,
  cause: string,
  type = 'Task',
): EngineEvent => ({
  type: 'StateFailed',
  timestamp,
  state: { ...task(name, input), type },
  Error: error,
  Cause: cause,
});
const retried = (timestamp: number, name: string, input: unknown): EngineEvent => ({
  type: 'StateRetried',
  timestamp,
  state: task(name, input),
});

/** Begins an attempt at a chosen time; `end` fills in how it ended. */
function attempt(
  recorder: HistoryRecorder,
  state: string,
  resource: string,
  input: unknown,
  scheduledAt: number,
) {
  const begun = recorder.beginAttempt(state, resource, input);
  begun.scheduledAt = scheduledAt;
  return {
    succeed(at: number, output: unknown) {
      begun.output = output;
      begun.endedAt = at;
    },
    fail(at: number, error: string, cause: string) {
      begun.error = error;
      begun.cause = cause;
      begun.endedAt = at;
    },
  };
}

const lambdaCause = (message: string, type = 'Lambda.Unknown') =>
  JSON.stringify({ errorType: type, errorMessage: message, trace: [] });

function label(event: WireHistoryEvent): string {
  const details = (event.stateEnteredEventDetails ?? event.stateExitedEventDetails) as
    { name?: string } | undefined;
  return details?.name === undefined ? event.type : `${event.type}(${details.name})`;
}

function expectWellNumbered(events: WireHistoryEvent[]) {
  expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
  expect(events.map((event) => event.previousEventId)).toEqual(events.map((_, index) => index));
  for (let index = 1; index < events.length; index++) {
    expect((events[index] as WireHistoryEvent).timestamp).toBeGreaterThanOrEqual(
      (events[index - 1] as WireHistoryEvent).timestamp,
    );
  }
}

const scheduledInputs = (events: WireHistoryEvent[]) =>
  events
    .filter((event) => event.type === 'LambdaFunctionScheduled')
    .map(
      (event) =>
        JSON.parse(
          (event.lambdaFunctionScheduledEventDetails as { input: string }).input,
        ) as unknown,
    );

describe('HistoryRecorder', () => {
  test('wire format: ids from 1, previousEventId, timestamps in epoch seconds, JSON strings for data', () => {
    let notified = 0;
    const recorder = new HistoryRecorder(REGION, ROLE, () => notified++);
    recorder.record({
      type: 'ExecutionStarted',
      timestamp: 1_700_000_000_000,
      input: { input: 2 },
    });
    recorder.record(entered(1_700_000_000_500, SELECT, { body: 1 }));
    expect(recorder.events).toEqual([
      {
        id: 1,
        previousEventId: 0,
        timestamp: 1_700_000_000,
        type: 'ExecutionStarted',
        executionStartedEventDetails: {
          input: '{"input":2}',
          inputDetails: { truncated: false },
          roleArn: ROLE,
        },
      },
      {
        id: 2,
        previousEventId: 1,
        timestamp: 1_700_000_000.5,
        type: 'TaskStateEntered',
        stateEnteredEventDetails: {
          name: SELECT,
          input: '{"body":1}',
          inputDetails: { truncated: false },
        },
      },
    ]);
    expect(notified).toBe(2);
  });

  test('a Task retried once: Scheduled/Started/Failed, then Scheduled/Started/Succeeded, then TaskStateExited', () => {
    const recorder = new HistoryRecorder(REGION, ROLE);
    const input = { body: 'in' };
    recorder.record({ type: 'ExecutionStarted', timestamp: 1000, input: {} });
    recorder.record(entered(1001, SELECT, input));
    const first = attempt(recorder, SELECT, SELECT_FN, { try: 1 }, 1002);
    const cause = lambdaCause('dynamodb throttled');
    first.fail(1003, 'Lambda.Unknown', cause);
    recorder.record(failed(1004, SELECT, input, 'Lambda.Unknown', cause));
    recorder.record(retried(1054, SELECT, input));
    const second = attempt(recorder, SELECT, SELECT_FN, { try: 2 }, 1055);
    second.succeed(1060, { picked: ['e1'] });
    recorder.record(exited(1061, SELECT, input, { picked: ['e1'] }));

    const events = recorder.events;
    expect(events.map(label)).toEqual([
      'ExecutionStarted',
      `TaskStateEntered(${SELECT})`,
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      `TaskStateExited(${SELECT})`,
    ]);
    expectWellNumbered(events);
    expect(scheduledInputs(events)).toEqual([{ try: 1 }, { try: 2 }]);
    expect(events[2]?.lambdaFunctionScheduledEventDetails).toMatchObject({ resource: SELECT_FN });
    expect(events[4]?.lambdaFunctionFailedEventDetails).toEqual({ error: 'Lambda.Unknown', cause });
    expect(events[4]?.timestamp).toBe(1.003);
    expect(events[7]?.lambdaFunctionSucceededEventDetails).toEqual({
      output: '{"picked":["e1"]}',
      outputDetails: { truncated: false },
    });
    expect(events[8]?.stateExitedEventDetails).toEqual({
      name: SELECT,
      output: '{"picked":["e1"]}',
      outputDetails: { truncated: false },
    });
  });

  test('a retry that began before the recorder read StateFailed is written after the failed attempt, not with it', () => {
    const recorder = new HistoryRecorder(REGION, ROLE);
    const input = { body: 'in' };
    recorder.record(entered(1001, SELECT, input));
    const first = attempt(recorder, SELECT, SELECT_FN, { try: 1 }, 1002);
    first.fail(1003, 'Lambda.Unknown', lambdaCause('boom'));
    // The engine has already waited and retried when the log reader gets to StateFailed.
    const second = attempt(recorder, SELECT, SELECT_FN, { try: 2 }, 1055);
    recorder.record(failed(1004, SELECT, input, 'Lambda.Unknown', lambdaCause('boom')));
    expect(recorder.events.map(label)).toEqual([
      `TaskStateEntered(${SELECT})`,
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
    ]);
    recorder.record(retried(1054, SELECT, input));
    second.succeed(1060, { ok: true });
    recorder.record(exited(1061, SELECT, input, { ok: true }));
    expect(recorder.events.map((event) => event.type)).toEqual([
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
    ]);
    expect(scheduledInputs(recorder.events)).toEqual([{ try: 1 }, { try: 2 }]);
    expectWellNumbered(recorder.events);
  });

  test('the sns:publish integration retried once: TaskScheduled/TaskStarted/TaskFailed, then TaskScheduled/TaskStarted/TaskSucceeded', () => {
    const recorder = new HistoryRecorder(REGION, ROLE);
    const notify = 'Notify Winners';
    const parameters = {
      TopicArn: 'arn:aws:sns:local:000000000000:Lottery-Notification',
      Message: 'Congrats!',
    };
    recorder.record(entered(1000, notify, {}));
    attempt(recorder, notify, SNS, parameters, 1001).fail(
      1002,
      'SNS.ThrottledException',
      'Rate exceeded',
    );
    recorder.record(failed(1003, notify, {}, 'SNS.ThrottledException', 'Rate exceeded'));
    recorder.record(retried(1010, notify, {}));
    attempt(recorder, notify, SNS, parameters, 1011).succeed(1012, { MessageId: 'm-1' });
    recorder.record(exited(1013, notify, {}, { announcement: { status: 'SENT' } }));

    const events = recorder.events;
    expect(events.map(label)).toEqual([
      `TaskStateEntered(${notify})`,
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      `TaskStateExited(${notify})`,
    ]);
    expectWellNumbered(events);
    const sns = { resourceType: 'sns', resource: 'publish' };
    expect(events[1]?.taskScheduledEventDetails).toEqual({
      ...sns,
      region: REGION,
      parameters: JSON.stringify(parameters),
    });
    expect(events[2]?.taskStartedEventDetails).toEqual(sns);
    expect(events[3]?.taskFailedEventDetails).toEqual({
      ...sns,
      error: 'SNS.ThrottledException',
      cause: 'Rate exceeded',
    });
    expect(events[6]?.taskSucceededEventDetails).toEqual({
      ...sns,
      output: '{"MessageId":"m-1"}',
      outputDetails: { truncated: false },
    });
  });

  test.each([
    ['still running', false],
    ['already finished', true],
  ])(
    'an attempt of a later entry of the same state (%s when the recorder reads the earlier StateExited) is written under the later entry',
    (_, laterFinished) => {
      const recorder = new HistoryRecorder(REGION, ROLE);
      recorder.record({ type: 'ExecutionStarted', timestamp: 1000, input: {} });
      // The engine's timeline: Select, Validate (a pick was taken: draw again), Choice, Select
      // again.
      recorder.record(entered(1001, SELECT, { round: 1 }));
      attempt(recorder, SELECT, SELECT_FN, { round: 1 }, 1002).succeed(1010, { picks: 'first' });
      const validate = attempt(recorder, VALIDATE, VALIDATE_FN, { picks: 'first' }, 1012);
      validate.succeed(1020, { status: 1 });
      const later = attempt(recorder, SELECT, SELECT_FN, { round: 2 }, 1031);
      if (laterFinished) later.succeed(1040, { picks: 'second' });

      // The log reader catches up only now.
      recorder.record(exited(1011, SELECT, { round: 1 }, { picks: 'first' }));
      expect(scheduledInputs(recorder.events)).toEqual([{ round: 1 }]);
      recorder.record(entered(1011, VALIDATE, { picks: 'first' }));
      recorder.record(exited(1021, VALIDATE, { picks: 'first' }, { status: 1 }));
      recorder.record(entered(1022, 'Is Winner In Past Draw', { status: 1 }, 'Choice'));
      recorder.record(
        exited(1023, 'Is Winner In Past Draw', { status: 1 }, { status: 1 }, 'Choice'),
      );
      recorder.record(entered(1030, SELECT, { round: 2 }));
      if (!laterFinished) later.succeed(1040, { picks: 'second' });
      recorder.record(exited(1041, SELECT, { round: 2 }, { picks: 'second' }));
      recorder.record({ type: 'ExecutionSucceeded', timestamp: 1042, output: { picks: 'second' } });

      const events = recorder.events;
      expect(events.map(label)).toEqual([
        'ExecutionStarted',
        `TaskStateEntered(${SELECT})`,
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        `TaskStateExited(${SELECT})`,
        `TaskStateEntered(${VALIDATE})`,
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        `TaskStateExited(${VALIDATE})`,
        'ChoiceStateEntered(Is Winner In Past Draw)',
        'ChoiceStateExited(Is Winner In Past Draw)',
        `TaskStateEntered(${SELECT})`,
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        `TaskStateExited(${SELECT})`,
        'ExecutionSucceeded',
      ]);
      expect(scheduledInputs(events)).toEqual([{ round: 1 }, { picks: 'first' }, { round: 2 }]);
      const outputs = events
        .filter((event) => event.type === 'LambdaFunctionSucceeded')
        .map((event) => (event.lambdaFunctionSucceededEventDetails as { output: string }).output);
      expect(outputs).toEqual(['{"picks":"first"}', '{"status":1}', '{"picks":"second"}']);
      expectWellNumbered(events);
    },
  );

  test('a Task that times out: LambdaFunctionTimedOut, and the late answer of that attempt is never written', () => {
    const recorder = new HistoryRecorder(REGION, ROLE);
    recorder.record(entered(1000, SELECT, {}));
    const slow = attempt(recorder, SELECT, SELECT_FN, { slow: true }, 1001);
    recorder.record(failed(31_001, SELECT, {}, 'States.Timeout', 'Task timed out'));
    slow.succeed(31_500, { late: true });
    recorder.record(exited(31_002, SELECT, {}, { error: { Error: 'States.Timeout' } }));
    expect(recorder.events.map((event) => event.type)).toEqual([
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionTimedOut',
      'TaskStateExited',
    ]);
    expect(recorder.events[3]?.lambdaFunctionTimedOutEventDetails).toEqual({
      error: 'States.Timeout',
      cause: 'Task timed out',
    });
  });

  test('a failed Parallel state that is caught: ParallelStateFailed then ParallelStateExited, never ParallelStateSucceeded', () => {
    const recorder = new HistoryRecorder(REGION, ROLE);
    const parallel = 'Send SNS and Record In Dynamodb';
    const record = 'Record Winner Queue';
    recorder.record(entered(1000, parallel, {}, 'Parallel'));
    recorder.record(entered(1001, record, {}));
    attempt(
      recorder,
      record,
      'arn:aws:lambda:local:000000000000:function:Lottery-RecordWinners',
      {},
      1002,
    ).fail(1003, 'ClaimLost', lambdaCause('gone', 'ClaimLost'));
    recorder.record(failed(1004, record, {}, 'ClaimLost', lambdaCause('gone', 'ClaimLost')));
    recorder.record(
      failed(1005, parallel, {}, 'ClaimLost', lambdaCause('gone', 'ClaimLost'), 'Parallel'),
    );
    recorder.record({
      type: 'StateCaught',
      timestamp: 1005,
      state: { name: parallel, type: 'Parallel', input: {} },
    });
    recorder.record(exited(1006, parallel, {}, { error: {} }, 'Parallel'));
    expect(recorder.events.map(label)).toEqual([
      `ParallelStateEntered(${parallel})`,
      'ParallelStateStarted',
      `TaskStateEntered(${record})`,
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'ParallelStateFailed',
      `ParallelStateExited(${parallel})`,
    ]);
  });

  test('a Fail state: FailStateEntered then ExecutionFailed with its error and cause, no FailStateExited', () => {
    const recorder = new HistoryRecorder(REGION, ROLE);
    recorder.record(entered(1000, 'Failed', { error: {} }, 'Fail'));
    recorder.record(
      failed(1001, 'Failed', { error: {} }, 'NotEnoughEligible', '{"errorMessage":"x"}', 'Fail'),
    );
    recorder.record({
      type: 'ExecutionFailed',
      timestamp: 1001,
      Error: 'NotEnoughEligible',
      Cause: '{"errorMessage":"x"}',
    });
    expect(recorder.events.map(label)).toEqual(['FailStateEntered(Failed)', 'ExecutionFailed']);
    expect(recorder.events[1]?.executionFailedEventDetails).toEqual({
      error: 'NotEnoughEligible',
      cause: '{"errorMessage":"x"}',
    });
  });
});
