import type { LotteryConfig } from '../core/config';
import { LotteryError } from '../core/errors';
import { STATE_MACHINE_NAME } from '../core/names';
import {
  createLazyClients,
  type ClientTarget,
  type LazyClients,
  type StackClients,
} from '../aws/clients';
import type { Output } from './output';

/**
 * SDK attempts per request for the CLI: twice the SDK's default, so that a throttled table or a
 * dropped connection is ridden out with backoff instead of failing a seed or a draw on stage.
 */
const CLI_SDK_ATTEMPTS = 6;

/** The SDK clients of one command, pointed at the chosen target. */
export interface Session {
  config: LotteryConfig;
  clients: LazyClients;
  /** Where the clients point: for a command that needs one more client (SNS). */
  target: ClientTarget;
  /** The embedded backend's data directory, when the target is local. */
  home?: string;
  /** True when the embedded backend runs inside this process (no `lottery local serve`). */
  inProcess: boolean;
  stateMachineArn(): Promise<string>;
  close(): Promise<void>;
}

const noRegion = () =>
  new LotteryError('environment', 'no AWS region is set', {
    hint: 'pass --region, set AWS_REGION, or add a region to your profile in ~/.aws/config',
  });

/** Says on stderr which AWS target a command uses, as every command does. */
export function announceAwsTarget(
  config: LotteryConfig,
  output: Output,
  region: string | undefined,
): void {
  const profile = config.profile ?? output.streams.env.AWS_PROFILE;
  const parts = [
    region ? `region ${region}` : 'no region',
    ...(profile ? [`profile ${profile}`] : []),
    ...(config.endpointUrl ? [`endpoint ${config.endpointUrl}`] : []),
  ];
  output.info(output.err.dim(`Target: AWS (${parts.join(', ')})`));
}

/**
 * Connects a command to its target and says on stderr which one it is. Local and AWS differ only
 * in endpoint and credentials: everything after this talks to both through the same clients.
 */
export async function openSession(
  config: LotteryConfig,
  output: Output,
  command: string,
  /** With the embedded backend in this process: serve it to other commands too. */
  share = false,
): Promise<Session> {
  let clients: LazyClients;
  let target: ClientTarget;
  let closeBackend = async () => {};
  let inProcess = false;
  let knownArn = config.stateMachineArn;
  let home: string | undefined;
  if (config.target === 'local') {
    if (config.endpointUrl) {
      throw new LotteryError('usage', '--endpoint-url applies to --target aws', {
        hint: 'to reach a `lottery local serve` as an AWS endpoint, add --target aws, with the credentials that `lottery local env` prints',
      });
    }
    const [{ openLocalBackend }, { LOCAL_ARNS, LOCAL_REGION }, { parseFaults }, { homeExposure }] =
      await Promise.all([
        import('../local/backend'),
        import('../local/constants'),
        import('../local/faults'),
        import('../local/paths'),
      ]);
    const tables = {
      employees: config.employeeTable,
      winners: config.winnersTable,
      draws: config.drawsTable,
    };
    const backend = await openLocalBackend(
      config.home,
      tables,
      command,
      parseFaults(output.streams.env.LOTTERY_FAULTS),
      share,
    );
    closeBackend = backend.close;
    inProcess = backend.hosted;
    home = backend.home;
    const exposed = homeExposure(backend.home);
    if (exposed) output.warn(exposed);
    // The embedded backend's state machine has a fixed ARN: nothing to look up.
    knownArn ??= LOCAL_ARNS.stateMachine;
    target = {
      endpoint: backend.url,
      region: LOCAL_REGION,
      credentials: backend.credentials,
      maxAttempts: CLI_SDK_ATTEMPTS,
    };
    clients = await createLazyClients(target);
    const via = !backend.shared
      ? ''
      : backend.hosted
        ? `, served from here to other commands at ${backend.url}`
        : ` via lottery local serve at ${backend.url}`;
    output.info(output.err.dim(`Target: local embedded backend${via} (data in ${backend.home})`));
  } else {
    target = {
      region: config.region,
      profile: config.profile,
      endpoint: config.endpointUrl,
      maxAttempts: CLI_SDK_ATTEMPTS,
    };
    clients = await createLazyClients(target);
    const region = await clients.dynamodb.config.region().catch(() => undefined);
    if (!region) {
      clients.destroy();
      throw noRegion();
    }
    announceAwsTarget(config, output, region);
  }

  let arn: Promise<string> | undefined;
  return {
    config,
    clients,
    target,
    inProcess,
    home,
    stateMachineArn: () =>
      (arn ??= (async () => {
        if (knownArn) return knownArn;
        const { findStateMachineArn } = await import('../aws/executions');
        const found = await findStateMachineArn(await clients.sfn(), STATE_MACHINE_NAME);
        if (!found) {
          throw new LotteryError(
            'environment',
            `no state machine named ${STATE_MACHINE_NAME} was found`,
            {
              hint: 'deploy the stack with `lottery deploy` (docs/aws.md), or pass --state-machine-arn',
            },
          );
        }
        return found;
      })()),
    close: async () => {
      clients.destroy();
      await closeBackend();
    },
  };
}

/**
 * The clients of `lottery deploy` and `destroy`, which always talk to AWS (or what --endpoint-url
 * names), whatever --target says: the stack is AWS's.
 */
export async function openStackSession(
  config: LotteryConfig,
  output: Output,
): Promise<{ clients: StackClients; region: string }> {
  const { createStackClients } = await import('../aws/clients');
  const clients = await createStackClients({
    region: config.region,
    profile: config.profile,
    endpoint: config.endpointUrl,
    maxAttempts: CLI_SDK_ATTEMPTS,
  });
  const region = await clients.cloudformation.config.region().catch(() => undefined);
  if (!region) {
    clients.destroy();
    throw noRegion();
  }
  announceAwsTarget(config, output, region);
  return { clients, region };
}
