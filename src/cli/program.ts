import { Command, Option } from 'commander';
import type { CommandContext, GlobalOptions } from './context';

/** Runs a command's function with its options and a context built from the global options. */
export type Runner = <O>(
  command: Command,
  load: () => Promise<(options: O, context: CommandContext) => Promise<void>>,
  /** Positional arguments, merged into the options. */
  args?: Record<string, string>,
) => Promise<void>;

/** Help starts with examples: most people read those and nothing else. */
const examples = (...lines: string[]) => `Examples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

/**
 * Every command, registered in one place. Each command's module is imported only when it runs,
 * so that `lottery --help` loads nothing but commander.
 */
export function buildProgram(version: string, run: Runner): Command {
  const program = new Command('lottery')
    .description('Run prize draws on AWS Step Functions, or offline on an embedded local backend.')
    .version(version, '-V, --version')
    .addOption(new Option('--target <target>', 'where the draws run: local (the embedded backend) or aws').choices(['local', 'aws']))
    .option('--profile <name>', 'AWS profile (--target aws)')
    .option('--region <region>', 'AWS region (--target aws)')
    .option('--endpoint-url <url>', 'send AWS requests to this URL instead (--target aws)')
    .option('--state-machine-arn <arn>', 'the Lottery state machine, if it is not found by name')
    .option('--no-color', 'no colours, even on a terminal')
    .option('-q, --quiet', 'print results only, no progress or messages')
    .option('--debug', 'show stack traces of unexpected errors')
    .showSuggestionAfterError()
    .addHelpText('before', examples('lottery seed', 'lottery draw --winners 2', 'lottery winners list', 'lottery reset --yes', 'lottery --target aws --region eu-west-1 draw --winners 3'));

  program
    .command('seed')
    .description('load employees into the pool (the workshop\'s 10 when no file is given)')
    .option('-f, --file <path>', 'CSV with a header row, a JSON array, or the workshop\'s request-items.json')
    .option('--dry-run', 'check the file and say what would change, without writing')
    .option('--replace', 'make the file the whole pool: remove employees it leaves out (asks first)')
    .option('-y, --yes', 'with --replace: do not ask for confirmation')
    .option('--json', 'print the summary as JSON')
    .addHelpText('before', examples('lottery seed', 'lottery seed --file fixtures/employees.csv', 'lottery seed --file staff.csv --dry-run', 'lottery seed --file staff.csv --replace'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/seed')).seed));

  program
    .command('draw')
    .description('draw winners: start the Lottery state machine and follow it state by state')
    .option('-n, --winners <count>', 'how many people to draw')
    .option('--prize <name>', 'the prize, recorded with the winners')
    .option('--seed <hex>', 'use this seed instead of a fresh random one (to reproduce a draw)')
    .option('--name <id>', 'execution name; starting the same name again does not draw twice')
    .option('--attach <id>', 'follow a draw that is already running (or show one that has ended)')
    .option('--json', 'print the result as JSON')
    .addHelpText('before', examples('lottery draw --winners 2', 'lottery draw --winners 3 --prize "Second prize"', 'lottery draw -n 1 --name first-prize', 'lottery draw --attach first-prize', 'lottery draw -n 1 --json'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/draw')).draw));

  program
    .command('announce')
    .description("send a draw's announcement again, after it failed")
    .argument('<draw>', 'the draw id (execution name) or execution ARN')
    .option('--force', 'send it even if it was sent before')
    .option('--json', 'print the message id as JSON')
    .addHelpText('before', examples('lottery announce draw-20261126-140106-5ab7'))
    .action((draw: string, _, command: Command) => run(command, async () => (await import('./commands/announce')).announce, { draw }));

  program
    .command('verify')
    .description('re-check a past draw from its seed, its pool and the records')
    .argument('<draw>', 'the draw id (execution name) or execution ARN')
    .option('--save-pool <file>', "write the draw's candidates as JSON, for checking by hand (README)")
    .option('--json', 'print the checks as JSON')
    .addHelpText('before', examples('lottery verify draw-20261126-140106-5ab7', 'lottery verify draw-20261126-140106-5ab7 --save-pool candidates.json'))
    .action((draw: string, _, command: Command) => run(command, async () => (await import('./commands/verify')).verify, { draw }));

  program
    .command('doctor')
    .description('check the target: credentials, region, the state machine, the tables and the topic')
    .option('--json', 'print the checks as JSON')
    .addHelpText('before', examples('lottery doctor', 'lottery --target aws --region eu-west-1 doctor', 'lottery --target aws doctor --json'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/doctor')).doctor));

  const winners = program.command('winners').description('the people who have won');
  winners
    .command('list')
    .description('list everyone who has won')
    .option('--prize <name>', 'only winners of this prize')
    .option('--format <format>', 'table (default), json or csv')
    .option('--json', 'the same as --format json')
    .addHelpText('before', examples('lottery winners list', 'lottery winners list --prize "First prize"', 'lottery winners list --format csv > winners.csv'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/winners')).winnersList));
  winners
    .command('export')
    .description('write the winners to a file, for a spreadsheet or a script')
    .requiredOption('-o, --out <file>', 'the file to write')
    .option('--format <format>', 'csv or json (default: from the file name, else csv)')
    .option('--prize <name>', 'only winners of this prize')
    .addHelpText('before', examples('lottery winners export --out winners.csv', 'lottery winners export --out winners.json'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/winners')).winnersExport));

  const draws = program.command('draws').description('draws that ran, from the state machine\'s executions');
  draws
    .command('list')
    .description('recent draws with their status, prize and winners')
    .option('--limit <count>', 'how many (default 20)')
    .option('--status <status>', 'only RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED draws')
    .option('--json', 'print them as JSON')
    .addHelpText('before', examples('lottery draws list', 'lottery draws list --status FAILED --json'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/draws')).drawsList));

  const employees = program.command('employees').description('the pool of people who can win');
  employees
    .command('list')
    .description('list the employees, with who is still eligible')
    .option('--eligible', 'only those who can still win')
    .option('--json', 'print them as JSON')
    .addHelpText('before', examples('lottery employees list', 'lottery employees list --eligible --json'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/employees')).employeesList));
  employees
    .command('count')
    .description('count the employees, the eligible and the winners')
    .option('--json', 'print the counts as JSON')
    .addHelpText('before', examples('lottery employees count'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/employees')).employeesCount));

  program
    .command('reset')
    .description('remove all winners, so that everyone is eligible again')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print how many were removed as JSON')
    .addHelpText('before', examples('lottery reset', 'lottery reset --yes'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/reset')).reset));

  program
    .command('deploy')
    .description('create or update the backend on AWS: upload the functions, apply a change set, follow the stack')
    .option('--stack-name <name>', 'the CloudFormation stack (default: the stackName setting, else lottery)')
    .option('--prefix <prefix>', 'prepended to every resource name, to run several stacks in one account (e.g. test-)')
    .option('--notification-email <address>', 'subscribe this address to the announcements topic')
    .option('--bucket <name>', 'upload the functions to this bucket instead of the one deploy makes')
    .option('-y, --yes', 'apply the changes without asking')
    .option('--json', 'print the result as JSON')
    .addHelpText('before', examples('lottery deploy --region eu-west-1', 'lottery deploy --region eu-west-1 --yes', 'lottery deploy --stack-name lottery-test --prefix test-', 'lottery deploy --notification-email party@example.com'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/deploy')).deploy));

  program
    .command('destroy')
    .description('delete the stack deploy made; the tables and their data are kept unless --delete-tables')
    .option('--stack-name <name>', 'the CloudFormation stack (default: the stackName setting, else lottery)')
    .option('--delete-tables', 'also delete the employee and winners tables, with all their data')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print the result as JSON')
    .addHelpText('before', examples('lottery destroy', 'lottery destroy --yes', 'lottery destroy --delete-tables'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/destroy')).destroy));

  const config = program.command('config').description('the settings in use');
  config
    .command('show')
    .description('print every setting, its value and where it came from')
    .option('--json', 'print them as JSON')
    .addHelpText('before', examples('lottery config show', 'lottery --target aws config show --json'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/config')).configShow));

  const local = program.command('local').description('the embedded backend');
  local
    .command('serve')
    .description('run the embedded backend as a server that other commands share')
    .option('--port <port>', 'listen on this port (default: any free port)')
    .addHelpText('before', examples('lottery local serve', 'lottery local serve --port 4566'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/local-serve')).localServe));
  local
    .command('env')
    .description('print the credentials, region and endpoint that let any AWS SDK reach `lottery local serve`')
    .option('--json', 'print them as JSON')
    .addHelpText('before', examples('eval "$(lottery local env)"', 'lottery local env --json'))
    .action((_, command: Command) => run(command, async () => (await import('./commands/local-env')).localEnv));

  program
    .command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('before', examples('source <(lottery completion bash)      # in ~/.bashrc', 'source <(lottery completion zsh)       # in ~/.zshrc, after compinit', 'lottery completion fish > ~/.config/fish/completions/lottery.fish'))
    .action((shell: string, _, command: Command) => run(command, async () => (await import('./commands/completion')).completion, { shell }));

  return program;
}

export type { GlobalOptions };
