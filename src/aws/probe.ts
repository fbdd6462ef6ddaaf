import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { GetTopicAttributesCommand, ListTopicsCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Target } from '../core/config';
import {
  resourcePrefix,
  topicArnFor,
  type Call,
  type Service,
  type StackState,
  type StateMachineFacts,
  type TableFacts,
  type TargetProbe,
  type TopicFacts,
} from '../ops/doctor';
import { describeDifferences } from '../ops/deploy';
import { describeFailure, type CallError } from '../core/failures';
import { STATE_MACHINE_NAME, TOPIC_NAME } from '../core/names';
import { compareTemplates, parseTemplate, type Template } from '../ops/template';
import {
  createClients,
  createCloudFormationClient,
  createSnsClient,
  type ClientTarget,
} from './clients';
import { describeStack, originalTemplate } from './stack';

// The I/O half of `lottery doctor`: asks the target about each part of the backend and records
// what came back, failures included, for src/core/doctor.ts to judge. Nothing here throws on an
// answer it does not like: a wrong answer is a finding, not a crash.

/**
 * Long enough for a cold TLS handshake to AWS; short enough that a silent endpoint is not a hang.
 */
export const PROBE_TIMEOUT_MS = 5000;
/** One retry rides out a dropped connection; the CLI's usual six would only delay the verdict. */
const PROBE_ATTEMPTS = 2;

export interface ProbeRequest {
  target: Target;
  client: ClientTarget;
  tables: { employees: string; winners: string; draws: string };
  stateMachineArn?: string;
  /** Where the configured ARN comes from, for the findings' wording. */
  stateMachineOrigin?: string;
  /** The topic's ARN when it is known without asking (the embedded backend's). */
  topicArn?: string;
  /**
   * The stack to check (AWS only), and the template the package would deploy to compare it with.
   */
  stack?: {
    name: string;
    bundled?: { template: Template; functions: Readonly<Record<string, string>> };
  };
  timeoutMs?: number;
  /** Ctrl-C: stops the probes that are still waiting. */
  signal?: AbortSignal;
}

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * An answer that parsed but lacks what the operation always returns: the endpoint is not that
 * service.
 */
function unexpected(operation: string, output: unknown, lacks: string): Error {
  return Object.assign(new Error(`${operation} answered without ${lacks}`), {
    name: 'UnexpectedAnswer',
    $metadata: field(output, '$metadata'),
  });
}

/** Where a client sent its requests, as the SDK resolved the endpoint: the URL really used. */
interface Sent {
  url?: string;
}

function noteUrl(sent: Sent) {
  return <A extends { request: unknown }, R>(next: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      const protocol = text(field(args.request, 'protocol'));
      const hostname = text(field(args.request, 'hostname'));
      const port = field(args.request, 'port');
      if (protocol && hostname)
        sent.url = `${protocol}//${hostname}${typeof port === 'number' ? `:${port}` : ''}`;
      return next(args);
    };
}

/**
 * Runs one probe (one or a few calls) under one deadline. The abort signal stops a request in
 * flight; the race covers what the signal does not reach, such as a credential provider that
 * waits on an instance-metadata or SSO endpoint.
 */
async function timedCall<T>(
  service: Service,
  action: string,
  sent: Sent,
  limits: { timeoutMs: number; signal?: AbortSignal },
  run: (abortSignal: AbortSignal) => Promise<T>,
): Promise<Call<T>> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const abortSignal = limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout;
  const late = new Error('no answer in time');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late), limits.timeoutMs + 250);
  });
  try {
    const value = await Promise.race([run(abortSignal), deadline]);
    return { service, action, url: sent.url, result: { ok: true, value } };
  } catch (error) {
    let failure: CallError;
    if (limits.signal?.aborted) failure = { name: 'AbortError', message: 'interrupted' };
    else if (timeout.aborted || error === late)
      failure = { name: 'TimeoutError', message: `no answer within ${limits.timeoutMs / 1000} s` };
    else failure = describeFailure(error);
    return { service, action, url: sent.url, result: { ok: false, error: failure } };
  } finally {
    clearTimeout(timer);
  }
}

async function describeTable(
  dynamodb: DynamoDBClient,
  name: string,
  signal: AbortSignal,
): Promise<TableFacts> {
  const output = await dynamodb.send(new DescribeTableCommand({ TableName: name }), {
    abortSignal: signal,
  });
  const table = output.Table;
  if (!table || !Array.isArray(table.KeySchema))
    throw unexpected('DescribeTable', output, 'a table description');
  return {
    status: table.TableStatus,
    keySchema: table.KeySchema.map((element) => ({
      name: element.AttributeName ?? '?',
      type: element.KeyType ?? '?',
    })),
    attributes: Object.fromEntries(
      (table.AttributeDefinitions ?? []).map((definition) => [
        definition.AttributeName ?? '?',
        definition.AttributeType ?? '?',
      ]),
    ),
    indexes: (table.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName ?? '?',
      status: index.IndexStatus,
      keySchema: (index.KeySchema ?? []).map((element) => ({
        name: element.AttributeName ?? '?',
        type: element.KeyType ?? '?',
      })),
    })),
  };
}

