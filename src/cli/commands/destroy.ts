import { existsSync } from 'node:fs';
import { deleteTables } from '../../aws/dynamo';
import { describeStack, deleteStack, stackResources } from '../../aws/stack';
import { deleteTablesCommand, listNames, settingsToForget } from '../../ops/deploy';
import { LotteryError } from '../../core/errors';
import { isBusy, isLotteryStack, succeeded } from '../../ops/stack';
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
    const stack = await describeStack(clients.cloudformation, stackName, signal);
    if (!stack) {
      throw new LotteryError(
        'environment',
        `there is no stack ${stackName} in ${region}${config.endpointUrl ? ` at ${config.endpointUrl}` : ''}`,
        {
          hint: 'check --stack-name and --region (`lottery config show` shows the settings in use)',
        },
      );
    }
    if (!isLotteryStack(stack)) {
      throw new LotteryError(
        'usage',
        `stack ${stackName} was not made by \`lottery deploy\`: refusing to delete it`,
        { hint: 'check --stack-name; delete other stacks with the CloudFormation console' },
      );
    }
    if (isBusy(stack.status)) {
      throw new LotteryError('environment', `stack ${stackName} is busy: ${stack.status}`, {
        hint: 'wait until it is done (`lottery doctor` shows its status), then run `lottery destroy` again',
      });
    }
    // Sorted: CloudFormation lists a stack's resources in no order it promises.
    const tables = (
      await stackResources(clients.cloudformation, stack.stackId, 'AWS::DynamoDB::Table')
    )
      .map((table) => table.physicalId)
      .sort();
    const what = `stack ${stackName} (${stack.status}) in ${region}`;
    output.info(
      `Deleting ${what} removes its functions, state machine, topic, API, roles and logs.`,
    );
    if (tables.length > 0) {
      output.info(
        options.deleteTables
          ? output.err.red(`The tables ${listNames(tables)} are deleted too, with all their data.`)
          : `The tables ${listNames(tables)} are kept, with their data.`,
      );
    }
    if (!options.yes) {
      if (!output.interactive)
        throw new LotteryError('usage', `refusing to delete ${what} without confirmation`, {
          hint: 'run it in a terminal to be asked, or pass --yes',
        });
      if (
        !(await confirm(
          context,
          options.deleteTables && tables.length > 0
            ? `Delete stack ${stackName} and the tables ${listNames(tables)} with all their data?`
            : `Delete stack ${stackName}?`,
        ))
      ) {
        output.info('Nothing was deleted.');
        return;
      }
    }

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
    const file = userConfigPath(output.streams.env);
    const saved = existsSync(file) ? (readConfigFile(file).values as Record<string, unknown>) : {};
    const forgotten = updateConfigFile(
      file,
      {},
      settingsToForget(saved, stack, options.deleteTables ?? false),
    );
    const kept = tables.filter((table) => !deleted.includes(table));

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
        `Kept the tables ${listNames(kept)}, with their data. To delete them: ${deleteTablesCommand(region, kept)}`,
      );
    }
    if (forgotten.length > 0) output.info(`Removed ${forgotten.join(', ')} from ${file}.`);
  } finally {
    clients.destroy();
  }
}
