import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { StackClients } from '../aws/clients';
import { packageStack, type PackagedStack } from '../aws/artifacts';
import { eventIds, followStack } from '../aws/stack';
import { STACK_NAME_RULE, isStackName } from '../core/config';
import { lotteryDefinition } from '../core/definition';
import { LotteryError } from '../core/errors';
import { failureReasons, type StackEvent, type StackFacts } from '../ops/stack';
import type { Json } from '../ops/template';
import type { CommandContext } from './context';
import { packageRoot } from './package-root';
import { StackView, oneLine } from './render/stack-view';

// What deploy, destroy and doctor share of a stack: the one the package carries, the --stack-name
// flag, and a stack operation followed to its end.

/** infra/ and dist/lambdas/ of the installed package: what it deploys. */
export function bundledStack(): PackagedStack {
  const root = packageRoot();
  return packageStack(
    { template: join(root, 'infra', 'template.yaml'), bundles: join(root, 'dist', 'lambdas') },
    lotteryDefinition() as unknown as Json,
  );
}

/** --stack-name, checked as the stackName setting is; else the setting. */
export function stackNameOption(flag: string | undefined, setting: string): string {
  if (flag === undefined) return setting;
  if (!isStackName(flag))
    throw new LotteryError('usage', `--stack-name ${JSON.stringify(flag)} ${STACK_NAME_RULE}`, {
      hint: 'e.g. --stack-name lottery-test',
    });
  return flag.trim();
}

export function interrupted(what: string, cause?: unknown): LotteryError {
  return new LotteryError('interrupted', what, {
    hint: 'CloudFormation carries on without us: `lottery doctor` shows where the stack is',
    cause,
  });
}

/**
 * Runs one stack operation to its end, showing its events; returns the stack and every event seen.
 */
export async function runStackOperation(
  context: CommandContext,
  clients: StackClients,
  operation: { stackId: string; doing: string; start: (token: string) => Promise<void> },
): Promise<{ stack: StackFacts; events: StackEvent[] }> {
  const { signal } = context;
  const seen = await eventIds(clients.cloudformation, operation.stackId, signal);
  await operation.start(`lottery-${randomUUID()}`);
  const view = new StackView(context.output, operation.doing);
  await view.start();
  const events: StackEvent[] = [];
  try {
    const stack = await followStack(
      clients.cloudformation,
      { stackId: operation.stackId, seen, signal, pollMs: context.config.pollIntervalMs },
      async (fresh) => {
        events.push(...fresh);
        await view.update(fresh);
      },
    );
    return { stack, events };
  } catch (error) {
    if (signal.aborted)
      throw interrupted(
        `stopped following the stack: ${operation.doing.toLowerCase()} goes on`,
        error,
      );
    throw error;
  } finally {
    view.close();
  }
}

/** The failure of a stack operation, with the reasons CloudFormation gave. */
export function operationFailed(
  action: string,
  stack: StackFacts,
  events: readonly StackEvent[],
  hint: string,
): LotteryError {
  const reasons = failureReasons(events, stack).map(({ logicalId, reason }) =>
    logicalId ? `${logicalId}: ${oneLine(reason)}` : oneLine(reason),
  );
  return new LotteryError('failed', `${action} stack ${stack.name} failed: it is ${stack.status}`, {
    hint,
    details: reasons,
  });
}