async function describeStateMachine(
  sfn: SFNClient,
  arn: string,
  signal: AbortSignal,
): Promise<StateMachineFacts> {
  const output = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }), {
    abortSignal: signal,
  });
  if (!output.stateMachineArn)
    throw unexpected('DescribeStateMachine', output, 'a state machine ARN');
  return { arn: output.stateMachineArn, status: output.status, definition: output.definition };
}

/** findStateMachineArn's search, with a deadline and a check that the answer is a listing. */
async function findStateMachine(
  sfn: SFNClient,
  name: string,
  signal: AbortSignal,
): Promise<StateMachineFacts | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }), {
      abortSignal: signal,
    });
    if (!Array.isArray(page.stateMachines))
      throw unexpected('ListStateMachines', page, 'a list of state machines');
    const found = page.stateMachines.find((machine) => machine.name === name);
    if (found?.stateMachineArn) return { arn: found.stateMachineArn };
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

async function topicAttributes(
  sns: SNSClient,
  arn: string,
  signal: AbortSignal,
): Promise<TopicFacts> {
  const output = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }), {
    abortSignal: signal,
  });
  if (!output.Attributes) throw unexpected('GetTopicAttributes', output, 'attributes');
  const count = (value: string | undefined) =>
    value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  return {
    arn,
    subscriptionsConfirmed: count(output.Attributes.SubscriptionsConfirmed),
    subscriptionsPending: count(output.Attributes.SubscriptionsPending),
  };
}

/** Without the account (no state machine ARN), the topic is found by name among the region's. */
async function findTopic(
  sns: SNSClient,
  name: string,
  signal: AbortSignal,
): Promise<TopicFacts | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sns.send(new ListTopicsCommand({ NextToken: nextToken }), {
      abortSignal: signal,
    });
    if (!Array.isArray(page.Topics)) throw unexpected('ListTopics', page, 'a list of topics');
    const arn = page.Topics.map((topic) => topic.TopicArn ?? '').find((candidate) =>
      candidate.endsWith(`:${name}`),
    );
    if (arn) return topicAttributes(sns, arn, signal);
    nextToken = page.NextToken;
  } while (nextToken);
  return undefined;
}

/**
 * The stack and, when it is at rest, how its template differs from the one the package would
 * deploy.
 */
async function stackState(
  cloudformation: CloudFormationClient,
  stack: NonNullable<ProbeRequest['stack']>,
  signal: AbortSignal,
): Promise<StackState | undefined> {
  const facts = await describeStack(cloudformation, stack.name, signal);
  if (!facts) return undefined;
  const { bundled } = stack;
  if (
    !bundled ||
    !['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'].includes(facts.status)
  )
    return { facts };
  const deployed = parseTemplate(await originalTemplate(cloudformation, facts.stackId, signal));
  return {
    facts,
    differences: describeDifferences(
      compareTemplates(deployed, bundled.template),
      bundled.functions,
      [],
    ),
  };
}

/** What the probe knows before asking anything: the names to look for, from the configuration. */
function probeFor(request: ProbeRequest): TargetProbe {
  const configuredArn = request.stateMachineArn;
  return {
    target: request.target,
    endpoint: request.client.endpoint,
    employees: { name: request.tables.employees },
    winners: { name: request.tables.winners },
    draws: { name: request.tables.draws },
    stateMachine: { name: STATE_MACHINE_NAME, configuredArn, origin: request.stateMachineOrigin },
    topic: {
      name: `${configuredArn ? prefixOf(configuredArn) : ''}${TOPIC_NAME}`,
      arn: request.topicArn ?? (configuredArn ? topicArnFor(configuredArn) : undefined),
    },
    ...(request.stack ? { stack: { name: request.stack.name } } : {}),
  };
}

/** The ResourcePrefix of the stack a state machine's ARN belongs to. */
const prefixOf = (stateMachineArn: string) =>
  resourcePrefix(stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1), STATE_MACHINE_NAME);

/** The probe's clients, each noting the URL its requests really went to. */
interface ProbeClients {
  dynamodb: DynamoDBClient;
  sfn: SFNClient;
  sns: SNSClient;
  cloudformation?: CloudFormationClient;
  sent: Record<'dynamodb' | 'sfn' | 'sns' | 'cloudformation', Sent>;
  destroy(): void;
}

