import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  paginateGetExecutionHistory,
  paginateListExecutions,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
  type ExecutionListItem,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allStates } from '../../../src/core/definition';
import { FUNCTIONS, STATES } from '../../../src/core/names';
import { LOCAL_ARNS } from '../../../src/local/constants';
import {
  employees,
  executionArn,
  fullHistory,
  historyProblems,
  label,
  MACHINE_ARN,
  openBackend,
  rejectionOf,
  seedEmployees,
  sleep,
  start,
  TABLES,
  waitForEnd,
  type Backend,
} from './support';

const OTHER_MACHINE_ARN = MACHINE_ARN.replace(/:Lottery$/, ':NotLottery');

/**
 * A date the SDK parsed from epoch seconds: now-ish. Epoch milliseconds would land ~55,000 years
 * ahead.
 */
function expectRecentDate(value: unknown, since: number) {
  expect(value).toBeInstanceOf(Date);
  const date = value as Date;
  expect(date.getUTCFullYear()).toBe(new Date().getUTCFullYear());
  expect(date.getTime()).toBeGreaterThanOrEqual(since - 1000);
  expect(date.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
}

function parseJson(text: unknown): unknown {
  expect(typeof text).toBe('string');
  return JSON.parse(text as string);
}

/** The Task resources of the deployed definition, as DescribeStateMachine reports it. */
async function taskResources(backend: Backend): Promise<Map<string, string>> {
  const described = await backend.sfn.send(
    new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }),
  );
  const definition = JSON.parse(described.definition ?? '{}') as Parameters<typeof allStates>[0];
  return new Map(
    allStates(definition).flatMap(([name, state]) =>
      state.Resource ? [[name, state.Resource] as [string, string]] : [],
    ),
  );
}

const LAMBDA_OK = ['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded'];
const lambdaTask = (state: string) => [
  `TaskStateEntered(${state})`,
  ...LAMBDA_OK,
  `TaskStateExited(${state})`,
];
/** A draw that is not a beacon draw passes the Choice on its way to selection. */
const notBeacon = [
  `ChoiceStateEntered(${STATES.beaconDraw})`,
  `ChoiceStateExited(${STATES.beaconDraw})`,
];

const SUCCESSFUL_DRAW = [
  'ExecutionStarted',
  ...lambdaTask(STATES.input),
  ...lambdaTask(STATES.reserve),
  ...notBeacon,
  ...lambdaTask(STATES.select),
  ...lambdaTask(STATES.validate),
  `ChoiceStateEntered(${STATES.pastDraw})`,
  `ChoiceStateExited(${STATES.pastDraw})`,
  `ParallelStateEntered(${STATES.sendAndRecord})`,
  'ParallelStateStarted',
  ...lambdaTask(STATES.record),
  `TaskStateEntered(${STATES.notify})`,
  'TaskScheduled',
  'TaskStarted',
  'TaskSucceeded',
  `TaskStateExited(${STATES.notify})`,
  'ParallelStateSucceeded',
  `ParallelStateExited(${STATES.sendAndRecord})`,
  'ExecutionSucceeded',
];

