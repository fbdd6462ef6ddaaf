import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type CloudFormationClient,
  type Parameter,
  type StackEvent as SdkStackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  isBusy,
  isNoChange,
  startsOperation,
  type ResourceChange,
  type StackEvent,
  type StackFacts,
} from '../ops/stack';

// CloudFormation calls of `lottery deploy`, `destroy` and `doctor`. Decisions are in
// src/core/stack.ts.

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;

/** CloudFormation says a missing stack with a ValidationError whose message says so. */
export function isMissingStack(error: unknown): boolean {
  return (
    field(error, 'name') === 'ValidationError' &&
    /does not exist/i.test(String(field(error, 'message')))
  );
}

/** The stack, or undefined when there is none (a deleted stack is looked up by its id only). */
export async function describeStack(
  cloudformation: CloudFormationClient,
  nameOrId: string,
  abortSignal?: AbortSignal,
): Promise<StackFacts | undefined> {
  try {
    const output = await cloudformation.send(new DescribeStacksCommand({ StackName: nameOrId }), {
      abortSignal,
    });
    const stack = output.Stacks?.[0];
    if (!stack?.StackId || !stack.StackName || !stack.StackStatus) return undefined;
    return {
      stackId: stack.StackId,
      name: stack.StackName,
      status: stack.StackStatus,
      statusReason: stack.StackStatusReason,
      description: stack.Description,
      parameters: Object.fromEntries(
        (stack.Parameters ?? []).map((parameter) => [
          parameter.ParameterKey ?? '',
          parameter.ParameterValue ?? '',
        ]),
      ),
      outputs: Object.fromEntries(
        (stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']),
      ),
    };
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

/** The template as it was submitted (before the SAM transform). */
export async function originalTemplate(
  cloudformation: CloudFormationClient,
  stackName: string,
  abortSignal?: AbortSignal,
): Promise<string> {
  const output = await cloudformation.send(
    new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }),
    { abortSignal },
  );
  return output.TemplateBody ?? '';
}

/** Physical names of the stack's resources of one type (the tables, for destroy). */
export async function stackResources(
  cloudformation: CloudFormationClient,
  stackName: string,
  type: string,
): Promise<{ logicalId: string; physicalId: string }[]> {
  const output = await cloudformation.send(
    new DescribeStackResourcesCommand({ StackName: stackName }),
  );
  return (output.StackResources ?? [])
    .filter((resource) => resource.ResourceType === type && resource.PhysicalResourceId)
    .map((resource) => ({
      logicalId: resource.LogicalResourceId ?? '',
      physicalId: resource.PhysicalResourceId as string,
    }));
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

export interface ChangeSetRequest {
  stackName: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  templateBody: string;
  parameters: Parameter[];
  description: string;
}

export type ChangeSetResult =
  | { kind: 'ready'; id: string; stackId: string; changes: ResourceChange[] }
  | { kind: 'no-change'; id?: string; stackId?: string }
  | { kind: 'failed'; id: string; stackId: string; reason: string };

/** Creates a change set and waits until CloudFormation has worked out its changes. */
export async function createChangeSet(
  cloudformation: CloudFormationClient,
  request: ChangeSetRequest,
  signal: AbortSignal,
  pollMs: number,
): Promise<ChangeSetResult> {
  let created;
  try {
    created = await cloudformation.send(
      new CreateChangeSetCommand({
        StackName: request.stackName,
        ChangeSetName: request.changeSetName,
        ChangeSetType: request.type,
        TemplateBody: request.templateBody,
        Parameters: request.parameters,
        // The template makes IAM roles (without names) and needs the SAM transform expanded.
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
        Description: request.description,
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    if (field(error, 'name') === 'ValidationError' && isNoChange(String(field(error, 'message'))))
      return { kind: 'no-change' };
    throw error;
  }
  const id = created.Id as string;
  const stackId = created.StackId as string;
  for (let wait = 200; ; wait = Math.min(wait * 2, pollMs)) {
    const changes: ResourceChange[] = [];
    let status: string | undefined;
    let reason: string | undefined;
    let nextToken: string | undefined;
    do {
      const page = await cloudformation.send(
        new DescribeChangeSetCommand({
          ChangeSetName: id,
          StackName: stackId,
          NextToken: nextToken,
        }),
        { abortSignal: signal },
      );
      status = page.Status;
      reason = page.StatusReason;
      for (const change of page.Changes ?? []) {
        const resource = change.ResourceChange;
        if (!resource?.LogicalResourceId) continue;
        changes.push({
          action: resource.Action ?? '?',
          logicalId: resource.LogicalResourceId,
          resourceType: resource.ResourceType ?? '?',
          ...(resource.PhysicalResourceId ? { physicalId: resource.PhysicalResourceId } : {}),
          ...(resource.Replacement ? { replacement: resource.Replacement } : {}),
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    if (status === 'CREATE_COMPLETE') return { kind: 'ready', id, stackId, changes };
    if (status === 'FAILED')
      return isNoChange(reason)
        ? { kind: 'no-change', id, stackId }
        : { kind: 'failed', id, stackId, reason: reason ?? 'no reason given' };
    await sleep(wait, signal);
    if (signal.aborted) throw Object.assign(new Error('interrupted'), { name: 'AbortError' });
  }
}

export async function deleteChangeSet(
  cloudformation: CloudFormationClient,
  id: string,
  stackId: string,
): Promise<void> {
  await cloudformation.send(new DeleteChangeSetCommand({ ChangeSetName: id, StackName: stackId }));
}

export async function executeChangeSet(
  cloudformation: CloudFormationClient,
  id: string,
  stackId: string,
  token: string,
): Promise<void> {
  await cloudformation.send(
    new ExecuteChangeSetCommand({
      ChangeSetName: id,
      StackName: stackId,
      ClientRequestToken: token,
    }),
  );
}

export async function deleteStack(
  cloudformation: CloudFormationClient,
  stackId: string,
  token: string,
): Promise<void> {
  await cloudformation.send(
    new DeleteStackCommand({ StackName: stackId, ClientRequestToken: token }),
  );
}

function toEvent(event: SdkStackEvent): StackEvent {
  return {
    id: event.EventId ?? '',
    logicalId: event.LogicalResourceId ?? '',
    resourceType: event.ResourceType ?? '',
    status: event.ResourceStatus ?? '',
    ...(event.ResourceStatusReason ? { reason: event.ResourceStatusReason } : {}),
    ...(event.PhysicalResourceId ? { physicalId: event.PhysicalResourceId } : {}),
    timestamp: event.Timestamp ?? new Date(0),
  };
}

/**
 * Events newer than `seen` (ids already shown), oldest first. DescribeStackEvents pages newest
 * first.
 */
async function newEvents(
  cloudformation: CloudFormationClient,
  stackId: string,
  seen: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudformation.send(
      new DescribeStackEventsCommand({ StackName: stackId, NextToken: nextToken }),
      { abortSignal: signal },
    );
    const events = page.StackEvents ?? [];
    const unseen = events.filter((event) => !seen.has(event.EventId ?? ''));
    fresh.push(...unseen.map(toEvent));
    // Once a page holds an event already seen, the older pages hold nothing new.
    nextToken = unseen.length === events.length ? page.NextToken : undefined;
  } while (nextToken);
  return fresh.reverse();
}

/** The ids of the events a stack has now: the ones that are not news when an operation starts. */
export async function eventIds(
  cloudformation: CloudFormationClient,
  stackId: string,
  signal: AbortSignal,
): Promise<Set<string>> {
  return new Set(
    (await newEvents(cloudformation, stackId, new Set(), signal)).map((event) => event.id),
  );
}

/**
 * Follows a stack operation: hands each new event to `onEvents` as it appears, until the stack's
 * status is no longer in progress, and returns the stack as it ended.
 */
export async function followStack(
  cloudformation: CloudFormationClient,
  request: { stackId: string; seen: Set<string>; signal: AbortSignal; pollMs: number },
  onEvents: (events: StackEvent[]) => Promise<void>,
): Promise<StackFacts> {
  const { stackId, seen, signal } = request;
  let started = false;
  for (let wait = 250; ; wait = Math.min(wait * 2, request.pollMs)) {
    const stack = await describeStack(cloudformation, stackId, signal);
    const events = await newEvents(cloudformation, stackId, seen, signal);
    for (const event of events) seen.add(event.id);
    started ||= events.some(startsOperation);
    if (events.length > 0) {
      await onEvents(events);
      wait = 250;
    }
    if (!stack) throw new Error(`stack ${stackId} is gone`);
    // The status was read before the events, so once it is final every event of the end is in.
    // Until the stack's own start event shows, the status may still be the previous operation's.
    if (started && !isBusy(stack.status)) return stack;
    await sleep(wait, signal);
    if (signal.aborted) throw Object.assign(new Error('interrupted'), { name: 'AbortError' });
  }
}
