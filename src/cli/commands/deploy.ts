import { randomUUID } from 'node:crypto';
import { callerIdentity } from '../../aws/account';
import { existingTables } from '../../aws/dynamo';
import { ensureBucket, uploadOnce, zipBundle } from '../../aws/artifacts';
import {
  createChangeSet,
  deleteChangeSet,
  deleteStack,
  describeStack,
  executeChangeSet,
  originalTemplate,
} from '../../aws/stack';
import {
  STACK_PARAMETERS,
  artifactBucketName,
  changeSetParameters,
  changedParameters,
  deleteTablesCommand,
  describeDifferences,
  listNames,
  parameterProblems,
  settingsFromStack,
  shadowedSettings,
  type SavedSettings,
} from '../../ops/deploy';
import { LotteryError } from '../../core/errors';
import { DRAWS_TABLE, EMPLOYEE_TABLE, WINNERS_TABLE } from '../../core/names';
import {
  orderChanges,
  planDeploy,
  succeeded,
  summarizeChanges,
  type ResourceChange,
  type StackFacts,
  type StackOperation,
} from '../../ops/stack';
import { compareTemplates, parseTemplate } from '../../ops/template';
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
import { oneOrMany } from '../../core/plural';

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
    output.warn(
      `${change.logicalId} (${change.resourceType}) is ${change.action === 'Remove' ? 'removed from the stack' : 'replaced'}: the table is kept (its policies say Retain), but the stack will no longer use its data`,
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
  const target = `lottery --target aws${context.config.endpointUrl ? ` --endpoint-url ${context.config.endpointUrl}` : ''} draw -n 2`;
  output.info(
    output.err.green(
      `Stack ${stack.name} is ${outcome === 'unchanged' ? 'up to date' : outcome} (${stack.status}).`,
    ) + ` Next: ${target}`,
  );
}

/**
 * `lottery deploy`: the package's template and functions to a CloudFormation stack, through a
 * change set that is shown and confirmed, with the stack's events followed as they happen.
 */