describe('the embedded Step Functions API, through the AWS SDK v3 client', () => {
  let backend: Backend;
  let since: number;
  let drawArn: string;
  let draw: DescribeExecutionCommandOutput;
  let history: HistoryEvent[];

  beforeAll(async () => {
    since = Date.now();
    backend = await openBackend();
    await seedEmployees(backend, 10);
    drawArn = await start(backend.sfn, 'first-draw', { input: 2 });
    draw = await waitForEnd(backend.sfn, drawArn);
    history = await fullHistory(backend.sfn, drawArn);
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  describe('state machines', () => {
    test('ListStateMachines lists the Lottery machine with its ARN and a creation date in epoch seconds', async () => {
      const listed = await backend.sfn.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines).toHaveLength(1);
      const [machine] = listed.stateMachines ?? [];
      expect(machine?.name).toBe('Lottery');
      expect(machine?.stateMachineArn).toBe(MACHINE_ARN);
      expect(machine?.stateMachineArn).toMatch(
        /^arn:aws:states:[^:]+:\d{12}:stateMachine:Lottery$/,
      );
      expect(machine?.type).toBe('STANDARD');
      expectRecentDate(machine?.creationDate, since);
      expect(listed.nextToken).toBeUndefined();
    });

    test('DescribeStateMachine returns the workshop definition, with ARNs filled in', async () => {
      const described = await backend.sfn.send(
        new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }),
      );
      expect(described.stateMachineArn).toBe(MACHINE_ARN);
      expect(described.name).toBe('Lottery');
      expect(described.status).toBe('ACTIVE');
      expect(described.type).toBe('STANDARD');
      expect(described.roleArn).toBe(LOCAL_ARNS.role);
      expectRecentDate(described.creationDate, since);

      const definition = parseJson(described.definition) as Parameters<typeof allStates>[0] & {
        StartAt: string;
      };
      expect(definition.StartAt).toBe(STATES.input);
      const names = allStates(definition).map(([name]) => name);
      expect(names.sort()).toEqual(Object.values(STATES).sort());
      expect(described.definition).not.toMatch(/\$\{[A-Za-z0-9_]+\}/);
      const resources = await taskResources(backend);
      expect(resources.get(STATES.input)).toBe(
        LOCAL_ARNS.function(FUNCTIONS.InputWinnersFunctionArn),
      );
      expect(resources.get(STATES.notify)).toBe('arn:aws:states:::sns:publish');
    });
  });

  describe('a successful draw', () => {
    test('StartExecution answers the execution ARN and a start date in epoch seconds', async () => {
      const started = await backend.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: MACHINE_ARN,
          name: 'start-answer',
          input: JSON.stringify({ input: 1 }),
        }),
      );
      expect(started.executionArn).toBe(executionArn('start-answer'));
      expectRecentDate(started.startDate, since);
      expect((await waitForEnd(backend.sfn, started.executionArn as string)).status).toBe(
        'SUCCEEDED',
      );
    });

    test('DescribeExecution: SUCCEEDED, dates in epoch seconds, the output names 2 winners', () => {
      expect(draw.executionArn).toBe(drawArn);
      expect(draw.stateMachineArn).toBe(MACHINE_ARN);
      expect(draw.name).toBe('first-draw');
      expect(draw.status).toBe('SUCCEEDED');
      expectRecentDate(draw.startDate, since);
      expectRecentDate(draw.stopDate, since);
      expect((draw.stopDate as Date).getTime()).toBeGreaterThanOrEqual(
        (draw.startDate as Date).getTime(),
      );
      expect(parseJson(draw.input)).toEqual({ input: 2 });
      const output = parseJson(draw.output) as {
        draw_id: string;
        winners: { employee_id: string }[];
        announcement: { status: string };
      };
      expect(output.draw_id).toBe('first-draw');
      expect(output.winners).toHaveLength(2);
      expect(new Set(output.winners.map((winner) => winner.employee_id)).size).toBe(2);
      expect(output.announcement.status).toBe('SENT');
      expect(draw.error).toBeUndefined();
      expect(draw.cause).toBeUndefined();
    });

    test('GetExecutionHistory: the events AWS records for this workflow, in order', () => {
      expect(history.map(label)).toEqual(SUCCESSFUL_DRAW);
    });

    test('GetExecutionHistory: ids from 1, previousEventId numbers, Date timestamps, Tasks made of their own attempts', async () => {
      expect(history.map((event) => event.id)).toEqual(history.map((_, index) => index + 1));
      for (const event of history) {
        expect(typeof event.previousEventId).toBe('number');
        expectRecentDate(event.timestamp, since);
      }
      expect(history[0]?.previousEventId).toBe(0);
      expect(historyProblems(history, await taskResources(backend))).toEqual([]);
    });

    test('GetExecutionHistory: state inputs and outputs are JSON strings; details as AWS shapes them', () => {
      for (const event of history) {
        if (event.stateEnteredEventDetails) {
          parseJson(event.stateEnteredEventDetails.input);
          expect(event.stateEnteredEventDetails.inputDetails?.truncated).toBe(false);
        }
        if (event.stateExitedEventDetails) parseJson(event.stateExitedEventDetails.output);
      }
      const started = history[0]?.executionStartedEventDetails;
      expect(parseJson(started?.input)).toEqual({ input: 2 });
      expect(started?.roleArn).toBe(LOCAL_ARNS.role);

      const scheduled = history.filter((event) => event.type === 'LambdaFunctionScheduled');
      expect(scheduled.map((event) => event.lambdaFunctionScheduledEventDetails?.resource)).toEqual(
        [
          LOCAL_ARNS.function(FUNCTIONS.InputWinnersFunctionArn),
          LOCAL_ARNS.function(FUNCTIONS.ReservePrizeFunctionArn),
          LOCAL_ARNS.function(FUNCTIONS.RandomSelectWinnersFunctionArn),
          LOCAL_ARNS.function(FUNCTIONS.ValidateWinnersFunctionArn),
          LOCAL_ARNS.function(FUNCTIONS.RecordWinnersFunctionArn),
        ],
      );
      for (const event of scheduled) parseJson(event.lambdaFunctionScheduledEventDetails?.input);
      for (const event of history.filter((each) => each.type === 'LambdaFunctionSucceeded')) {
        parseJson(event.lambdaFunctionSucceededEventDetails?.output);
      }

      const snsScheduled = history.find(
        (event) => event.type === 'TaskScheduled',
      )?.taskScheduledEventDetails;
      expect(snsScheduled?.resourceType).toBe('sns');
      expect(snsScheduled?.resource).toBe('publish');
      expect(typeof snsScheduled?.region).toBe('string');
      const parameters = parseJson(snsScheduled?.parameters) as {
        TopicArn: string;
        Message: string;
      };
      expect(parameters.TopicArn).toBe(LOCAL_ARNS.topic);
      expect(parameters.Message).toContain('Congrats!');
      const snsStarted = history.find(
        (event) => event.type === 'TaskStarted',
      )?.taskStartedEventDetails;
      expect(snsStarted).toEqual({ resourceType: 'sns', resource: 'publish' });
      const snsSucceeded = history.find(
        (event) => event.type === 'TaskSucceeded',
      )?.taskSucceededEventDetails;
      expect(snsSucceeded?.resourceType).toBe('sns');
      expect(snsSucceeded?.resource).toBe('publish');
      expect(parseJson(snsSucceeded?.output)).toEqual({ MessageId: expect.any(String) });

      const succeeded = history.at(-1)?.executionSucceededEventDetails;
      expect(succeeded?.output).toBe(draw.output);
    });

    test('GetExecutionHistory pagination: maxResults 3 gives 3 events and a token; the tokens walk the whole history once', async () => {
      const first = await backend.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: drawArn, maxResults: 3 }),
      );
      expect(first.events?.map((event) => event.id)).toEqual([1, 2, 3]);
      expect(typeof first.nextToken).toBe('string');

      const walked: HistoryEvent[] = [...(first.events ?? [])];
      let nextToken = first.nextToken;
      let pages = 1;
      while (nextToken) {
        const page = await backend.sfn.send(
          new GetExecutionHistoryCommand({ executionArn: drawArn, maxResults: 3, nextToken }),
        );
        expect(page.events?.length).toBeGreaterThan(0);
        expect(page.events?.length).toBeLessThanOrEqual(3);
        walked.push(...(page.events ?? []));
        nextToken = page.nextToken;
        pages++;
      }
      expect(pages).toBe(Math.ceil(history.length / 3));
      expect(walked).toEqual(history);
    });

    test('GetExecutionHistory pagination works with the SDK paginator', async () => {
      const walked: HistoryEvent[] = [];
      let pages = 0;
      for await (const page of paginateGetExecutionHistory(
        { client: backend.sfn, pageSize: 5 },
        { executionArn: drawArn },
      )) {
        walked.push(...(page.events ?? []));
        pages++;
      }
      expect(pages).toBe(Math.ceil(history.length / 5));
      expect(walked).toEqual(history);
    });

    test('GetExecutionHistory reverseOrder: newest event first, also across pages', async () => {
      const reversed = await backend.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: drawArn, reverseOrder: true }),
      );
      expect(reversed.events).toEqual([...history].reverse());

      const walked: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await backend.sfn.send(
          new GetExecutionHistoryCommand({
            executionArn: drawArn,
            reverseOrder: true,
            maxResults: 4,
            nextToken,
          }),
        );
        walked.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      expect(walked.map((event) => event.id)).toEqual(history.map((event) => event.id).reverse());
    });

    test('GetExecutionHistory includeExecutionData false leaves inputs and outputs out, names in', async () => {
      const page = await backend.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: drawArn, includeExecutionData: false }),
      );
      expect(page.events?.map(label)).toEqual(SUCCESSFUL_DRAW);
      const entered = page.events?.find((event) => event.type === 'TaskStateEntered');
      expect(entered?.stateEnteredEventDetails?.name).toBe(STATES.input);
      expect(entered?.stateEnteredEventDetails?.input).toBeUndefined();
      expect(page.events?.at(-1)?.executionSucceededEventDetails?.output).toBeUndefined();
    });

    test('GetExecutionHistory with a token that is not one → InvalidToken', async () => {
      const error = await rejectionOf(
        backend.sfn.send(
          new GetExecutionHistoryCommand({ executionArn: drawArn, nextToken: 'not a token!' }),
        ),
      );
      expect(error).toBeInstanceOf(InvalidToken);
    });
  });

  describe('a failing draw: more winners than employees', () => {
    let failed: DescribeExecutionCommandOutput;
    let events: HistoryEvent[];

    beforeAll(async () => {
      const arn = await start(backend.sfn, 'too-many', { input: 11 });
      failed = await waitForEnd(backend.sfn, arn);
      events = await fullHistory(backend.sfn, arn);
    });

    test('DescribeExecution: FAILED with error NotEnoughEligible and the Lambda error as cause', () => {
      expect(failed.status).toBe('FAILED');
      expectRecentDate(failed.stopDate, since);
      expect(failed.output).toBeUndefined();
      expect(failed.error).toBe('NotEnoughEligible');
      const cause = parseJson(failed.cause) as { errorMessage: string; errorType: string };
      expect(cause.errorType).toBe('NotEnoughEligible');
      expect(cause.errorMessage).toMatch(/asked for 11 winners/);
    });

    test('history: LambdaFunctionFailed (JSON cause, as AWS writes a Lambda error), TaskStateExited (caught), Release Winners, FailStateEntered, ExecutionFailed', async () => {
      expect(events.map(label)).toEqual([
        'ExecutionStarted',
        ...lambdaTask(STATES.input),
        ...lambdaTask(STATES.reserve),
        ...notBeacon,
        `TaskStateEntered(${STATES.select})`,
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
        `TaskStateExited(${STATES.select})`,
        ...lambdaTask(STATES.release),
        `FailStateEntered(${STATES.failed})`,
        'ExecutionFailed',
      ]);
      expect(historyProblems(events, await taskResources(backend))).toEqual([]);

      const lambdaFailed = events.find(
        (event) => event.type === 'LambdaFunctionFailed',
      )?.lambdaFunctionFailedEventDetails;
      expect(lambdaFailed?.error).toBe('NotEnoughEligible');
      const cause = parseJson(lambdaFailed?.cause) as Record<string, unknown>;
      expect(cause.errorType).toBe('NotEnoughEligible');
      expect(typeof cause.errorMessage).toBe('string');

      // The Catch (ResultPath $.error) hands the same JSON cause on, as on AWS.
      const exited = events.find(
        (event) =>
          event.type === 'TaskStateExited' && event.stateExitedEventDetails?.name === STATES.select,
      );
      const caught = parseJson(exited?.stateExitedEventDetails?.output) as {
        error: { Error: string; Cause: string };
      };
      expect(caught.error.Error).toBe('NotEnoughEligible');
      expect(parseJson(caught.error.Cause)).toEqual(cause);

      const executionFailed = events.at(-1)?.executionFailedEventDetails;
      expect(executionFailed?.error).toBe('NotEnoughEligible');
      expect(executionFailed?.cause).toBe(failed.cause);
    });
  });

  describe('errors arrive as the modelled SDK exceptions', () => {
    test('DescribeExecution / GetExecutionHistory of an execution that does not exist → ExecutionDoesNotExist', async () => {
      const described = await rejectionOf(
        backend.sfn.send(
          new DescribeExecutionCommand({ executionArn: executionArn('no-such-draw') }),
        ),
      );
      expect(described).toBeInstanceOf(ExecutionDoesNotExist);
      expect(described.name).toBe('ExecutionDoesNotExist');
      expect(described.$fault).toBe('client');
      expect(described.$metadata?.httpStatusCode).toBe(400);
      expect(described.$metadata?.attempts).toBe(1);
      expect(described.message).toContain('no-such-draw');

      const history = await rejectionOf(
        backend.sfn.send(
          new GetExecutionHistoryCommand({ executionArn: executionArn('no-such-draw') }),
        ),
      );
      expect(history).toBeInstanceOf(ExecutionDoesNotExist);
    });

    test('the same name again with a different input → ExecutionAlreadyExists', async () => {
      const arn = await start(backend.sfn, 'same-name', { input: 1 });
      const error = await rejectionOf(start(backend.sfn, 'same-name', { input: 2 }));
      expect(error).toBeInstanceOf(ExecutionAlreadyExists);
      await waitForEnd(backend.sfn, arn);
    });

    test('the same name and input after the execution finished → ExecutionAlreadyExists', async () => {
      expect(draw.status).toBe('SUCCEEDED');
      const error = await rejectionOf(start(backend.sfn, 'first-draw', { input: 2 }));
      expect(error).toBeInstanceOf(ExecutionAlreadyExists);
      // The refused start changed nothing.
      const again = await backend.sfn.send(new DescribeExecutionCommand({ executionArn: drawArn }));
      expect(again.output).toBe(draw.output);
    });

    test('StartExecution, DescribeStateMachine and ListExecutions on another state machine → StateMachineDoesNotExist', async () => {
      const started = await rejectionOf(
        backend.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: OTHER_MACHINE_ARN,
            name: 'elsewhere',
            input: '{"input":1}',
          }),
        ),
      );
      expect(started).toBeInstanceOf(StateMachineDoesNotExist);
      expect(
        await rejectionOf(
          backend.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: OTHER_MACHINE_ARN })),
        ),
      ).toBeInstanceOf(StateMachineDoesNotExist);
      expect(
        await rejectionOf(
          backend.sfn.send(new ListExecutionsCommand({ stateMachineArn: OTHER_MACHINE_ARN })),
        ),
      ).toBeInstanceOf(StateMachineDoesNotExist);
    });

    test.each(['has space', 'curly{brace}', 'colon:name', 'slash/name', 'x'.repeat(81)])(
      'StartExecution named %j → InvalidName',
      async (name) => {
        const error = await rejectionOf(
          backend.sfn.send(
            new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name, input: '{"input":1}' }),
          ),
        );
        expect(error).toBeInstanceOf(InvalidName);
      },
    );

    test('StartExecution with an input that is not JSON → InvalidExecutionInput', async () => {
      const error = await rejectionOf(
        backend.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: MACHINE_ARN,
            name: 'bad-input',
            input: '{input: 1',
          }),
        ),
      );
      expect(error).toBeInstanceOf(InvalidExecutionInput);
      expect(
        await rejectionOf(
          backend.sfn.send(
            new DescribeExecutionCommand({ executionArn: executionArn('bad-input') }),
          ),
        ),
      ).toBeInstanceOf(ExecutionDoesNotExist);
    });

    test('DescribeExecution, GetExecutionHistory and StopExecution of a garbage ARN → InvalidArn', async () => {
      for (const executionArn of [
        'not-an-arn',
        'arn:aws:states:local:000000000000:execution:Lottery:',
        'arn:aws:s3:::bucket',
      ]) {
        expect(
          await rejectionOf(backend.sfn.send(new DescribeExecutionCommand({ executionArn }))),
        ).toBeInstanceOf(InvalidArn);
        expect(
          await rejectionOf(backend.sfn.send(new GetExecutionHistoryCommand({ executionArn }))),
        ).toBeInstanceOf(InvalidArn);
        expect(
          await rejectionOf(backend.sfn.send(new StopExecutionCommand({ executionArn }))),
        ).toBeInstanceOf(InvalidArn);
      }
    });

    test('StartExecution with a state machine ARN that is not an ARN → InvalidArn (as AWS answers)', async () => {
      const error = await rejectionOf(
        backend.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: 'not-an-arn',
            name: 'garbage-machine',
            input: '{"input":1}',
          }),
        ),
      );
      expect(error).toBeInstanceOf(InvalidArn);
    });

    test('execution names that AWS accepts (dots, non-ASCII letters) are accepted and described', async () => {
      for (const name of ['xmas.2024', '抽奖-2024']) {
        const started = await backend.sfn.send(
          new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name, input: '{"input":1}' }),
        );
        const ended = await waitForEnd(backend.sfn, started.executionArn as string);
        expect(ended.name).toBe(name);
        expect(ended.status).toBe('SUCCEEDED');
      }
    });
  });
});

