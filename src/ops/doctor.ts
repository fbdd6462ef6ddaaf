import type { Target } from '../core/config';
import { SETTINGS } from '../core/config';
import { classifyCallError, type CallError } from '../core/failures';
import { SERIAL_INDEX, STACK_OUTPUTS, STATE_MACHINE_NAME, STATES, TOPIC_NAME } from '../core/names';
import { isBusy, isLotteryStack, type StackFacts } from './stack';
import { plural } from '../core/plural';

// `lottery doctor`: what the probes of a target saw (src/aws/probe.ts gathers it), turned into one
// finding per part of the backend, each with what to do about it. Nothing here does I/O, so every
// answer a target can give — including the answers of an endpoint that is not AWS at all — can be
// tried in a unit test.

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export type Service = 'DynamoDB' | 'Step Functions' | 'SNS' | 'CloudFormation';

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };

export interface Call<T> {
  service: Service;
  /** The IAM action of the call, for access-denied findings. */
  action: string;
  /** Where the request went, as the SDK sent it; absent when it never left (no credentials). */
  url?: string;
  result: CallResult<T>;
}

export interface KeyElement {
  name: string;
  /** HASH or RANGE. */
  type: string;
}

export interface IndexFacts {
  name: string;
  status?: string;
  keySchema: KeyElement[];
}

export interface TableFacts {
  status?: string;
  keySchema: KeyElement[];
  /** AttributeDefinitions: attribute name → S, N or B. */
  attributes: Record<string, string>;
  indexes: IndexFacts[];
}

export interface StateMachineFacts {
  arn: string;
  /** Only DescribeStateMachine says; ListStateMachines lists no status. */
  status?: string;
  /** The ASL definition, as DescribeStateMachine returns it; absent when it could not be read. */
  definition?: string;
}

export interface TopicFacts {
  arn: string;
  subscriptionsConfirmed?: number;
  subscriptionsPending?: number;
}

/** A call left out is one that was not made: there was no region to send it to. */
export interface TableProbe {
  name: string;
  call?: Call<TableFacts>;
}

export interface StateMachineProbe {
  name: string;
  /** The ARN the configuration names; without one the machine is looked for by name. */
  configuredArn?: string;
  /** Where the configured ARN comes from: "--state-machine-arn" or "LOTTERY_STATE_MACHINE_ARN". */
  origin?: string;
  /** A value of undefined: no state machine of that name. */
  call?: Call<StateMachineFacts | undefined>;
}

export interface TopicProbe {
  name: string;
  /** The ARN asked about, when one was known; otherwise the topic was looked for by name. */
  arn?: string;
  /** A value of undefined: no topic of that name. */
  call?: Call<TopicFacts | undefined>;
}

export interface StackState {
  facts: StackFacts;
  /**
   * What `lottery deploy` would change, in words (src/core/deploy.ts); absent when not compared.
   */
  differences?: string[];
}

/** The CloudFormation stack `lottery deploy` makes: checked on AWS only. */
export interface StackProbe {
  name: string;
  /** A value of undefined: no stack of that name. */
  call?: Call<StackState | undefined>;
}

export interface TargetProbe {
  target: Target;
  /** --endpoint-url: every service is sent there. */
  endpoint?: string;
  region?: string;
  /** Why no region could be resolved, when the SDK said more than "missing". */
  regionError?: string;
  employees: TableProbe;
  winners: TableProbe;
  draws: TableProbe;
  stateMachine: StateMachineProbe;
  topic: TopicProbe;
  stack?: StackProbe;
}

/**
 * The ResourcePrefix a stack was deployed with, read off one of its names ("test-Lottery" →
 * "test-"): every name in the stack carries the same one (infra/template.yaml).
 */
export function resourcePrefix(name: string, base: string): string {
  return name.endsWith(base) ? name.slice(0, name.length - base.length) : '';
}

/** The stack's topic, which lives in the state machine's partition, region and account. */
export function topicArnFor(stateMachineArn: string): string | undefined {
  const match = /^arn:([^:]+):states:([^:]*):(\d*):stateMachine:([^:]+)$/.exec(stateMachineArn);
  if (!match) return undefined;
  const [, partition, region, account, name] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return `arn:${partition}:sns:${region}:${account}:${resourcePrefix(name, STATE_MACHINE_NAME)}${TOPIC_NAME}`;
}

