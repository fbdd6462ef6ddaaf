import { callerIdentity } from '../../aws/account';
import { ensureBucket, type PackagedStack } from '../../aws/artifacts';
import type { StackClients } from '../../aws/clients';
import {
  discardChangeSet,
  lookBeforeDeploy,
  prepareChangeSet,
  uploadBundles,
  type ArtefactTarget,
  type DeployRequest,
} from '../../aws/deploy';
import {
  deleteChangeSet,
  deleteStack,
  describeStack,
  executeChangeSet,
  type ChangeSetResult,
} from '../../aws/stack';
import {
  STACK_PARAMETERS,
  artifactBucketName,
  decideDeploy,
  parameterProblems,
  type DeployDecision,
  settingsFromStack,
  shadowedSettings,
  type SavedSettings,
} from '../../ops/deploy';
import { LotteryError } from '../../core/errors';
import {
  orderChanges,
  succeeded,
  summarizeChanges,
  type ResourceChange,
  type StackFacts,
} from '../../ops/stack';
import { updateConfigFile, userConfigPath } from '../config-files';
import type { CommandContext } from '../context';
import { confirm } from '../prompt';
import { renderTable, styled } from '../render/table';
import { oneLine } from '../render/stack-view';
import { openStackSession } from '../session';
import type { DeployOptions } from '../options';
import {
  bundledStack,
  interrupted,
  operationFailed,
  runStackOperation,
  stackNameOption,
} from '../stack-operation';

const FLAGS: Record<string, string> = {
  [STACK_PARAMETERS.prefix]: '--prefix',
  [STACK_PARAMETERS.notificationEmail]: '--notification-email',
};

function showChanges(context: CommandContext, changes: readonly ResourceChange[]): void {
  const { output } = context;
  const style = output.err;
  if (changes.length === 0) {
    output.info(
      'CloudFormation lists no resource to add, change or remove (the change is in parameters or outputs).',
    );
    return;
  }
  const colour: Record<string, (text: string) => string> = {
    Add: style.green,
    Modify: style.yellow,
    Remove: style.red,
  };
  const rows = orderChanges(changes).map((change) => [
    styled(change.action, colour[change.action] ?? String),
    change.logicalId,
    styled(change.resourceType, style.dim),
    change.replacement === 'True'
      ? styled('yes', style.red)
      : change.replacement === 'Conditional'
        ? styled('maybe', style.yellow)
        : '',
  ]);
  output.info(renderTable(style, ['Action', 'Resource', 'Type', 'Replaced'], rows));
  const summary = summarizeChanges(changes);
  output.info(`${summary.add} to add, ${summary.modify} to change, ${summary.remove} to remove.`);
  for (const change of summary.dataAtRisk) {
    const fate = change.action === 'Remove' ? 'removed from the stack' : 'replaced';
    output.warn(
      `${change.logicalId} (${change.resourceType}) is ${fate}: the table is kept (its policies say Retain), but the stack will no longer use its data`,
    );
  }
}

/**
 * Saves the settings later commands need, and says so; warns of any that something else overrides.
 */
function saveSettings(
  context: CommandContext,
  settings: SavedSettings,
): { file: string; changed: string[] } {
  const { output } = context;
  const file = userConfigPath(output.streams.env);
  const changed = updateConfigFile(file, settings);
  if (changed.length > 0) output.info(`Saved ${changed.join(', ')} in ${file}.`);
  for (const { key, origin, value } of shadowedSettings(
    settings,
    context.config,
    context.origins,
    file,
  )) {
    output.warn(
      `${origin} sets ${key} to ${JSON.stringify(value)}, which overrides the deployed ${JSON.stringify(settings[key as keyof SavedSettings])} saved in ${file}`,
    );
  }
  return { file, changed };
}

function report(
  context: CommandContext,
  options: DeployOptions,
  stack: StackFacts,
  region: string,
  outcome: 'created' | 'updated' | 'unchanged',
): void {
  const { output } = context;
  const { file, changed } = saveSettings(
    context,
    settingsFromStack(stack, region, context.config.profile),
  );
  if (options.json) {
    output.json({
      stack: stack.name,
      stackId: stack.stackId,
      region,
      status: stack.status,
      outcome,
      outputs: stack.outputs,
      configFile: file,
      saved: changed,
    });
    return;
  }
  const outputs = Object.entries(stack.outputs).sort(([a], [b]) => a.localeCompare(b));
  if (outputs.length > 0) output.result(renderTable(output.out, ['Output', 'Value'], outputs));
  const { endpointUrl } = context.config;
  const at = endpointUrl ? ` --endpoint-url ${endpointUrl}` : '';
  const target = `lottery --target aws${at} draw -n 2`;
  const state = outcome === 'unchanged' ? 'up to date' : outcome;
  output.info(
    output.err.green(`Stack ${stack.name} is ${state} (${stack.status}).`) + ` Next: ${target}`,
  );
}