describe('ListExecutions', () => {
  let backend: Backend;
  let since: number;
  const names = ['list-a', 'list-b', 'list-c'];

  beforeAll(async () => {
    since = Date.now();
    backend = await openBackend();
    await seedEmployees(backend, 10);
    // One after the other, each finished before the next starts: list-b asks for too many and
    // fails.
    for (const [name, input] of [
      ['list-a', 1],
      ['list-b', 11],
      ['list-c', 1],
    ] as const) {
      await waitForEnd(backend.sfn, await start(backend.sfn, name, { input }));
      await sleep(5);
    }
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  const summary = (item: ExecutionListItem) => [item.name, item.status];

  test('newest first, with epoch-second dates', async () => {
    const listed = await backend.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN }),
    );
    expect(listed.executions?.map(summary)).toEqual([
      ['list-c', 'SUCCEEDED'],
      ['list-b', 'FAILED'],
      ['list-a', 'SUCCEEDED'],
    ]);
    expect(listed.nextToken).toBeUndefined();
    for (const item of listed.executions ?? []) {
      expect(item.executionArn).toBe(executionArn(item.name as string));
      expect(item.stateMachineArn).toBe(MACHINE_ARN);
      expectRecentDate(item.startDate, since);
      expectRecentDate(item.stopDate, since);
    }
  });

  test('statusFilter', async () => {
    const succeeded = await backend.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'SUCCEEDED' }),
    );
    expect(succeeded.executions?.map((item) => item.name)).toEqual(['list-c', 'list-a']);
    const failed = await backend.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'FAILED' }),
    );
    expect(failed.executions?.map((item) => item.name)).toEqual(['list-b']);
    const running = await backend.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'RUNNING' }),
    );
    expect(running.executions).toEqual([]);
  });

  test('maxResults pages through every execution once, by hand and with the SDK paginator', async () => {
    const first = await backend.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, maxResults: 2 }),
    );
    expect(first.executions?.map((item) => item.name)).toEqual(['list-c', 'list-b']);
    expect(typeof first.nextToken).toBe('string');
    const second = await backend.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: MACHINE_ARN,
        maxResults: 2,
        nextToken: first.nextToken,
      }),
    );
    expect(second.executions?.map((item) => item.name)).toEqual(['list-a']);
    expect(second.nextToken).toBeUndefined();

    const walked: string[] = [];
    for await (const page of paginateListExecutions(
      { client: backend.sfn, pageSize: 1 },
      { stateMachineArn: MACHINE_ARN },
    )) {
      expect(page.executions).toHaveLength(1);
      walked.push(...(page.executions ?? []).map((item) => item.name as string));
    }
    expect(walked).toEqual([...names].reverse());
  });
});