const arnRegion = (arn: string) => arn.split(':')[3];

/** Each table's key, as infra/template.yaml declares it. */
const TABLE_KEYS = {
  employeeTable: [{ name: 'employee_id', type: 'HASH', attributeType: 'S' }],
  winnersTable: [{ name: 'employee_id', type: 'HASH', attributeType: 'S' }],
  drawsTable: [
    { name: 'pk', type: 'HASH', attributeType: 'S' },
    { name: 'sk', type: 'RANGE', attributeType: 'S' },
  ],
} as const;

const DEPLOY = 'deploy the stack with `lottery deploy` (docs/aws.md)';
const WAIT_AND_RERUN = 'wait a minute, then run `lottery doctor` again';
// Every call is made once there is a region (src/aws/probe.ts), so a call left out means that.
const NOT_CHECKED = 'not checked: no region';

/** What every check reads: the probe, and what follows from it for all of them. */
interface Scope {
  probe: TargetProbe;
  local: boolean;
  /** Where the parts were looked for, as "not found" findings say it. */
  place: string;
}

/** One check of the list: its finding on one part of the backend, or none if it does not apply. */
type Check = (scope: Scope) => DoctorCheck | undefined;

/**
 * What the probes of a target saw, as one finding per part of the backend, in the order a person
 * fixes them: each check below reads the probe and says what it found and what to do.
 */
export function diagnose(probe: TargetProbe): DoctorCheck[] {
  const local = probe.target === 'local';
  const scope: Scope = { probe, local, place: placeOf(probe, local) };
  return CHECKS.flatMap((check) => check(scope) ?? []);
}

function placeOf(probe: TargetProbe, local: boolean): string {
  if (local) return 'in the embedded backend';
  return probe.endpoint ? `at ${probe.endpoint}` : `in ${probe.region ?? 'the region'}`;
}

/** The calls every probe makes, in probe order (the stack's aside). */
const callsOf = (probe: TargetProbe) => [
  probe.employees.call,
  probe.winners.call,
  probe.draws.call,
  probe.stateMachine.call,
  probe.topic.call,
];

const missingFix = (scope: Scope, what: string) =>
  scope.local
    ? `the embedded backend creates the ${what} when it starts: ` +
      'run `lottery doctor` again, and report a bug if it is still missing'
    : DEPLOY;

/** The finding for a call that failed, in the words of the part it checks. */
function failedCall(
  scope: Scope,
  name: string,
  call: Call<unknown>,
  error: CallError,
  notFound: () => DoctorCheck,
): DoctorCheck {
  const { endpoint } = scope.probe;
  const url = call.url ?? endpoint ?? 'its endpoint';
  switch (classifyCallError(error)) {
    case 'credentials':
      return { name, status: 'warn', message: 'not checked: no usable credentials' };
    case 'not-found':
      return notFound();
    case 'unsupported': {
      const detail =
        error.serviceCode ?? `HTTP ${error.status ?? '?'}, not in ${call.service}'s format`;
      return {
        name,
        status: 'fail',
        message: `${url} does not serve ${call.service}: it answered ${detail}`,
        fix: endpoint
          ? '--endpoint-url sends DynamoDB, Step Functions and SNS to one URL: use one that serves ' +
            'all three (such as `lottery local serve`), or leave it out and set ' +
            'AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SFN and AWS_ENDPOINT_URL_SNS'
          : 'check the endpoint settings (AWS_ENDPOINT_URL and its per-service forms): ' +
            `${url} does not serve ${call.service}`,
      };
    }
    case 'unreachable':
      return {
        name,
        status: 'fail',
        message: `cannot reach ${call.service} at ${url}: ${error.message}`,
        fix: endpoint
          ? 'check --endpoint-url, and that the server there is running'
          : 'check the network connection, --region and any proxy settings',
      };
    case 'denied':
      return deniedFinding(name, call.action, error);
    case 'error':
      return {
        name,
        status: 'fail',
        message: `${call.service} answered ${error.serviceCode ?? error.name}: ${error.message}`,
        fix:
          'try again in a moment (throttling and service errors pass); ' +
          'if it persists, the message says what the service objects to',
      };
  }
}

