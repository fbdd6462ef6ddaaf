import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { CommandContext } from './context';
import {
  type CompletionOptions,
  announceCommand,
  redrawCommand,
  completionCommand,
  examples,
  configShowCommand,
  deployCommand,
  destroyCommand,
  doctorCommand,
  drawCommand,
  drawsListCommand,
  drawsRecordCommand,
  employeesCountCommand,
  employeesExcludeCommand,
  employeesIncludeCommand,
  employeesListCommand,
  globalOptions,
  localEnvCommand,
  localServeCommand,
  prizesClearCommand,
  prizesListCommand,
  prizesLoadCommand,
  resetCommand,
  seedCommand,
  showCommand,
  verifyCommand,
  winnersExportCommand,
  winnersListCommand,
} from './options';

// The program: each command of options.ts with its action. A command's module is imported only
// when it runs, so that `lottery --help` loads nothing but the declarations and commander.

/**
 * Runs a command's function with its parsed options and a context built from the global options.
 */
export type Runner = <O>(
  command: CommandUnknownOpts,
  load: () => Promise<(options: O, context: CommandContext) => Promise<void>>,
  options: O,
) => Promise<void>;

export function buildProgram(version: string, run: Runner) {
  const program = globalOptions()
    .description('Run prize draws on AWS Step Functions, or offline on an embedded local backend.')
    .version(version, '-V, --version')
    .showSuggestionAfterError()
    .addHelpText(
      'before',
      examples(
        'lottery seed',
        'lottery draw --winners 2',
        'lottery winners list',
        'lottery reset --yes',
        'lottery --target aws --region eu-west-1 draw --winners 3',
      ),
    );

  program.addCommand(
    seedCommand().action((options, command) =>
      run(command, async () => (await import('./commands/seed')).seed, options),
    ),
  );
  program.addCommand(
    drawCommand().action((options, command) =>
      run(command, async () => (await import('./commands/draw')).draw, options),
    ),
  );
  program.addCommand(
    redrawCommand().action((draw, employeeId, options, command) =>
      run(command, async () => (await import('./commands/draw')).redraw, {
        ...options,
        draw,
        employeeId,
      }),
    ),
  );
  program.addCommand(
    showCommand().action((options, command) =>
      run(command, async () => (await import('./commands/show')).show, options),
    ),
  );
  program.addCommand(
    announceCommand().action((draw, options, command) =>
      run(command, async () => (await import('./commands/announce')).announce, {
        ...options,
        draw,
      }),
    ),
  );
  program.addCommand(
    verifyCommand().action((draw, options, command) =>
      run(command, async () => (await import('./commands/verify')).verify, { ...options, draw }),
    ),
  );
  program.addCommand(
    doctorCommand().action((options, command) =>
      run(command, async () => (await import('./commands/doctor')).doctor, options),
    ),
  );

  const winners = program.command('winners').description('the people who have won');
  winners.addCommand(
    winnersListCommand().action((options, command) =>
      run(command, async () => (await import('./commands/winners')).winnersList, options),
    ),
  );
  winners.addCommand(
    winnersExportCommand().action((options, command) =>
      run(command, async () => (await import('./commands/winners')).winnersExport, options),
    ),
  );

  const draws = program
    .command('draws')
    .description("draws that ran, from the state machine's executions");
  draws.addCommand(
    drawsListCommand().action((options, command) =>
      run(command, async () => (await import('./commands/draws')).drawsList, options),
    ),
  );
  draws.addCommand(
    drawsRecordCommand().action((ids, options, command) =>
      run(command, async () => (await import('./commands/record')).drawsRecord, {
        ...options,
        draws: ids,
      }),
    ),
  );

  const employees = program.command('employees').description('the pool of people who can win');
  employees.addCommand(
    employeesListCommand().action((options, command) =>
      run(command, async () => (await import('./commands/employees')).employeesList, options),
    ),
  );
  employees.addCommand(
    employeesCountCommand().action((options, command) =>
      run(command, async () => (await import('./commands/employees')).employeesCount, options),
    ),
  );
  employees.addCommand(
    employeesExcludeCommand().action((ids, options, command) =>
      run(command, async () => (await import('./commands/employees')).employeesExclude, {
        ...options,
        ids,
      }),
    ),
  );
  employees.addCommand(
    employeesIncludeCommand().action((ids, options, command) =>
      run(command, async () => (await import('./commands/employees')).employeesInclude, {
        ...options,
        ids,
      }),
    ),
  );

  const prizes = program
    .command('prizes')
    .description('the prize plan: prizes in drawing order, each with how many win it');
  prizes.addCommand(
    prizesListCommand().action((options, command) =>
      run(command, async () => (await import('./commands/prizes')).prizesList, options),
    ),
    { isDefault: true },
  );
  prizes.addCommand(
    prizesLoadCommand().action((file, options, command) =>
      run(command, async () => (await import('./commands/prizes')).prizesLoad, {
        ...options,
        file,
      }),
    ),
  );
  prizes.addCommand(
    prizesClearCommand().action((options, command) =>
      run(command, async () => (await import('./commands/prizes')).prizesClear, options),
    ),
  );

  program.addCommand(
    resetCommand().action((options, command) =>
      run(command, async () => (await import('./commands/reset')).reset, options),
    ),
  );
  program.addCommand(
    deployCommand().action((options, command) =>
      run(command, async () => (await import('./commands/deploy')).deploy, options),
    ),
  );
  program.addCommand(
    destroyCommand().action((options, command) =>
      run(command, async () => (await import('./commands/destroy')).destroy, options),
    ),
  );

  const config = program.command('config').description('the settings in use');
  config.addCommand(
    configShowCommand().action((options, command) =>
      run(command, async () => (await import('./commands/config')).configShow, options),
    ),
  );

  const local = program.command('local').description('the embedded backend');
  local.addCommand(
    localServeCommand().action((options, command) =>
      run(command, async () => (await import('./commands/local-serve')).localServe, options),
    ),
  );
  local.addCommand(
    localEnvCommand().action((options, command) =>
      run(command, async () => (await import('./commands/local-env')).localEnv, options),
    ),
  );

  program.addCommand(
    completionCommand().action((shell, options, command) =>
      run(
        command,
        async () => {
          const { completion } = await import('./commands/completion');
          // The script describes this very program: its commands, options and arguments.
          return (options: CompletionOptions, context: CommandContext) =>
            completion(options, context, program);
        },
        { ...options, shell },
      ),
    ),
  );

  return program;
}
