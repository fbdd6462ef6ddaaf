// A CloudFormation stack as `lottery deploy`, `destroy` and `doctor` see it: what its status means,
// what a change set would do, and how to tell the story of its events. Nothing here does I/O:
// src/aws/stack.ts asks CloudFormation, src/cli renders.

export type StackOperation = 'create' | 'update' | 'delete';

/** One event of DescribeStackEvents, reduced to what is shown. */
export interface StackEvent {
  id: string;
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
  physicalId?: string;
  timestamp: Date;
}

export interface StackFacts {
  stackId: string;
  name: string;
  status: string;
  statusReason?: string;
  description?: string;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
}

/** infra/template.yaml's Description starts so: how destroy knows a stack is the lottery's. */
export const isLotteryStack = (stack: Pick<StackFacts, 'description'>) =>
  /^lottery:/.test(stack.description ?? '');

/** REVIEW_IN_PROGRESS is a stack that only has change sets: nothing runs. */
export const isBusy = (status: string) =>
  status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

const SUCCESS: Record<StackOperation, string> = {
  create: 'CREATE_COMPLETE',
  update: 'UPDATE_COMPLETE',
  delete: 'DELETE_COMPLETE',
};

export function succeeded(operation: StackOperation, status: string): boolean {
  return status === SUCCESS[operation];
}

/** What deploy does with a stack in this state (undefined: there is no stack). */
export type DeployPlan =
  | { kind: 'create' }
  /** A stack that only ever had change sets: a CREATE change set applies to it. */
  | { kind: 'create-reviewed' }
  | { kind: 'update' }
  /** Its first creation failed and was rolled back: CloudFormation can only delete it. */
  | { kind: 'recreate' }
  | { kind: 'refuse'; why: string; hint: string };

export function planDeploy(stack: StackFacts | undefined): DeployPlan {
  if (!stack || stack.status === 'DELETE_COMPLETE') return { kind: 'create' };
  const { status, name } = stack;
  if (status === 'REVIEW_IN_PROGRESS') return { kind: 'create-reviewed' };
  if (isBusy(status)) {
    return {
      kind: 'refuse',
      why: `stack ${name} is busy: ${status}`,
      hint: 'wait until it is done (`lottery doctor` shows its status), then deploy again',
    };
  }
  if (status === 'ROLLBACK_COMPLETE') return { kind: 'recreate' };
  if (status.endsWith('_FAILED')) {
    return {
      kind: 'refuse',
      why: `stack ${name} is ${status}${stack.statusReason ? `: ${stack.statusReason}` : ''}`,
      hint:
        status === 'UPDATE_ROLLBACK_FAILED'
          ? 'continue the rollback first (CloudFormation console: "Continue update rollback", or aws cloudformation continue-update-rollback), then deploy again'
          : 'see the stack in the CloudFormation console; `lottery destroy` deletes it',
    };
  }
  return { kind: 'update' };
}

/**
 * The reasons a failed operation gives, root causes first. A resource that failed because another
 * one did says "Resource creation cancelled" (or update): those are left out when a real one is
 * there.
 */
export function failureReasons(
  events: readonly StackEvent[],
  stack?: Pick<StackFacts, 'status' | 'statusReason'>,
): { logicalId: string; reason: string }[] {
  const failed = events.filter((event) => event.status.endsWith('_FAILED') && event.reason);
  const causes = failed.filter(
    (event) => !/^Resource (creation|update|deletion) cancelled/i.test(event.reason ?? ''),
  );
  const chosen = (causes.length > 0 ? causes : failed).filter(
    (event) => event.resourceType !== 'AWS::CloudFormation::Stack' || causes.length === 0,
  );
  const reasons = chosen.map((event) => ({
    logicalId: event.logicalId,
    reason: event.reason as string,
  }));
  if (reasons.length === 0 && stack?.statusReason)
    return [{ logicalId: '', reason: stack.statusReason }];
  return reasons;
}

/**
 * The stack's own event that opens an operation (CREATE_IN_PROGRESS, UPDATE_IN_PROGRESS,
 * DELETE_IN_PROGRESS…).
 */
export function startsOperation(event: StackEvent): boolean {
  return event.resourceType === 'AWS::CloudFormation::Stack' && isBusy(event.status);
}

/** How an event is shown: a resource starts, ends, fails, is kept, or the stack rolls back. */
export type EventKind = 'started' | 'done' | 'failed' | 'kept' | 'rollback';

export function eventKind(event: StackEvent): EventKind {
  const { status } = event;
  if (status.endsWith('_FAILED')) return 'failed';
  if (status === 'DELETE_SKIPPED') return 'kept';
  if (event.resourceType === 'AWS::CloudFormation::Stack' && status.includes('ROLLBACK'))
    return 'rollback';
  if (status.endsWith('_IN_PROGRESS')) return 'started';
  return 'done';
}

/**
 * Resources that have started and not yet ended, in the order they started: what a spinner names.
 */
export function inProgress(events: readonly StackEvent[]): string[] {
  const running = new Map<string, StackEvent>();
  for (const event of events) {
    if (event.resourceType === 'AWS::CloudFormation::Stack') continue;
    if (eventKind(event) === 'started') running.set(event.logicalId, event);
    else running.delete(event.logicalId);
  }
  return [...running.keys()];
}

// ---------------------------------------------------------------- change sets

export interface ResourceChange {
  action: string;
  logicalId: string;
  resourceType: string;
  physicalId?: string;
  /** True, False or Conditional (CloudFormation's words); absent for additions and removals. */
  replacement?: string;
}

/** CloudFormation's words for "nothing to do", by CreateChangeSet and by a FAILED change set. */
export function isNoChange(reason: string | undefined): boolean {
  return /didn't contain changes|No updates are to be performed/i.test(reason ?? '');
}

export interface ChangeSummary {
  add: number;
  modify: number;
  remove: number;
  /** Changes that replace or remove a resource that holds data. */
  dataAtRisk: ResourceChange[];
}

const DATA_TYPES = new Set(['AWS::DynamoDB::Table']);

export function summarizeChanges(changes: readonly ResourceChange[]): ChangeSummary {
  const count = (action: string) => changes.filter((change) => change.action === action).length;
  return {
    add: count('Add'),
    modify: count('Modify'),
    remove: count('Remove'),
    dataAtRisk: changes.filter(
      (change) =>
        DATA_TYPES.has(change.resourceType) &&
        (change.action === 'Remove' ||
          (change.action === 'Modify' &&
            change.replacement !== undefined &&
            change.replacement !== 'False')),
    ),
  };
}

/** Changes in the order they read best: additions, modifications, removals, each by logical id. */
export function orderChanges(changes: readonly ResourceChange[]): ResourceChange[] {
  const rank = (action: string) => ['Add', 'Modify', 'Remove'].indexOf(action) + 1 || 4;
  return [...changes].sort(
    (a, b) => rank(a.action) - rank(b.action) || a.logicalId.localeCompare(b.logicalId),
  );
}