describe('an execution while it runs', () => {
  let backend: Backend;
  let since: number;
  let heldArn: string;
  const held = { input: 2 };

  // Nine of ten employees are claimed by a draw that is (supposedly) still running: Random Select
  // Winners waits for those claims for about two seconds, which holds the execution in RUNNING.
  beforeAll(async () => {
    since = Date.now();
    backend = await openBackend();
    const people = await seedEmployees(backend, 10);
    for (const person of people.slice(1)) {
      await backend.clients.doc.send(
        new PutCommand({
          TableName: TABLES.winners,
          Item: {
            ...person,
            draw_id: 'someone-else',
            prize: null,
            status: 'claimed',
            claimed_at: new Date().toISOString(),
          },
        }),
      );
    }
    heldArn = await start(backend.sfn, 'held', held);
  });

  afterAll(async () => {
    if (!backend) return;
    // Let the aborted draw's handler find its people and return before the server goes away.
    for (const person of employees(10)) {
      await backend.clients.doc.send(
        new DeleteCommand({ TableName: TABLES.winners, Key: { employee_id: person.employee_id } }),
      );
    }
    await sleep(300);
    await backend.dispose();
  });

  test('RUNNING: no stop date, no output; StartExecution with the same name and input answers the same execution', async () => {
    const described = await backend.sfn.send(
      new DescribeExecutionCommand({ executionArn: heldArn }),
    );
    expect(described.status).toBe('RUNNING');
    expectRecentDate(described.startDate, since);
    expect(described.stopDate).toBeUndefined();
    expect(described.output).toBeUndefined();

    const again = await backend.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        name: 'held',
        input: JSON.stringify(held),
      }),
    );
    expect(again.executionArn).toBe(heldArn);
    expect(again.startDate).toEqual(described.startDate);

    const running = await backend.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'RUNNING' }),
    );
    expect(running.executions?.map((item) => item.name)).toEqual(['held']);
    expect(running.executions?.[0]?.stopDate).toBeUndefined();

    const partial = await fullHistory(backend.sfn, heldArn);
    expect(partial.map(label).slice(0, 15)).toEqual([
      'ExecutionStarted',
      ...lambdaTask(STATES.input),
      ...lambdaTask(STATES.reserve),
      ...notBeacon,
      `TaskStateEntered(${STATES.select})`,
    ]);
    expect(partial.map((event) => event.id)).toEqual(partial.map((_, index) => index + 1));
  });

  test('StopExecution: ABORTED, the history ends with ExecutionAborted, and the name stays taken', async () => {
    const stopped = await backend.sfn.send(new StopExecutionCommand({ executionArn: heldArn }));
    expectRecentDate(stopped.stopDate, since);
    const ended = await waitForEnd(backend.sfn, heldArn);
    expect(ended.status).toBe('ABORTED');
    expectRecentDate(ended.stopDate, since);
    const events = await fullHistory(backend.sfn, heldArn);
    expect(events.at(-1)?.type).toBe('ExecutionAborted');
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(await rejectionOf(start(backend.sfn, 'held', held))).toBeInstanceOf(
      ExecutionAlreadyExists,
    );
  });
});
