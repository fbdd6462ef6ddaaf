import { describe, expect, it } from 'vitest';
import {
  eventKind,
  failureReasons,
  inProgress,
  isLotteryStack,
  isNoChange,
  orderChanges,
  planDeploy,
  startsOperation,
  succeeded,
  summarizeChanges,
  type StackEvent,
  type StackFacts,
} from '../../src/ops/stack';

const stack = (status: string, extra: Partial<StackFacts> = {}): StackFacts => ({
  stackId: 'id',
  name: 'lottery',
  status,
  parameters: {},
  outputs: {},
  ...extra,
});

let clock = 0;
const event = (
  logicalId: string,
  status: string,
  reason?: string,
  resourceType = logicalId === 'lottery' ? 'AWS::CloudFormation::Stack' : 'AWS::DynamoDB::Table',
): StackEvent => ({
  id: `e${++clock}`,
  logicalId,
  resourceType,
  status,
  ...(reason ? { reason } : {}),
  timestamp: new Date(clock * 1000),
});

describe('planDeploy', () => {
  it.each([
    ['no stack', undefined, 'create'],
    ['a stack deleted earlier (found by its id)', stack('DELETE_COMPLETE'), 'create'],
    ['a stack that only ever had change sets', stack('REVIEW_IN_PROGRESS'), 'create-reviewed'],
    ['a stack at rest', stack('CREATE_COMPLETE'), 'update'],
    ['a stack whose last update was rolled back', stack('UPDATE_ROLLBACK_COMPLETE'), 'update'],
    ['a stack whose creation failed', stack('ROLLBACK_COMPLETE'), 'recreate'],
    ['a stack being updated', stack('UPDATE_IN_PROGRESS'), 'refuse'],
    ['a stack cleaning up after an update', stack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'), 'refuse'],
    ['a stack stuck in a failed rollback', stack('UPDATE_ROLLBACK_FAILED'), 'refuse'],
    ['a stack that failed to delete', stack('DELETE_FAILED'), 'refuse'],
  ] as const)('%s → %s', (_, facts, kind) => {
    expect(planDeploy(facts).kind).toBe(kind);
  });

  it('says why it refuses and what to do', () => {
    expect(planDeploy(stack('UPDATE_IN_PROGRESS'))).toEqual({
      kind: 'refuse',
      why: 'stack lottery is busy: UPDATE_IN_PROGRESS',
      hint: 'wait until it is done (`lottery doctor` shows its status), then deploy again',
    });
    const stuck = planDeploy(
      stack('UPDATE_ROLLBACK_FAILED', { statusReason: 'WinnersTable could not be rolled back' }),
    );
    expect(stuck).toMatchObject({
      why: 'stack lottery is UPDATE_ROLLBACK_FAILED: WinnersTable could not be rolled back',
    });
    expect(stuck.kind === 'refuse' && stuck.hint).toContain('continue-update-rollback');
  });
});

describe('succeeded', () => {
  it('is the one final status each operation aims at', () => {
    expect(succeeded('create', 'CREATE_COMPLETE')).toBe(true);
    expect(succeeded('create', 'ROLLBACK_COMPLETE')).toBe(false);
    expect(succeeded('update', 'UPDATE_COMPLETE')).toBe(true);
    expect(succeeded('update', 'UPDATE_ROLLBACK_COMPLETE')).toBe(false);
    expect(succeeded('delete', 'DELETE_COMPLETE')).toBe(true);
    expect(succeeded('delete', 'DELETE_FAILED')).toBe(false);
  });
});

describe('failureReasons', () => {
  it('gives the root causes, not the resources cancelled because of them, nor the stack’s summary', () => {
    const events = [
      event('lottery', 'CREATE_IN_PROGRESS', 'User Initiated'),
      event(
        'WinnersTable',
        'CREATE_FAILED',
        'Resource of type AWS::DynamoDB::Table with identifier Lottery-Winners already exists.',
      ),
      event('EmployeeTable', 'CREATE_FAILED', 'Resource creation cancelled'),
      event(
        'lottery',
        'ROLLBACK_IN_PROGRESS',
        'The following resource(s) failed to create: [WinnersTable, EmployeeTable]. Rollback requested by user.',
      ),
      event('EmployeeTable', 'DELETE_COMPLETE'),
      event('lottery', 'ROLLBACK_COMPLETE'),
    ];
    expect(failureReasons(events, stack('ROLLBACK_COMPLETE'))).toEqual([
      {
        logicalId: 'WinnersTable',
        reason:
          'Resource of type AWS::DynamoDB::Table with identifier Lottery-Winners already exists.',
      },
    ]);
  });

  it('falls back on cancellations, then on the stack’s own reason', () => {
    expect(
      failureReasons([event('EmployeeTable', 'UPDATE_FAILED', 'Resource update cancelled')]),
    ).toEqual([{ logicalId: 'EmployeeTable', reason: 'Resource update cancelled' }]);
    expect(
      failureReasons([], stack('UPDATE_ROLLBACK_COMPLETE', { statusReason: 'Stack timed out' })),
    ).toEqual([{ logicalId: '', reason: 'Stack timed out' }]);
  });
});

describe('events', () => {
  it('are shown as a start, an end, a failure, a resource kept, or the stack rolling back', () => {
    expect(eventKind(event('EmployeeTable', 'CREATE_IN_PROGRESS'))).toBe('started');
    expect(eventKind(event('EmployeeTable', 'CREATE_COMPLETE'))).toBe('done');
    expect(eventKind(event('EmployeeTable', 'UPDATE_FAILED', 'x'))).toBe('failed');
    expect(eventKind(event('EmployeeTable', 'DELETE_SKIPPED'))).toBe('kept');
    expect(eventKind(event('lottery', 'UPDATE_ROLLBACK_IN_PROGRESS'))).toBe('rollback');
    expect(eventKind(event('lottery', 'ROLLBACK_COMPLETE'))).toBe('rollback');
    expect(eventKind(event('lottery', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'))).toBe('started');
  });

  it('tell which resources are in progress, in the order they started', () => {
    const events = [
      event('lottery', 'CREATE_IN_PROGRESS'),
      event('EmployeeTable', 'CREATE_IN_PROGRESS'),
      event('WinnersTable', 'CREATE_IN_PROGRESS'),
      event('EmployeeTable', 'CREATE_COMPLETE'),
      event('Topic', 'CREATE_IN_PROGRESS'),
    ];
    expect(inProgress(events)).toEqual(['WinnersTable', 'Topic']);
  });

  it('mark the start of an operation by the stack’s own in-progress event, not by a resource’s nor by a stack at rest', () => {
    expect(startsOperation(event('lottery', 'UPDATE_IN_PROGRESS'))).toBe(true);
    expect(startsOperation(event('lottery', 'DELETE_IN_PROGRESS'))).toBe(true);
    expect(startsOperation(event('lottery', 'UPDATE_COMPLETE'))).toBe(false);
    expect(startsOperation(event('lottery', 'REVIEW_IN_PROGRESS'))).toBe(false);
    expect(startsOperation(event('EmployeeTable', 'UPDATE_IN_PROGRESS'))).toBe(false);
  });
});

describe('change sets', () => {
  it('recognise both of AWS’s ways of saying there is nothing to do', () => {
    expect(
      isNoChange(
        "The submitted information didn't contain changes. Submit different information to create a change set.",
      ),
    ).toBe(true);
    expect(isNoChange('No updates are to be performed.')).toBe(true);
    expect(
      isNoChange(
        'Template format error: Unresolved resource dependencies [Foo] in the Resources block of the template',
      ),
    ).toBe(false);
    expect(isNoChange(undefined)).toBe(false);
  });

  it('count the changes and single out tables replaced or removed', () => {
    const changes = [
      { action: 'Remove', logicalId: 'OldTable', resourceType: 'AWS::DynamoDB::Table' },
      {
        action: 'Modify',
        logicalId: 'WinnersTable',
        resourceType: 'AWS::DynamoDB::Table',
        replacement: 'True',
      },
      {
        action: 'Modify',
        logicalId: 'EmployeeTable',
        resourceType: 'AWS::DynamoDB::Table',
        replacement: 'False',
      },
      { action: 'Add', logicalId: 'Topic', resourceType: 'AWS::SNS::Topic' },
      {
        action: 'Modify',
        logicalId: 'Function',
        resourceType: 'AWS::Lambda::Function',
        replacement: 'True',
      },
    ];
    const summary = summarizeChanges(changes);
    expect(summary).toMatchObject({ add: 1, modify: 3, remove: 1 });
    expect(summary.dataAtRisk.map((change) => change.logicalId)).toEqual([
      'OldTable',
      'WinnersTable',
    ]);
    expect(orderChanges(changes).map((change) => `${change.action} ${change.logicalId}`)).toEqual([
      'Add Topic',
      'Modify EmployeeTable',
      'Modify Function',
      'Modify WinnersTable',
      'Remove OldTable',
    ]);
  });
});

describe('stacks at their edges', () => {
  it('refuses a failed stack with its reason, and says how to get out of it', () => {
    expect(
      planDeploy(stack('UPDATE_ROLLBACK_FAILED', { statusReason: 'a resource is stuck' })),
    ).toEqual({
      kind: 'refuse',
      why: 'stack lottery is UPDATE_ROLLBACK_FAILED: a resource is stuck',
      hint: 'continue the rollback first (CloudFormation console: "Continue update rollback", or aws cloudformation continue-update-rollback), then deploy again',
    });
    expect(planDeploy(stack('DELETE_FAILED'))).toEqual({
      kind: 'refuse',
      why: 'stack lottery is DELETE_FAILED',
      hint: 'see the stack in the CloudFormation console; `lottery destroy` deletes it',
    });
  });

  it('gives the reasons of failed resources only: a resource that failed without one, or did not fail, says nothing', () => {
    expect(
      failureReasons([
        event('Table', 'CREATE_FAILED'),
        event('Topic', 'CREATE_COMPLETE', 'fine', 'AWS::SNS::Topic'),
        event('Queue', 'CREATE_FAILED', 'quota', 'AWS::SQS::Queue'),
      ]),
    ).toEqual([{ logicalId: 'Queue', reason: 'quota' }]);
  });

  it('leaves out cancellations when a real cause is there, keeps them when not; only a cancellation at the start counts as one', () => {
    // The stack's own failure comes from its status reason instead.
    expect(failureReasons([event('lottery', 'UPDATE_FAILED', 'the role is missing')])).toEqual([]);
    expect(
      failureReasons([
        event('Table', 'CREATE_FAILED', 'Resource creation cancelled'),
        event('Queue', 'CREATE_FAILED', 'quota', 'AWS::SQS::Queue'),
      ]),
    ).toEqual([{ logicalId: 'Queue', reason: 'quota' }]);
    expect(
      failureReasons([event('Table', 'CREATE_FAILED', 'Resource creation cancelled')]),
    ).toEqual([{ logicalId: 'Table', reason: 'Resource creation cancelled' }]);
    expect(
      failureReasons([
        event('Table', 'CREATE_FAILED', 'Resource creation cancelled'),
        event(
          'Bucket',
          'CREATE_FAILED',
          'Bucket: Resource creation cancelled by the user',
          'AWS::S3::Bucket',
        ),
      ]),
    ).toEqual([{ logicalId: 'Bucket', reason: 'Bucket: Resource creation cancelled by the user' }]);
  });

  it('keeps the stack’s own cancellation when nothing but cancellations is there', () => {
    expect(
      failureReasons(
        [
          event('Table', 'CREATE_FAILED', 'Resource creation cancelled'),
          event('lottery', 'CREATE_FAILED', 'Resource creation cancelled'),
        ],
        { status: 'ROLLBACK_COMPLETE', statusReason: 'quota exceeded' },
      ),
    ).toEqual([
      { logicalId: 'Table', reason: 'Resource creation cancelled' },
      { logicalId: 'lottery', reason: 'Resource creation cancelled' },
    ]);
  });

  it.each<[string | undefined, boolean]>([
    ['lottery: prize draws on AWS Serverless.', true],
    ['The website, not lottery: prize draws', false],
    [undefined, false],
  ])('knows a stack deploy made by its description: %s', (description, ours) => {
    expect(isLotteryStack(description === undefined ? {} : { description })).toBe(ours);
  });

  it("falls back on the stack's status reason when no event gives one", () => {
    expect(
      failureReasons([], { status: 'ROLLBACK_COMPLETE', statusReason: 'quota exceeded' }),
    ).toEqual([{ logicalId: '', reason: 'quota exceeded' }]);
    expect(
      failureReasons([event('Table', 'CREATE_FAILED', 'no capacity')], {
        status: 'ROLLBACK_COMPLETE',
        statusReason: 'quota exceeded',
      }),
    ).toEqual([{ logicalId: 'Table', reason: 'no capacity' }]);
    expect(failureReasons([])).toEqual([]);
  });

  it('calls a rollback of a resource a failure or a step, and only the stack rolling back a rollback', () => {
    expect(eventKind(event('Table', 'UPDATE_ROLLBACK_IN_PROGRESS'))).toBe('started');
    expect(eventKind(event('Table', 'UPDATE_ROLLBACK_COMPLETE'))).toBe('done');
    expect(eventKind(event('lottery', 'UPDATE_ROLLBACK_IN_PROGRESS'))).toBe('rollback');
    expect(eventKind(event('lottery', 'UPDATE_IN_PROGRESS'))).toBe('started');
  });

  it('knows a change set without changes, whatever the case, and nothing else', () => {
    expect(
      isNoChange(
        "The submitted information didn't contain changes. Submit different information to create a change set.",
      ),
    ).toBe(true);
    expect(isNoChange('no updates are to be performed.')).toBe(true);
    expect(isNoChange(undefined)).toBe(false);
    expect(isNoChange('Template format error')).toBe(false);
  });

  it('counts as data at risk only a table removed or replaced', () => {
    const table = (action: string, replacement?: string) => ({
      logicalId: `T-${action}-${replacement ?? 'none'}`,
      resourceType: 'AWS::DynamoDB::Table',
      action,
      ...(replacement ? { replacement } : {}),
    });
    const changes = [
      table('Remove'),
      table('Modify', 'True'),
      table('Modify', 'Conditional'),
      table('Modify', 'False'),
      table('Modify'),
      table('Add'),
      { logicalId: 'Topic', resourceType: 'AWS::SNS::Topic', action: 'Remove' },
    ];
    expect(summarizeChanges(changes).dataAtRisk.map((change) => change.logicalId)).toEqual([
      'T-Remove-none',
      'T-Modify-True',
      'T-Modify-Conditional',
    ]);
  });

  it('orders an action it does not know after the others', () => {
    const change = (logicalId: string, action: string) => ({
      logicalId,
      resourceType: 'AWS::SNS::Topic',
      action,
    });
    expect(
      orderChanges([change('a', 'Dynamic'), change('b', 'Remove'), change('c', 'Add')]).map(
        (each) => each.logicalId,
      ),
    ).toEqual(['c', 'b', 'a']);
  });
});