/** Only finding the state machine by name needs a permission doctor may lack: the rest is news. */
function deniedFinding(name: string, action: string, error: CallError): DoctorCheck {
  const needed = action === 'states:ListStateMachines';
  return {
    name,
    status: needed ? 'fail' : 'warn',
    message: `could not check: the credentials may not call ${action} (${error.message})`,
    fix: needed
      ? `the lottery finds its state machine with ${action}: allow it, or pass --state-machine-arn`
      : `the lottery itself does not need ${action}; allow it to let doctor check this`,
  };
}

/** ACTIVE is ready; a status on its way to ACTIVE is worth a wait; any other is broken. */
function statusFinding(
  name: string,
  part: { what: string; status: string | undefined; ok: string; whenGone: string },
): DoctorCheck {
  const { what, status } = part;
  if (status === undefined || status === 'ACTIVE') return { name, status: 'ok', message: part.ok };
  if (status === 'CREATING' || status === 'UPDATING')
    return { name, status: 'warn', message: `${what} is ${status}`, fix: WAIT_AND_RERUN };
  if (status === 'DELETING')
    return { name, status: 'fail', message: `${what} is being deleted`, fix: part.whenGone };
  return {
    name,
    status: 'fail',
    message: `${what} is ${status}`,
    fix: `see it in the AWS console: the lottery cannot use it while it is ${status}`,
  };
}

function regionCheck({ probe, local }: Scope): DoctorCheck {
  const name = 'region';
  if (local)
    return {
      name,
      status: 'ok',
      message: `${probe.region ?? 'local'} (the embedded backend's own)`,
    };
  if (probe.region === undefined) {
    const why =
      probe.regionError && !/missing/i.test(probe.regionError) ? `: ${probe.regionError}` : '';
    return {
      name,
      status: 'fail',
      message: `no AWS region is set${why}`,
      fix: 'pass --region, set AWS_REGION, or add a region to your profile in ~/.aws/config',
    };
  }
  return {
    name,
    status: 'ok',
    message: probe.endpoint ? `${probe.region}, endpoint ${probe.endpoint}` : probe.region,
  };
}

function credentialsCheck({ probe, local }: Scope): DoctorCheck {
  const name = 'credentials';
  if (probe.region === undefined) return { name, status: 'warn', message: NOT_CHECKED };
  const calls = callsOf(probe);
  const refused = calls.find(
    (call) => call && !call.result.ok && classifyCallError(call.result.error) === 'credentials',
  );
  if (refused && !refused.result.ok) return refusedFinding(refused.service, refused.result.error);
  if (local) return { name, status: 'ok', message: "the embedded backend's own" };
  // Whichever service answered first in probe order proves the signature was good (or, at an
  // endpoint that checks none, at least that nothing refused it).
  const answered = calls.find(
    (call) =>
      call &&
      (call.result.ok ||
        (call.result.error.status !== undefined &&
          ['not-found', 'denied', 'error'].includes(classifyCallError(call.result.error)))),
  );
  if (!answered)
    return {
      name,
      status: 'warn',
      message: 'not checked: no service answered',
      fix: 'fix the findings below first',
    };
  return {
    name,
    status: 'ok',
    message: `accepted by ${answered.service}${answered.url ? ` at ${answered.url}` : ''}`,
  };
}

function refusedFinding(service: Service, error: CallError): DoctorCheck {
  const name = 'credentials';
  if (error.name === 'CredentialsProviderError') {
    return {
      name,
      status: 'fail',
      message: `no AWS credentials were found: ${error.message}`,
      fix:
        'run `aws configure` or `aws sso login`, set AWS_ACCESS_KEY_ID and ' +
        'AWS_SECRET_ACCESS_KEY, or pass --profile; to try the lottery without AWS, ' +
        'leave out --target aws',
    };
  }
  return {
    name,
    status: 'fail',
    message: `${service} refused the credentials: ${error.serviceCode ?? error.name}: ${error.message}`,
    fix:
      'check the keys or the profile in use (--profile, AWS_PROFILE); ' +
      'an expired SSO session needs `aws sso login`',
  };
}

