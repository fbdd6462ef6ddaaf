import { describe, expect, it } from 'vitest';
import {
  allStates,
  definitionVariables,
  lotteryDefinition,
  substitute,
  taskStates,
} from '../../src/core/definition';
import { DEFINITION_VARIABLES, STATES } from '../../src/core/names';
import { PERMANENT_ERRORS } from '../../src/lambdas/errors';

const VALUES: Record<string, string> = {
  InputWinnersFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-InputWinners',
  ReservePrizeFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-ReservePrize',
  RandomSelectWinnersFunctionArn:
    'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-RandomSelectWinners',
  ValidateWinnersFunctionArn:
    'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-ValidateWinners',
  RecordWinnersFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-RecordWinners',
  ReleaseWinnersFunctionArn:
    'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-ReleaseWinners',
  CommitDrawFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-CommitDraw',
  FetchBeaconRoundFunctionArn:
    'arn:aws:lambda:eu-west-1:123456789012:function:Lottery-FetchBeaconRound',
  NotificationTopicArn: 'arn:aws:sns:eu-west-1:123456789012:Lottery-Notification',
  Partition: 'aws',
};

describe('definitionVariables', () => {
  it('lists the placeholders of the ASL file, sorted, once each', () => {
    expect(definitionVariables()).toEqual([
      'CommitDrawFunctionArn',
      'FetchBeaconRoundFunctionArn',
      'InputWinnersFunctionArn',
      'NotificationTopicArn',
      'Partition',
      'RandomSelectWinnersFunctionArn',
      'RecordWinnersFunctionArn',
      'ReleaseWinnersFunctionArn',
      'ReservePrizeFunctionArn',
      'ValidateWinnersFunctionArn',
    ]);
  });

  it('matches the variables CloudFormation is told to fill', () => {
    expect(definitionVariables()).toEqual([...DEFINITION_VARIABLES].sort());
  });

  it.each<[unknown, string[]]>([
    [{ a: '${B}', b: ['${A}', 'x ${B} ${C_1}'] }, ['A', 'B', 'C_1']],
    [{ a: 'no placeholders', b: '${...}', c: '$B', d: '{B}' }, []],
  ])('finds the placeholders of %j', (asl, expected) => {
    expect(definitionVariables(asl)).toEqual(expected);
  });
});

describe('substitute', () => {
  it('fills every placeholder of the real definition', () => {
    const filled = substitute(lotteryDefinition(), VALUES);
    expect(definitionVariables(filled)).toEqual([]);
    const tasks = Object.fromEntries(taskStates(filled).map((task) => [task.name, task.resource]));
    expect(tasks[STATES.input]).toBe(VALUES.InputWinnersFunctionArn);
    expect(tasks[STATES.record]).toBe(VALUES.RecordWinnersFunctionArn);
    expect(tasks[STATES.notify]).toBe('arn:aws:states:::sns:publish');
    expect(JSON.stringify(filled)).toContain(
      '"TopicArn":"arn:aws:sns:eu-west-1:123456789012:Lottery-Notification"',
    );
  });

  it('leaves the definition it was given unchanged', () => {
    const before = JSON.stringify(lotteryDefinition());
    substitute(lotteryDefinition(), VALUES);
    expect(JSON.stringify(lotteryDefinition())).toBe(before);
  });

  it('keeps values with quotes and backslashes intact', () => {
    expect(substitute({ a: 'x ${V} y', b: ['${V}'] }, { V: 'say "hi" \\ ok\n' })).toEqual({
      a: 'x say "hi" \\ ok\n y',
      b: ['say "hi" \\ ok\n'],
    });
  });

  it('throws, naming the placeholder, when a value is missing', () => {
    const { Partition: _partition, ...withoutPartition } = VALUES;
    expect(() => substitute(lotteryDefinition(), withoutPartition)).toThrow(
      'no value for ${Partition} in the state machine definition',
    );
  });
});

describe('allStates and taskStates', () => {
  const definition = lotteryDefinition();

  it('lists every state, including those inside the Parallel branch', () => {
    const names = allStates(definition).map(([name]) => name);
    expect([...names].sort()).toEqual(Object.values(STATES).sort());
    expect(names).toEqual(
      expect.arrayContaining([STATES.record, STATES.notify, STATES.announcementFailed]),
    );
  });

  it('puts the branch states right after their Parallel', () => {
    const names = allStates(definition).map(([name]) => name);
    const parallel = names.indexOf(STATES.sendAndRecord);
    expect(names.slice(parallel, parallel + 4)).toEqual([
      STATES.sendAndRecord,
      STATES.record,
      STATES.notify,
      STATES.announcementFailed,
    ]);
  });

  it('lists the Task states with their resources, including the branch tasks', () => {
    expect(taskStates(definition)).toEqual([
      { name: STATES.input, resource: '${InputWinnersFunctionArn}' },
      { name: STATES.reserve, resource: '${ReservePrizeFunctionArn}' },
      { name: STATES.commit, resource: '${CommitDrawFunctionArn}' },
      { name: STATES.fetchRound, resource: '${FetchBeaconRoundFunctionArn}' },
      { name: STATES.select, resource: '${RandomSelectWinnersFunctionArn}' },
      { name: STATES.validate, resource: '${ValidateWinnersFunctionArn}' },
      { name: STATES.record, resource: '${RecordWinnersFunctionArn}' },
      { name: STATES.notify, resource: 'arn:${Partition}:states:::sns:publish' },
      { name: STATES.release, resource: '${ReleaseWinnersFunctionArn}' },
    ]);
  });

  it('walks nested Parallel states', () => {
    const asl: Parameters<typeof allStates>[0] = {
      States: {
        Outer: {
          Type: 'Parallel',
          Branches: [
            {
              States: {
                Inner: {
                  Type: 'Parallel',
                  Branches: [{ States: { Deep: { Type: 'Task', Resource: 'r' } } }],
                },
              },
            },
            { States: { Side: { Type: 'Pass' } } },
          ],
        },
      },
    };
    expect(allStates(asl).map(([name]) => name)).toEqual(['Outer', 'Inner', 'Deep', 'Side']);
    expect(taskStates(asl)).toEqual([{ name: 'Deep', resource: 'r' }]);
  });
});

describe('the Retry policies and the workflow errors', () => {
  type Retrier = { ErrorEquals: string[]; MaxAttempts?: number };
  const retriers = allStates(lotteryDefinition()).flatMap(([name, state]) =>
    ((state.Retry ?? []) as Retrier[]).map((retrier) => ({ name, retrier })),
  );

  it('never retry an error that means the draw cannot succeed', () => {
    const neverRetried = new Set(
      retriers
        .filter(({ retrier }) => retrier.MaxAttempts === 0)
        .flatMap(({ retrier }) => retrier.ErrorEquals),
    );
    expect([...neverRetried].sort()).toEqual([...PERMANENT_ERRORS].sort());
  });

  it('put the never-retried errors first, before a catch-all retrier could match them', () => {
    for (const [name, state] of allStates(lotteryDefinition())) {
      const list = (state.Retry ?? []) as Retrier[];
      const firstCatchAll = list.findIndex((retrier) => retrier.ErrorEquals.includes('States.ALL'));
      const lastPermanent = list.findLastIndex((retrier) => retrier.MaxAttempts === 0);
      if (firstCatchAll >= 0 && lastPermanent >= 0)
        expect(lastPermanent, name).toBeLessThan(firstCatchAll);
    }
  });
});
