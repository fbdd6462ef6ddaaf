import { existsSync } from 'node:fs';
import { deleteTables } from '../../aws/dynamo';
import { describeStack, deleteStack, stackResources } from '../../aws/stack';
import { deleteTablesCommand, destroyable, listNames, settingsToForget } from '../../ops/deploy';
import { LotteryError } from '../../core/errors';
import { succeeded, type StackFacts } from '../../ops/stack';
import { readConfigFile, updateConfigFile, userConfigPath } from '../config-files';
import type { CommandContext } from '../context';
import { confirm } from '../prompt';
import { openStackSession } from '../session';
import type { DestroyOptions } from '../options';
import { operationFailed, runStackOperation, stackNameOption } from '../stack-operation';

/**
 * `lottery destroy`: deletes the stack `lottery deploy` made and follows it. The tables are kept
 * with their data (their DeletionPolicy is RetainExceptOnCreate) unless --delete-tables says
 * otherwise.
 */
export async function destroy(options: DestroyOptions, context: CommandContext): Promise<void> {
  const { output, config, signal } = context;
  const stackName = stackNameOption(options.stackName, config.stackName);
  const { clients, region } = await openStackSession(config, output);
  try {
    const where = `in ${region}${config.endpointUrl ? ` at ${config.endpointUrl}` : ''}`;
    const found = await describeStack(clients.cloudformation, stackName, signal);
    const checked = destroyable(stackName, found, where);
    if (!checked.ok) throw new LotteryError(checked.kind, checked.why, { hint: checked.hint });
    const { stack } = checked;
    // Sorted: CloudFormation lists a stack's resources in no order it promises.
    const tables = (
      await stackResources(clients.cloudformation, stack.stackId, 'AWS::DynamoDB::Table')
    )
      .map((table) => table.physicalId)
      .sort();
    if (!(await confirmDestroy(context, options, { stackName, stack, region, tables }))) return;

    const { stack: ended, events } = await runStackOperation(context, clients, {
      stackId: stack.stackId,
      doing: `Deleting stack ${stackName}`,
      start: (token) => deleteStack(clients.cloudformation, stack.stackId, token),
    });
    if (!succeeded('delete', ended.status))
      throw operationFailed(
        'Deleting',
        ended,
        events,
        'fix the cause above (or delete the resource by hand), then run `lottery destroy` again',
      );
    const deleted = options.deleteTables ? await deleteTables(clients.dynamodb, tables) : [];
    const kept = tables.filter((table) => !deleted.includes(table));
    const { file, forgotten } = forgetSettings(context, stack, options.deleteTables ?? false);
    if (options.json) {
      output.json({
        stack: stackName,
        stackId: stack.stackId,
        region,
        status: ended.status,
        tablesKept: kept,
        tablesDeleted: deleted,
        configFile: file,
        forgotten,
      });
      return;
    }
    output.result(`Stack ${stackName} is deleted.`);
    if (deleted.length > 0) output.result(`Deleted the tables ${listNames(deleted)}.`);
    if (kept.length > 0) {
      output.result(
        `Kept the tables ${listNames(kept)}, with their data. ` +
          `To delete them: ${deleteTablesCommand(region, kept)}`,
      );
    }
    if (forgotten.length > 0) output.info(`Removed ${forgotten.join(', ')} from ${file}.`);
  } finally {
    clients.destroy();
  }
}

/** Says what goes and what stays, and asks (or needs --yes); false when the person said no. */
async function confirmDestroy(
  context: CommandContext,
  options: DestroyOptions,
  what: { stackName: string; stack: StackFacts; region: string; tables: readonly string[] },
): Promise<boolean> {
  const { output } = context;
  const { stackName, stack, tables } = what;
  const deleteTables = options.deleteTables && tables.length > 0;
  const named = `stack ${stackName} (${stack.status}) in ${what.region}`;
  output.info(
    `Deleting ${named} removes its functions, state machine, topic, API, roles and logs.`,
  );
  if (tables.length > 0) {
    output.info(
      options.deleteTables
        ? output.err.red(`The tables ${listNames(tables)} are deleted too, with all their data.`)
        : `The tables ${listNames(tables)} are kept, with their data.`,
    );
  }
  if (options.yes) return true;
  if (!output.interactive)
    throw new LotteryError('usage', `refusing to delete ${named} without confirmation`, {
      hint: 'run it in a terminal to be asked, or pass --yes',
    });
  const question = deleteTables
    ? `Delete stack ${stackName} and the tables ${listNames(tables)} with all their data?`
    : `Delete stack ${stackName}?`;
  if (await confirm(context, question)) return true;
  output.info('Nothing was deleted.');
  return false;
}

/** The saved settings that name what is gone, removed from the user's config file. */
function forgetSettings(
  context: CommandContext,
  stack: StackFacts,
  tablesDeleted: boolean,
): { file: string; forgotten: string[] } {
  const file = userConfigPath(context.output.streams.env);
  const saved = existsSync(file) ? (readConfigFile(file).values as Record<string, unknown>) : {};
  const forgotten = updateConfigFile(file, {}, settingsToForget(saved, stack, tablesDeleted));
  return { file, forgotten };
}