/**
 * The stack is news, not a need: the lottery runs on tables and a state machine however they
 * were made. Only a stack in a failed state fails the check; anything else is at most a warning.
 * Checked on AWS only.
 */
function stackCheck(scope: Scope): DoctorCheck | undefined {
  const stack = scope.probe.stack;
  if (!stack) return undefined;
  const name = 'stack';
  const { call } = stack;
  if (!call) return { name, status: 'warn', message: NOT_CHECKED };
  const notFound = (): DoctorCheck => ({
    name,
    status: 'warn',
    message: `no stack ${stack.name} ${scope.place}`,
    fix:
      '`lottery deploy` creates it; for a stack deployed under another name, ' +
      `set ${SETTINGS.stackName.env} (or "stackName" in a config file)`,
  });
  if (!call.result.ok) {
    const finding = failedCall(scope, name, call, call.result.error, notFound);
    if (classifyCallError(call.result.error) === 'unsupported')
      return {
        ...finding,
        status: 'warn',
        fix: 'only deploy, destroy and this check use CloudFormation: draws do not need it',
      };
    return finding.status === 'fail' ? { ...finding, status: 'warn' } : finding;
  }
  const state = call.result.value;
  return state ? stackStateFinding(state) : notFound();
}

function stackStateFinding({ facts, differences = [] }: StackState): DoctorCheck {
  const name = 'stack';
  const status = `${facts.name}: ${facts.status}`;
  if (!isLotteryStack(facts))
    return {
      name,
      status: 'warn',
      message: `${status}, not a stack made by \`lottery deploy\``,
      fix: `check ${SETTINGS.stackName.env} (or "stackName" in a config file)`,
    };
  if (facts.status === 'ROLLBACK_COMPLETE' || facts.status.endsWith('_FAILED')) {
    return {
      name,
      status: 'fail',
      message: `${status}${facts.statusReason ? ` (${facts.statusReason})` : ''}`,
      fix: failedStackFix(facts.status),
    };
  }
  if (isBusy(facts.status))
    return {
      name,
      status: 'warn',
      message: status,
      fix: 'wait until it is done, then run `lottery doctor` again',
    };
  if (facts.status === 'REVIEW_IN_PROGRESS')
    return {
      name,
      status: 'warn',
      message: `${status}: a change set was never applied`,
      fix: '`lottery deploy` creates the stack',
    };
  if (differences.length > 0)
    return {
      name,
      status: 'warn',
      message: `${status}; an update is due: ${differences.join('; ')}`,
      fix: '`lottery deploy` updates it to this version',
    };
  return { name, status: 'ok', message: `${status}, with this version's template and functions` };
}

function failedStackFix(status: string): string {
  if (status === 'UPDATE_ROLLBACK_FAILED')
    return (
      'continue the rollback (CloudFormation console, or aws cloudformation ' +
      'continue-update-rollback), then `lottery deploy`'
    );
  if (status === 'DELETE_FAILED')
    return '`lottery destroy` again once the resource in the way is gone';
  return '`lottery deploy` (a stack whose creation failed is deleted and made again)';
}

type TableKey = keyof typeof TABLE_KEYS;

/** "employee_id (S, HASH)", "pk (S, HASH), sk (S, RANGE)". */
const describeKey = (
  elements: readonly { name: string; type: string }[],
  types: Record<string, string>,
) =>
  elements
    .map((element) => `${element.name} (${types[element.name] ?? '?'}, ${element.type})`)
    .join(', ');