async function openProbeClients(request: ProbeRequest): Promise<ProbeClients> {
  const target: ClientTarget = { ...request.client, maxAttempts: PROBE_ATTEMPTS };
  const [clients, sns, cloudformation] = await Promise.all([
    createClients(target),
    createSnsClient(target),
    request.stack ? createCloudFormationClient(target) : undefined,
  ]);
  const sent = { dynamodb: {}, sfn: {}, sns: {}, cloudformation: {} };
  const step = { step: 'finalizeRequest', name: 'lotteryDoctorNoteUrl' } as const;
  clients.dynamodb.middlewareStack.add(noteUrl(sent.dynamodb), step);
  clients.sfn.middlewareStack.add(noteUrl(sent.sfn), step);
  sns.middlewareStack.add(noteUrl(sent.sns), step);
  cloudformation?.middlewareStack.add(noteUrl(sent.cloudformation), step);
  return {
    dynamodb: clients.dynamodb,
    sfn: clients.sfn,
    sns,
    cloudformation,
    sent,
    destroy: () => {
      clients.destroy();
      sns.destroy();
      cloudformation?.destroy();
    },
  };
}

type Limits = { timeoutMs: number; signal?: AbortSignal };

/**
 * The state machine, by its ARN or by name; listing names the machine only, so its definition
 * (does it hold prizes to the plan?) takes one more call.
 */
async function probeStateMachine(
  probe: TargetProbe,
  clients: ProbeClients,
  limits: Limits,
): Promise<StateMachineFacts | undefined> {
  const { configuredArn } = probe.stateMachine;
  const call = (
    action: string,
    run: (signal: AbortSignal) => Promise<StateMachineFacts | undefined>,
  ) => timedCall('Step Functions', action, clients.sent.sfn, limits, run);
  probe.stateMachine.call = await (configuredArn
    ? call('states:DescribeStateMachine', (signal) =>
        describeStateMachine(clients.sfn, configuredArn, signal),
      )
    : call('states:ListStateMachines', (signal) =>
        findStateMachine(clients.sfn, STATE_MACHINE_NAME, signal),
      ));
  const { result } = probe.stateMachine.call;
  const found = result.ok ? result.value : undefined;
  if (found && found.definition === undefined) {
    const described = await call('states:DescribeStateMachine', (signal) =>
      describeStateMachine(clients.sfn, found.arn, signal),
    );
    if (described.result.ok && described.result.value)
      Object.assign(found, {
        status: described.result.value.status,
        definition: described.result.value.definition,
      });
  }
  return found;
}

/** The topic: by its ARN when known (or found from the state machine's), else by name. */
async function probeTopic(
  probe: TargetProbe,
  machine: StateMachineFacts | undefined,
  clients: ProbeClients,
  limits: Limits,
): Promise<void> {
  const { topic } = probe;
  if (!topic.arn && machine) {
    topic.arn = topicArnFor(machine.arn);
    topic.name = `${prefixOf(machine.arn)}${TOPIC_NAME}`;
  }
  const { arn } = topic;
  topic.call = await timedCall(
    'SNS',
    arn ? 'sns:GetTopicAttributes' : 'sns:ListTopics',
    clients.sent.sns,
    limits,
    (signal) =>
      arn ? topicAttributes(clients.sns, arn, signal) : findTopic(clients.sns, topic.name, signal),
  );
}

/**
 * Asks the target about each part of the backend, in parallel, so that a silent endpoint costs one
 * timeout, not one per part. Credentials are judged from these calls' answers: there is no STS
 * client to ask.
 */
export async function probeTarget(request: ProbeRequest): Promise<TargetProbe> {
  const probe = probeFor(request);
  const clients = await openProbeClients(request);
  try {
    try {
      probe.region = (await clients.dynamodb.config.region()) || undefined;
    } catch (error) {
      probe.regionError = describeFailure(error).message;
    }
    // Every other call needs a region: the SDK would refuse them all with the same error.
    if (probe.region === undefined) return probe;

    const limits = { timeoutMs: request.timeoutMs ?? PROBE_TIMEOUT_MS, signal: request.signal };
    const table = (name: string) =>
      timedCall('DynamoDB', 'dynamodb:DescribeTable', clients.sent.dynamodb, limits, (signal) =>
        describeTable(clients.dynamodb, name, signal),
      );
    const stack = async () => {
      const { cloudformation } = clients;
      const wanted = request.stack;
      if (!wanted || !cloudformation || !probe.stack) return;
      probe.stack.call = await timedCall(
        'CloudFormation',
        'cloudformation:DescribeStacks',
        clients.sent.cloudformation,
        limits,
        (signal) => stackState(cloudformation, wanted, signal),
      );
    };
    const [employees, winners, draws] = await Promise.all([
      table(request.tables.employees),
      table(request.tables.winners),
      table(request.tables.draws),
      probeStateMachine(probe, clients, limits).then((machine) =>
        probeTopic(probe, machine, clients, limits),
      ),
      stack(),
    ]);
    probe.employees.call = employees;
    probe.winners.call = winners;
    probe.draws.call = draws;
    return probe;
  } finally {
    clients.destroy();
  }
}