/**
 * `lottery deploy`: the package's template and functions to a CloudFormation stack, through a
 * change set that is shown and confirmed, with the stack's events followed as they happen.
 * It looks (src/aws/deploy.ts), decides (decideDeploy, src/ops/deploy.ts), then applies step by
 * step, each shown here.
 */
export async function deploy(options: DeployOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const stackName = stackNameOption(options.stackName, config.stackName);
  const given = {
    [STACK_PARAMETERS.prefix]: options.prefix,
    [STACK_PARAMETERS.notificationEmail]: options.notificationEmail,
  };
  // What there is to deploy, and whether the flags suit it, before anything is asked of AWS.
  const bundled = bundledStack();
  const problems = parameterProblems(bundled.source, given, FLAGS);
  if (problems.length > 0)
    throw new LotteryError('usage', problems.join('; '), { hint: 'see `lottery deploy --help`' });
  const { clients, region } = await openStackSession(config, output);
  try {
    const plan = await planDeployment(context, clients, {
      region,
      bucket: options.bucket,
      request: { stackName, given, bundled },
    });
    const { decision, existing } = plan;
    if (decision.kind === 'refuse')
      throw new LotteryError('environment', decision.why, { hint: decision.hint });
    if (decision.kind === 'unchanged') {
      output.info(
        `No change: stack ${stackName} already runs this version's template and functions.`,
      );
      if (existing) report(context, options, existing, region, 'unchanged');
      return;
    }
    if (decision.operation === 'update' && existing)
      output.info(
        `Stack ${stackName} (${existing.status}) differs in: ${decision.differences.join('; ')}.`,
      );
    if (!options.yes && !output.interactive) {
      throw new LotteryError(
        'usage',
        `refusing to ${decision.operation} stack ${stackName} without confirmation`,
        { hint: 'run it in a terminal to see the changes and be asked, or pass --yes' },
      );
    }
    const done = await applyDeployment(context, clients, { ...plan, decision }, options.yes);
    if (done) report(context, options, done.stack, region, done.outcome);
  } finally {
    clients.destroy();
  }
}

/** What deploy found and decided, before it changes anything. */
interface DeploymentPlan {
  request: DeployRequest;
  existing: StackFacts | undefined;
  decision: DeployDecision;
  artefacts: ArtefactTarget;
}

/** Looks at the account and the stack, and decides (decideDeploy): nothing is changed yet. */
async function planDeployment(
  context: CommandContext,
  clients: StackClients,
  what: { region: string; bucket: string | undefined; request: Omit<DeployRequest, 'template'> },
): Promise<DeploymentPlan> {
  const { region } = what;
  const { account, partition } = await callerIdentity(clients.sts);
  const bucket = what.bucket ?? artifactBucketName(account, region);
  const request = { ...what.request, template: what.request.bundled.templateIn(bucket) };
  const { existing, findings } = await lookBeforeDeploy(clients, request, context.signal);
  const artefacts: ArtefactTarget = {
    bucket,
    account,
    region,
    partition,
    create: what.bucket === undefined,
    plainHttp: context.config.endpointUrl?.startsWith('http:') ?? false,
  };
  return { request, existing, decision: decideDeploy(findings, region), artefacts };
}

/**
 * Applies the plan step by step, each shown: the failed stack deleted, the functions uploaded, the
 * change set made, shown, confirmed and executed. The stack once done; undefined when nothing was
 * changed (a no at a question, or nothing to change after all).
 */
async function applyDeployment(
  context: CommandContext,
  clients: StackClients,
  plan: DeploymentPlan & { decision: Extract<DeployDecision, { kind: 'apply' }> },
  yes = false,
): Promise<{ stack: StackFacts; outcome: 'created' | 'updated' | 'unchanged' } | undefined> {
  const { output, signal } = context;
  const { request, existing, decision } = plan;
  const { operation } = decision;
  const { stackName } = request;
  if (decision.recreate && existing && !(await deleteFailedStack(context, clients, existing, yes)))
    return undefined;
  await uploadFunctions(context, clients, request.bundled, plan.artefacts);
  const changeSet = await changeSetFor(context, clients, { ...request, operation, existing });
  if (changeSet.kind === 'no-change') {
    if (changeSet.id && changeSet.stackId)
      await deleteChangeSet(clients.cloudformation, changeSet.id, changeSet.stackId);
    output.info(`No change: CloudFormation finds nothing to do in stack ${stackName}.`);
    const current = await describeStack(clients.cloudformation, stackName, signal);
    return current && { stack: current, outcome: 'unchanged' };
  }
  if (changeSet.kind === 'failed') {
    await discardChangeSet(clients, changeSet, operation);
    throw new LotteryError(
      'service',
      `CloudFormation refused the change set: ${oneLine(changeSet.reason)}`,
      {
        hint: 'nothing was changed; if the reason names a permission, the credentials in use need it',
      },
    );
  }
  const region = plan.artefacts.region;
  const stack = await applyChangeSet(context, clients, {
    changeSet,
    operation,
    stackName,
    region,
    yes,
  });
  return stack && { stack, outcome: operation === 'create' ? 'created' : 'updated' };
}