/** The check of one table: there, keyed as the template declares, and ACTIVE. */
function tableCheck(
  name: string,
  probed: (probe: TargetProbe) => TableProbe,
  configKey: TableKey,
  output: string,
): Check {
  return (scope) => {
    const table = probed(scope.probe);
    const envVar = SETTINGS[configKey].env;
    const { call } = table;
    if (!call) return { name, status: 'warn', message: NOT_CHECKED };
    if (!call.result.ok) {
      return failedCall(scope, name, call, call.result.error, () => ({
        name,
        status: 'fail',
        message: `table ${table.name} does not exist ${scope.place}`,
        fix: scope.local
          ? missingFix(scope, 'table')
          : `${DEPLOY}, or set ${envVar} (or "${configKey}" in a config file) ` +
            `to the stack's ${output} output`,
      }));
    }
    const facts = call.result.value;
    const wanted = TABLE_KEYS[configKey];
    const key = describeKey(facts.keySchema, facts.attributes);
    const wantedKey = describeKey(
      wanted,
      Object.fromEntries(wanted.map((element) => [element.name, element.attributeType])),
    );
    if (key !== wantedKey) {
      return {
        name,
        status: 'fail',
        message: `${table.name} is keyed on ${key || 'nothing'}; the lottery needs ${wantedKey}`,
        fix:
          `point ${envVar} at the table the stack created (its ${output} output), ` +
          'or create this one again as infra/template.yaml declares it',
      };
    }
    return statusFinding(name, {
      what: `table ${table.name}`,
      status: facts.status,
      ok: `${table.name}: ${facts.status ?? 'ACTIVE'}, key ${wantedKey}`,
      whenGone: scope.local ? missingFix(scope, 'table') : `${DEPLOY} again once it is gone`,
    });
  };
}

/** The command that adds the serial index to a table made without it. */
const createIndexCommand = (table: string) =>
  `aws dynamodb update-table --table-name ${table} ` +
  '--attribute-definitions AttributeName=lottery_serial,AttributeType=N ' +
  `--global-secondary-index-updates '[{"Create":{"IndexName":"${SERIAL_INDEX}",` +
  '"KeySchema":[{"AttributeName":"lottery_serial","KeyType":"HASH"}],' +
  `"Projection":{"ProjectionType":"ALL"}}}]'`;

/** An index keyed wrongly cannot be changed in place: it is deleted, then added again. */
const recreateIndexFix = (table: string) =>
  `delete the index (aws dynamodb update-table --table-name ${table} ` +
  `--global-secondary-index-updates '[{"Delete":{"IndexName":"${SERIAL_INDEX}"}}]'), ` +
  `then, once it is gone, add it again: ${createIndexCommand(table)}`;

function serialIndexCheck({ probe }: Scope): DoctorCheck {
  const name = 'serial index';
  const table = probe.employees;
  const { call } = table;
  if (!call) return { name, status: 'warn', message: NOT_CHECKED };
  if (!call.result.ok) {
    const kind = classifyCallError(call.result.error);
    const why =
      kind === 'not-found'
        ? `table ${table.name} does not exist`
        : kind === 'credentials'
          ? 'no usable credentials'
          : `table ${table.name} could not be read`;
    return { name, status: 'warn', message: `not checked: ${why}` };
  }
  const facts = call.result.value;
  const index = facts.indexes.find((candidate) => candidate.name === SERIAL_INDEX);
  if (!index) {
    return {
      name,
      status: 'fail',
      message: `${table.name} has no index ${SERIAL_INDEX}`,
      fix: `add it: ${createIndexCommand(table.name)} (or create the table again from the stack)`,
    };
  }
  const [only] = index.keySchema;
  const serialType = facts.attributes.lottery_serial;
  if (index.keySchema.length !== 1 || only?.name !== 'lottery_serial' || only.type !== 'HASH') {
    const key = index.keySchema.map((element) => `${element.name} (${element.type})`).join(', ');
    return {
      name,
      status: 'fail',
      message:
        `${SERIAL_INDEX} is keyed on ${key || 'nothing'}; ` +
        'the lottery needs lottery_serial (N) as its only key',
      fix: recreateIndexFix(table.name),
    };
  }
  if (serialType !== 'N') {
    return {
      name,
      status: 'fail',
      message:
        `lottery_serial is declared as ${serialType ?? 'nothing'}, ` +
        'but serials are numbers: the index needs it as N',
      fix: recreateIndexFix(table.name),
    };
  }
  return statusFinding(name, {
    what: `index ${SERIAL_INDEX}`,
    status: index.status,
    ok: `${SERIAL_INDEX} on lottery_serial (N)`,
    whenGone: `once it is gone, add it again: ${createIndexCommand(table.name)}`,
  });
}