export async function deploy(options: DeployOptions, context: CommandContext): Promise<void> {
  const { output, config, signal } = context;
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
    const { account, partition } = await callerIdentity(clients.sts);
    const bucket = options.bucket ?? artifactBucketName(account, region);
    const template = bundled.templateIn(bucket);

    const existing = await describeStack(clients.cloudformation, stackName, signal);
    const plan = planDeploy(existing);
    if (plan.kind === 'refuse')
      throw new LotteryError('environment', plan.why, { hint: plan.hint });

    if (plan.kind === 'update' && existing) {
      const deployed = parseTemplate(
        await originalTemplate(clients.cloudformation, existing.stackId, signal),
      );
      const differences = describeDifferences(
        compareTemplates(deployed, template),
        bundled.functions,
        changedParameters(given, existing),
      );
      if (differences.length === 0) {
        output.info(
          `No change: stack ${stackName} already runs this version's template and functions.`,
        );
        report(context, options, existing, region, 'unchanged');
        return;
      }
      output.info(`Stack ${stackName} (${existing.status}) differs in: ${differences.join('; ')}.`);
    } else {
      const prefix = options.prefix ?? '';
      const inTheWay = await existingTables(
        clients.dynamodb,
        [EMPLOYEE_TABLE, WINNERS_TABLE, DRAWS_TABLE].map((table) => `${prefix}${table}`),
      );
      if (inTheWay.length > 0) {
        throw new LotteryError(
          'environment',
          `the ${oneOrMany(inTheWay.length, 'table')} ${listNames(inTheWay)} already ${oneOrMany(inTheWay.length, 'exists', 'exist')} outside any stack (kept by an earlier \`lottery destroy\`, or made by hand): a new stack cannot create ${oneOrMany(inTheWay.length, 'it', 'them')}`,
          {
            hint: `deploy with another --prefix, or delete them (their data first: \`lottery --target aws winners export --out winners.csv\`): ${deleteTablesCommand(region, inTheWay)}`,
          },
        );
      }
    }

    if (!options.yes && !output.interactive) {
      throw new LotteryError(
        'usage',
        `refusing to ${plan.kind === 'update' ? 'update' : 'create'} stack ${stackName} without confirmation`,
        { hint: 'run it in a terminal to see the changes and be asked, or pass --yes' },
      );
    }

    if (plan.kind === 'recreate' && existing) {
      output.info(
        `Stack ${stackName} is ROLLBACK_COMPLETE: its creation failed and nothing of it is left but the stack itself.`,
      );
      if (
        !options.yes &&
        !(await confirm(context, `Delete stack ${stackName} and create it again?`))
      ) {
        output.info('Nothing was changed.');
        return;
      }
      const { stack, events } = await runStackOperation(context, clients, {
        stackId: existing.stackId,
        doing: `Deleting the failed stack ${stackName}`,
        start: (token) => deleteStack(clients.cloudformation, existing.stackId, token),
      });
      if (!succeeded('delete', stack.status))
        throw operationFailed(
          'Deleting',
          stack,
          events,
          'see the stack in the CloudFormation console',
        );
    }

    const plainHttp = config.endpointUrl?.startsWith('http:') ?? false;
    const created = await ensureBucket(clients.s3, {
      bucket,
      account,
      region,
      partition,
      create: options.bucket === undefined,
      plainHttp,
    });
    if (created)
      output.info(
        `Created the artefact bucket ${bucket} (private, encrypted${plainHttp ? '' : ', TLS only'}).`,
      );
    for (const bundle of bundled.bundles) {
      const uploaded = await uploadOnce(clients.s3, {
        bucket,
        key: bundle.key,
        body: () => zipBundle(bundle),
        account,
      });
      output.info(
        output.err.dim(
          `  ${uploaded ? `uploaded ${bundle.name} (${Math.round(uploaded / 1024)} KiB zipped)` : `${bundle.name} is there already`}: s3://${bucket}/${bundle.key}`,
        ),
      );
    }

    const operation: StackOperation = plan.kind === 'update' ? 'update' : 'create';
    const spinner = await output.spinner('Asking CloudFormation what would change…');
    const changeSet = await createChangeSet(
      clients.cloudformation,
      {
        stackName,
        changeSetName: `lottery-deploy-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`,
        type: operation === 'update' ? 'UPDATE' : 'CREATE',
        templateBody: JSON.stringify(template),
        parameters: changeSetParameters(
          given,
          operation === 'update' ? existing : undefined,
          Object.keys(bundled.source.Parameters ?? {}),
        ),
        description: 'lottery deploy',
      },
      signal,
      config.pollIntervalMs,
    )
      .catch((error: unknown) => {
        if (signal.aborted)
          throw interrupted(
            'stopped while CloudFormation was preparing the change set; nothing was applied',
            error,
          );
        throw error;
      })
      .finally(() => spinner.stop());

    /** A change set not applied is removed, and with it a stack that only it made. */
    const discard = async (id: string, stackId: string) => {
      await deleteChangeSet(clients.cloudformation, id, stackId);
      if (operation === 'create')
        await deleteStack(clients.cloudformation, stackId, `lottery-${randomUUID()}`);
    };
    if (changeSet.kind === 'no-change') {
      if (changeSet.id && changeSet.stackId)
        await deleteChangeSet(clients.cloudformation, changeSet.id, changeSet.stackId);
      output.info(`No change: CloudFormation finds nothing to do in stack ${stackName}.`);
      const current = await describeStack(clients.cloudformation, stackName, signal);
      if (current) report(context, options, current, region, 'unchanged');
      return;
    }
    if (changeSet.kind === 'failed') {
      await discard(changeSet.id, changeSet.stackId);
      throw new LotteryError(
        'service',
        `CloudFormation refused the change set: ${oneLine(changeSet.reason)}`,
        {
          hint: 'nothing was changed; if the reason names a permission, the credentials in use need it',
        },
      );
    }

    showChanges(context, changeSet.changes);
    const question =
      operation === 'create'
        ? `Create stack ${stackName} in ${region}?`
        : `Apply these changes to stack ${stackName}?`;
    // Ctrl-C at the question is a no as well: the change set goes either way.
    const approved =
      options.yes ||
      (await confirm(context, question).catch(async (error: unknown) => {
        await discard(changeSet.id, changeSet.stackId);
        throw error;
      }));
    if (!approved) {
      await discard(changeSet.id, changeSet.stackId);
      output.info('Nothing was changed.');
      return;
    }

    const { stack, events } = await runStackOperation(context, clients, {
      stackId: changeSet.stackId,
      doing: `${operation === 'create' ? 'Creating' : 'Updating'} stack ${stackName}`,
      start: (token) =>
        executeChangeSet(clients.cloudformation, changeSet.id, changeSet.stackId, token),
    });
    if (!succeeded(operation, stack.status)) {
      const hint =
        stack.status === 'ROLLBACK_COMPLETE'
          ? 'CloudFormation removed what it had made; fix the cause above, then `lottery deploy` again (it deletes the failed stack first)'
          : 'CloudFormation put the stack back as it was; fix the cause above, then `lottery deploy` again';
      throw operationFailed(operation === 'create' ? 'Creating' : 'Updating', stack, events, hint);
    }
    report(context, options, stack, region, operation === 'create' ? 'created' : 'updated');
  } finally {
    clients.destroy();
  }
}