/**
 * A stack whose creation failed (ROLLBACK_COMPLETE) can only be deleted: asked, then followed.
 * False when the person said no.
 */
async function deleteFailedStack(
  context: CommandContext,
  clients: StackClients,
  existing: StackFacts,
  yes: boolean,
): Promise<boolean> {
  const { output } = context;
  const { name } = existing;
  output.info(
    `Stack ${name} is ROLLBACK_COMPLETE: ` +
      'its creation failed and nothing of it is left but the stack itself.',
  );
  if (!yes && !(await confirm(context, `Delete stack ${name} and create it again?`))) {
    output.info('Nothing was changed.');
    return false;
  }
  const { stack, events } = await runStackOperation(context, clients, {
    stackId: existing.stackId,
    doing: `Deleting the failed stack ${name}`,
    start: (token) => deleteStack(clients.cloudformation, existing.stackId, token),
  });
  if (!succeeded('delete', stack.status))
    throw operationFailed('Deleting', stack, events, 'see the stack in the CloudFormation console');
  return true;
}

/** The functions' bundles into the artefact bucket, each said as it is done. */
async function uploadFunctions(
  context: CommandContext,
  clients: StackClients,
  bundled: PackagedStack,
  target: ArtefactTarget,
): Promise<void> {
  const { output } = context;
  const { bucket } = target;
  if (await ensureBucket(clients.s3, target)) {
    const protections = target.plainHttp ? 'private, encrypted' : 'private, encrypted, TLS only';
    output.info(`Created the artefact bucket ${bucket} (${protections}).`);
  }
  await uploadBundles(clients, bundled, target, ({ name, key, uploaded }) => {
    const what = uploaded
      ? `uploaded ${name} (${Math.round(uploaded / 1024)} KiB zipped)`
      : `${name} is there already`;
    output.info(output.err.dim(`  ${what}: s3://${bucket}/${key}`));
  });
}

/** The change set, while a spinner says CloudFormation is at work; Ctrl-C applies nothing. */
async function changeSetFor(
  context: CommandContext,
  clients: StackClients,
  request: Parameters<typeof prepareChangeSet>[1],
): Promise<ChangeSetResult> {
  const { output, signal } = context;
  const spinner = await output.spinner('Asking CloudFormation what would change…');
  return prepareChangeSet(clients, request, signal, context.config.pollIntervalMs)
    .catch((error: unknown) => {
      if (signal.aborted)
        throw interrupted(
          'stopped while CloudFormation was preparing the change set; nothing was applied',
          error,
        );
      throw error;
    })
    .finally(() => spinner.stop());
}

/**
 * Shows the change set, asks, and applies it, following the stack's events; the stack once done,
 * or undefined when the person said no. A change set not applied is discarded.
 */
async function applyChangeSet(
  context: CommandContext,
  clients: StackClients,
  step: {
    changeSet: Extract<ChangeSetResult, { kind: 'ready' }>;
    operation: 'create' | 'update';
    stackName: string;
    region: string;
    /** --yes: applied without asking. */
    yes: boolean;
  },
): Promise<StackFacts | undefined> {
  const { changeSet, operation, stackName } = step;
  showChanges(context, changeSet.changes);
  const question =
    operation === 'create'
      ? `Create stack ${stackName} in ${step.region}?`
      : `Apply these changes to stack ${stackName}?`;
  const discard = () => discardChangeSet(clients, changeSet, operation);
  // Ctrl-C at the question is a no as well: the change set goes either way.
  const approved =
    step.yes ||
    (await confirm(context, question).catch(async (error: unknown) => {
      await discard();
      throw error;
    }));
  if (!approved) {
    await discard();
    context.output.info('Nothing was changed.');
    return undefined;
  }
  const doing = operation === 'create' ? 'Creating' : 'Updating';
  const { stack, events } = await runStackOperation(context, clients, {
    stackId: changeSet.stackId,
    doing: `${doing} stack ${stackName}`,
    start: (token) =>
      executeChangeSet(clients.cloudformation, changeSet.id, changeSet.stackId, token),
  });
  if (!succeeded(operation, stack.status)) {
    const hint =
      stack.status === 'ROLLBACK_COMPLETE'
        ? 'CloudFormation removed what it had made; fix the cause above, ' +
          'then `lottery deploy` again (it deletes the failed stack first)'
        : 'CloudFormation put the stack back as it was; fix the cause above, ' +
          'then `lottery deploy` again';
    throw operationFailed(doing, stack, events, hint);
  }
  return stack;
}