function stateMachineCheck(scope: Scope): DoctorCheck {
  const name = 'state machine';
  const machine = scope.probe.stateMachine;
  const { configuredArn, origin = '--state-machine-arn' } = machine;
  const elsewhere = otherRegionFinding(scope);
  if (elsewhere) return elsewhere;
  const { call } = machine;
  if (!call) return { name, status: 'warn', message: NOT_CHECKED };
  const notFound = (): DoctorCheck =>
    configuredArn
      ? {
          name,
          status: 'fail',
          message: `no state machine ${configuredArn} ${scope.place}`,
          fix:
            `check ${origin}: it must be the stack's ${STACK_OUTPUTS.stateMachineArn} output ` +
            '(docs/aws.md)',
        }
      : {
          name,
          status: 'fail',
          message: `no state machine named ${machine.name} ${scope.place}`,
          fix: scope.local
            ? missingFix(scope, 'state machine')
            : `${DEPLOY}; for a stack deployed with a ResourcePrefix, pass --state-machine-arn`,
        };
  if (!call.result.ok) return failedCall(scope, name, call, call.result.error, notFound);
  const facts = call.result.value;
  if (!facts) return notFound();
  if (facts.status === 'DELETING') {
    return {
      name,
      status: 'fail',
      message: `state machine ${facts.arn} is being deleted`,
      fix: configuredArn ? `${DEPLOY} again, and update ${origin}` : `${DEPLOY} again`,
    };
  }
  return { name, status: 'ok', message: facts.arn };
}

/**
 * Without an endpoint of its own, the SDK asks the region's Step Functions, which knows nothing of
 * a machine in another region: say that rather than "not found".
 */
function otherRegionFinding({ probe, local }: Scope): DoctorCheck | undefined {
  const { configuredArn, origin = '--state-machine-arn' } = probe.stateMachine;
  if (!configuredArn || local || probe.endpoint || probe.region === undefined) return undefined;
  const region = arnRegion(configuredArn);
  if (region === probe.region) return undefined;
  return {
    name: 'state machine',
    status: 'fail',
    message:
      `${origin} names a state machine in ${region || 'no region'}, ` +
      `but the region is ${probe.region}`,
    fix: region
      ? `pass --region ${region}, or check ${origin}`
      : `check ${origin}: it must be the stack's ${STACK_OUTPUTS.stateMachineArn} output, ` +
        'which names its region',
  };
}

/** A stack deployed before prize plans would let a plan's prizes award more than their counts. */
function prizePlanCheck(scope: Scope): DoctorCheck {
  const name = 'prize plan';
  const { call } = scope.probe.stateMachine;
  const facts = call?.result.ok ? call.result.value : undefined;
  if (!facts) return { name, status: 'warn', message: 'not checked: no state machine' };
  if (facts.definition === undefined)
    return {
      name,
      status: 'warn',
      message:
        "not checked: the state machine's definition could not be read " +
        '(states:DescribeStateMachine)',
    };
  if (definesState(facts.definition, STATES.reserve))
    return {
      name,
      status: 'ok',
      message: `the state machine holds each prize to its count (${STATES.reserve})`,
    };
  return {
    name,
    status: 'fail',
    message:
      `the state machine has no ${STATES.reserve} state: it predates prize plans, ` +
      "and a plan's prizes could award more than their counts",
    fix: scope.local
      ? missingFix(scope, 'state machine')
      : `${DEPLOY} again: the stack's definition (infra/statemachine/lottery.asl.json) has it`,
  };
}

/** Whether an ASL definition, as text, has a state of this name; false when it is not JSON. */
function definesState(definition: string, state: string): boolean {
  let states: unknown;
  try {
    states = (JSON.parse(definition) as { States?: unknown }).States;
  } catch {
    return false;
  }
  return typeof states === 'object' && states !== null && state in states;
}

function topicCheck(scope: Scope): DoctorCheck {
  const name = 'topic';
  const topic = scope.probe.topic;
  const { call } = topic;
  if (!call) return { name, status: 'warn', message: NOT_CHECKED };
  const notFound = (): DoctorCheck => ({
    name,
    status: 'fail',
    message: topic.arn
      ? `topic ${topic.arn} does not exist`
      : `no topic named ${topic.name} ${scope.place}`,
    fix: scope.local ? missingFix(scope, 'topic') : DEPLOY,
  });
  if (!call.result.ok) return failedCall(scope, name, call, call.result.error, notFound);
  const facts = call.result.value;
  if (!facts) return notFound();
  if (scope.local)
    return {
      name,
      status: 'ok',
      message: `${facts.arn} (announcements go to outbox.jsonl in the data directory)`,
    };
  if (facts.subscriptionsConfirmed === 0) return unheardTopicFinding(facts);
  const confirmed =
    facts.subscriptionsConfirmed === undefined
      ? ''
      : ` (${plural(facts.subscriptionsConfirmed, 'subscription')})`;
  return { name, status: 'ok', message: `${facts.arn}${confirmed}` };
}

/** A topic with no confirmed subscription: announcements reach nobody. */
function unheardTopicFinding(facts: TopicFacts): DoctorCheck {
  const pending = facts.subscriptionsPending ?? 0;
  return {
    name: 'topic',
    status: 'warn',
    message:
      `${facts.arn} has no confirmed subscriptions: announcements reach nobody` +
      (pending > 0 ? ` (${pending} waiting for confirmation)` : ''),
    fix:
      pending > 0
        ? 'confirm the subscription from the e-mail SNS sent'
        : 'subscribe someone: lottery deploy --notification-email you@example.com, ' +
          `or aws sns subscribe --topic-arn ${facts.arn} --protocol email ` +
          '--notification-endpoint you@example.com',
  };
}

/** The checks, in the order a person fixes what they find (CDK's doctor keeps such a list). */
const CHECKS: readonly Check[] = [
  regionCheck,
  credentialsCheck,
  stackCheck,
  tableCheck(
    'employee table',
    (probe) => probe.employees,
    'employeeTable',
    STACK_OUTPUTS.employeeTable,
  ),
  serialIndexCheck,
  tableCheck('winners table', (probe) => probe.winners, 'winnersTable', STACK_OUTPUTS.winnersTable),
  tableCheck('draws table', (probe) => probe.draws, 'drawsTable', STACK_OUTPUTS.drawsTable),
  stateMachineCheck,
  prizePlanCheck,
  topicCheck,
];

export function summarize(checks: readonly DoctorCheck[]): {
  ok: boolean;
  problems: number;
  warnings: number;
} {
  const problems = checks.filter((check) => check.status === 'fail').length;
  return {
    ok: problems === 0,
    problems,
    warnings: checks.filter((check) => check.status === 'warn').length,
  };
}

/**
 * The draws that hold people but are no longer running (stopped on AWS, a killed local process),
 * and how many each holds.
 */
export interface AbandonedClaims {
  draws: { drawId: string; status: string; held: number }[];
  /** True when `lottery doctor --fix` gave them back. */
  released: boolean;
}

export function claimsCheck(abandoned: AbandonedClaims): DoctorCheck {
  const name = 'claims';
  const held = abandoned.draws.reduce((sum, draw) => sum + draw.held, 0);
  if (abandoned.draws.length === 0)
    return { name, status: 'ok', message: 'no one is held by a draw that is over' };
  const which = abandoned.draws
    .map((draw) => `${draw.drawId} (${draw.status.toLowerCase()})`)
    .join(', ');
  const people = plural(held, 'person', 'people');
  if (abandoned.released)
    return {
      name,
      status: 'ok',
      message: `gave back ${people} held by draws that were over: ${which}`,
    };
  return {
    name,
    status: 'warn',
    message: `${people} held by draws that are over: ${which}`,
    fix: '`lottery doctor --fix` gives them back (so does the next draw)',
  };
}
