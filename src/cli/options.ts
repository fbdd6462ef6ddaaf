import { Argument, Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { TARGETS } from '../core/config';
import {
  drawIdSchema,
  drawNameSchema,
  prizeSchema,
  seedSchema,
  winnersCountSchema,
} from '../core/draw';
import { reasonSchema } from '../core/reason';
import { check } from '../core/parse';
import type * as z from 'zod/mini';
import { SHELLS } from './completion';
import { DEFAULT_SUSPENSE_S, MAX_SUSPENSE_S } from './stage-settings';

// Every command, declared in one place with its options: commander parses and checks them
// (choices, parsers, conflicts, required options) and infers their types, which each command's
// module takes as its options. program.ts gives each declaration its action.

type OptionsOf<F extends () => { opts(): object }> = ReturnType<ReturnType<F>['opts']>;

/** Help starts with examples: most people read those and nothing else. */
export const examples = (...lines: string[]) =>
  `Examples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

/**
 * An option value parsed by a schema of the core; commander says which option and value were wrong.
 */
const parsedBy =
  <T>(schema: z.ZodMiniType<T>) =>
  (value: string): T => {
    const checked = check(schema, value);
    if (!checked.ok) throw new InvalidArgumentError(checked.error);
    return checked.value;
  };

/**
 * One of `choices`, in any letter case. Declared with .choices() too, for --help and the completion
 * scripts.
 */
const oneOf =
  <const T extends readonly string[]>(choices: T, letterCase: 'lower' | 'upper') =>
  (value: string): T[number] => {
    const normal = letterCase === 'lower' ? value.toLowerCase() : value.toUpperCase();
    const found = choices.find((choice) => choice === normal);
    if (found === undefined)
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return found;
  };

const wholeNumber = (min: number, max: number) => (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < min || number > max)
    throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
  return number;
};

const secondsUpTo = (max: number) => (value: string) => {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || seconds > max)
    throw new InvalidArgumentError(`expected seconds from 0 to ${max}`);
  return seconds;
};

export const globalOptions = () =>
  new Command('lottery')
    .addOption(
      new Option(
        '--target <target>',
        'where the draws run: local (the embedded backend) or aws',
      ).choices(TARGETS),
    )
    .option('--profile <name>', 'AWS profile (--target aws)')
    .option('--region <region>', 'AWS region (--target aws)')
    .option('--endpoint-url <url>', 'send AWS requests to this URL instead (--target aws)')
    .option('--state-machine-arn <arn>', 'the Lottery state machine, if it is not found by name')
    .option('--no-color', 'no colours, even on a terminal')
    .option('-q, --quiet', 'print results only, no progress or messages')
    .option('--debug', 'show stack traces of unexpected errors');
/** Options every command accepts (docs/commands.md, "Global options"). */
export type GlobalOptions = OptionsOf<typeof globalOptions>;

export const seedCommand = () =>
  new Command('seed')
    .description("load employees into the pool (the workshop's 10 when no file is given)")
    .option(
      '-f, --file <path>',
      "CSV with a header row, a JSON array, or the workshop's request-items.json",
    )
    .option('--dry-run', 'check the file and say what would change, without writing')
    .option(
      '--replace',
      'make the file the whole pool: remove employees it leaves out (asks first)',
    )
    .option('-y, --yes', 'with --replace: do not ask for confirmation')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'before',
      examples(
        'lottery seed',
        'lottery seed --file fixtures/employees.csv',
        'lottery seed --file staff.csv --dry-run',
        'lottery seed --file staff.csv --replace',
      ),
    );
export type SeedOptions = OptionsOf<typeof seedCommand>;

export const drawCommand = () =>
  new Command('draw')
    .description('draw winners: start the Lottery state machine and follow it state by state')
    .option('-n, --winners <count>', 'how many people to draw', parsedBy(winnersCountSchema))
    .option(
      '--prize <name>',
      'the prize, recorded with the winners (with a prize plan: how many comes from the plan)',
      parsedBy(prizeSchema),
    )
    .addOption(
      new Option('--next', 'draw the next prize of the prize plan that has winners left').conflicts(
        ['prize'],
      ),
    )
    .option(
      '--seed <hex>',
      'use this seed instead of a fresh random one (to reproduce a draw)',
      parsedBy(seedSchema),
    )
    .option(
      '--name <id>',
      'execution name; starting the same name again does not draw twice',
      parsedBy(drawNameSchema),
    )
    .addOption(
      new Option(
        '--attach <id>',
        'follow a draw that is already running (or show one that has ended)',
      )
        .argParser(parsedBy(drawIdSchema))
        .conflicts(['winners', 'name', 'prize', 'seed', 'next', 'beacon', 'beaconRound']),
    )
    .addOption(
      new Option(
        '--beacon',
        'seed the draw with a drand round that does not exist yet, committed to first: nobody, the operator included, can choose the winners',
      ).conflicts('seed'),
    )
    .addOption(
      new Option(
        '--beacon-round <file>',
        'embedded backend: if no relay has the round, read it from this file (as drand publishes it); verified, never trusted',
      ).conflicts('seed'),
    )
    .option(
      '--stage',
      'full screen for a room: names roll while the draw runs, then each winner is revealed (Enter or Space: next, q or Esc: leave)',
    )
    .option(
      '--suspense <seconds>',
      `with --stage: let names roll at least this long (default ${DEFAULT_SUSPENSE_S})`,
      secondsUpTo(MAX_SUSPENSE_S),
    )
    .option('--auto', 'with --stage: reveal the winners one after another by themselves')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'before',
      examples(
        'lottery draw --winners 2',
        'lottery draw --winners 3 --prize "Second prize"',
        'lottery draw --next --stage',
        'lottery draw -n 1 --prize "First prize" --beacon',
        'lottery draw -n 1 --name first-prize',
        'lottery draw --attach first-prize',
        'lottery draw -n 1 --json',
      ),
    );
export type DrawOptions = OptionsOf<typeof drawCommand>;

export const redrawCommand = () =>
  new Command('redraw')
    .description(
      'a winner forfeits (not in the room, declined): record why, and draw one replacement for the same prize',
    )
    .addArgument(
      new Argument('<draw>', 'the draw they won (id or execution ARN)').argParser(
        parsedBy(drawIdSchema),
      ),
    )
    .argument('<id>', 'the employee id of the winner who forfeits')
    .requiredOption(
      '--reason <text>',
      'why they forfeit (kept, and shown to auditors)',
      parsedBy(reasonSchema),
    )
    .option(
      '--eligible-again',
      'they may win again in a later draw of the event (never in their own replacement)',
    )
    .option(
      '--name <id>',
      "the replacement's execution name; the forfeit keeps it, so running the same redraw again follows it",
      parsedBy(drawNameSchema),
    )
    .addOption(
      new Option(
        '--beacon',
        'seed the replacement with a drand round that does not exist yet (as `draw --beacon`)',
      ),
    )
    .option('--stage', 'show the replacement full screen for the room (as `draw --stage`)')
    .option(
      '--suspense <seconds>',
      `with --stage: let names roll at least this long (default ${DEFAULT_SUSPENSE_S})`,
      secondsUpTo(MAX_SUSPENSE_S),
    )
    .option('--auto', 'with --stage: reveal the replacement by itself')
    .option('--json', 'print the replacement draw as JSON')
    .addHelpText(
      'before',
      examples(
        'lottery redraw draw-20261126-140106-5ab7 004 --reason "not present"',
        'lottery redraw first-prize 004 --reason "declined" --eligible-again',
        'lottery redraw first-prize 004 --reason "not present" --stage',
      ),
    );
export type RedrawOptions = OptionsOf<typeof redrawCommand> & {
  draw: string;
  employeeId: string;
};

export const announceCommand = () =>
  new Command('announce')
    .description("send a draw's announcement again, after it failed")
    .addArgument(
      new Argument('<draw>', 'the draw id (execution name) or execution ARN').argParser(
        parsedBy(drawIdSchema),
      ),
    )
    .option('--force', 'send it even if it was sent before')
    .option('--json', 'print the message id as JSON')
    .addHelpText('before', examples('lottery announce draw-20261126-140106-5ab7'));
export type AnnounceOptions = OptionsOf<typeof announceCommand> & { draw: string };

export const verifyCommand = () =>
  new Command('verify')
    .description(
      're-check a past draw from its seed, its pool and the records; with --event, every draw since the last reset and every forfeit',
    )
    .addArgument(
      new Argument('[draw]', 'the draw id (execution name) or execution ARN').argParser(
        parsedBy(drawIdSchema),
      ),
    )
    .option(
      '--event',
      'check every draw since the last reset, and list every forfeit with its reason',
    )
    .option(
      '--save-pool <file>',
      "write the draw's candidates as JSON, for checking by hand (docs/fairness.md)",
    )
    .option(
      '--record <file>',
      "check a draw's record (HTML or JSON, from `draws record`) without the backend",
    )
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'before',
      examples(
        'lottery verify draw-20261126-140106-5ab7',
        'lottery verify --event',
        'lottery verify draw-20261126-140106-5ab7 --save-pool candidates.json',
      ),
    );
/** `draw`: the draw id (execution name) or execution ARN; absent with --event. */
export type VerifyOptions = OptionsOf<typeof verifyCommand> & { draw?: string };

export const doctorCommand = () =>
  new Command('doctor')
    .description(
      'check the target: credentials, region, the state machine, the tables and the topic',
    )
    .option(
      '--fix',
      "repair what can be: give back people held by draws that are over, remove winners of draws that did not succeed, set winners' serials as the employee table has them, and count the pool again",
    )
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'before',
      examples(
        'lottery doctor',
        'lottery doctor --fix',
        'lottery --target aws --region eu-west-1 doctor',
        'lottery --target aws doctor --json',
      ),
    );
export type DoctorOptions = OptionsOf<typeof doctorCommand>;

export const WINNER_FORMATS = ['table', 'json', 'csv'] as const;
const EXPORT_FORMATS = ['csv', 'json'] as const;

export const winnersListCommand = () =>
  new Command('list')
    .description('list everyone who has won')
    .option('--prize <name>', 'only winners of this prize')
    .addOption(
      new Option('--format <format>', 'how to print them (default: table)')
        .choices(WINNER_FORMATS)
        .argParser(oneOf(WINNER_FORMATS, 'lower')),
    )
    .addOption(new Option('--json', 'the same as --format json').conflicts('format'))
    .addHelpText(
      'before',
      examples(
        'lottery winners list',
        'lottery winners list --prize "First prize"',
        'lottery winners list --format csv > winners.csv',
      ),
    );
export type WinnersListOptions = OptionsOf<typeof winnersListCommand>;

export const winnersExportCommand = () =>
  new Command('export')
    .description('write the winners to a file, for a spreadsheet or a script')
    .requiredOption('-o, --out <file>', 'the file to write (- for standard output)')
    .addOption(
      new Option('--format <format>', 'the file format (default: from the file name, else csv)')
        .choices(EXPORT_FORMATS)
        .argParser(oneOf(EXPORT_FORMATS, 'lower')),
    )
    .option('--prize <name>', 'only winners of this prize')
    .addHelpText(
      'before',
      examples(
        'lottery winners export --out winners.csv',
        'lottery winners export --out winners.json',
      ),
    );
export type WinnersExportOptions = OptionsOf<typeof winnersExportCommand>;

export const DRAW_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export const drawsListCommand = () =>
  new Command('list')
    .description('recent draws with their status, prize and winners')
    .option('--limit <count>', 'how many', wholeNumber(1, 1000), 20)
    .addOption(
      new Option('--status <status>', 'only draws with this status')
        .choices(DRAW_STATUSES)
        .argParser(oneOf(DRAW_STATUSES, 'upper')),
    )
    .option('--json', 'print them as JSON')
    .addHelpText(
      'before',
      examples('lottery draws list', 'lottery draws list --status FAILED --json'),
    );
export type DrawsListOptions = OptionsOf<typeof drawsListCommand>;

export const drawsRecordCommand = () =>
  new Command('record')
    .description(
      "write a draw's record that anyone can check offline: one HTML page that verifies itself, naming only the winners",
    )
    .addArgument(new Argument('[draws...]', 'the draw ids (execution names)'))
    .option('--event', 'every draw since the last reset, replacements and forfeits included')
    .option('--out <file>', 'write it to this file (HTML; JSON with --json)')
    .option('--json', 'write the record as JSON (to --out, else to stdout)')
    .addHelpText(
      'before',
      examples(
        'lottery draws record draw-20261126-140106-5ab7 --out draw.html',
        'lottery draws record --event --out party.html',
        'lottery verify --record party.html',
      ),
    );
export type DrawsRecordOptions = OptionsOf<typeof drawsRecordCommand> & { draws: string[] };

export const employeesListCommand = () =>
  new Command('list')
    .description('list the employees, with who is still eligible')
    .option('--eligible', 'only those who can still win')
    .option('--json', 'print them as JSON')
    .addHelpText(
      'before',
      examples('lottery employees list', 'lottery employees list --eligible --json'),
    );
export type EmployeesListOptions = OptionsOf<typeof employeesListCommand>;

export const employeesExcludeCommand = () =>
  new Command('exclude')
    .description(
      'exclude people from the event: they are never drawn; kept with the reason, and in the record of every draw',
    )
    .argument('<employee_id...>', 'the people to exclude')
    .requiredOption('--reason <text>', 'why (kept, and shown to auditors)', parsedBy(reasonSchema))
    .option('--json', 'print who was excluded as JSON')
    .addHelpText(
      'before',
      examples(
        'lottery employees exclude 004 007 --reason "board member"',
        'lottery employees include 004',
      ),
    );
export type EmployeesExcludeOptions = OptionsOf<typeof employeesExcludeCommand> & {
  ids: string[];
};

export const employeesIncludeCommand = () =>
  new Command('include')
    .description(
      'end the exclusion of people, so that they can be drawn again (it stays on record)',
    )
    .argument('<employee_id...>', 'the people to include again')
    .option('--json', 'print who was included as JSON')
    .addHelpText('before', examples('lottery employees include 004'));
export type EmployeesIncludeOptions = OptionsOf<typeof employeesIncludeCommand> & {
  ids: string[];
};

export const employeesCountCommand = () =>
  new Command('count')
    .description('count the employees, the eligible, the winners, the forfeited and the excluded')
    .option('--json', 'print the counts as JSON')
    .addHelpText('before', examples('lottery employees count'));
export type EmployeesCountOptions = OptionsOf<typeof employeesCountCommand>;

export const prizesListCommand = () =>
  new Command('list')
    .description(
      'each prize with its count, how many are drawn and how many are left (the default)',
    )
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'before',
      examples('lottery prizes', 'lottery prizes --json', 'lottery draw --next'),
    );
export type PrizesListOptions = OptionsOf<typeof prizesListCommand>;

export const prizesLoadCommand = () =>
  new Command('load')
    .description(
      'make a file the prize plan: CSV (prize,count,per_draw) or a JSON array, in drawing order',
    )
    .argument('<file>', 'the plan file')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'before',
      examples('lottery prizes load prizes.csv', 'lottery prizes load prizes.json --json'),
    );
export type PrizesLoadOptions = OptionsOf<typeof prizesLoadCommand> & { file: string };

export const prizesClearCommand = () =>
  new Command('clear')
    .description('remove the prize plan (the winners stay recorded)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print how many prizes were removed as JSON')
    .addHelpText('before', examples('lottery prizes clear', 'lottery prizes clear --yes'));
export type PrizesClearOptions = OptionsOf<typeof prizesClearCommand>;

export const resetCommand = () =>
  new Command('reset')
    .description('remove all winners, so that everyone is eligible again')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print how many were removed as JSON')
    .addHelpText('before', examples('lottery reset', 'lottery reset --yes'));
export type ResetOptions = OptionsOf<typeof resetCommand>;

export const deployCommand = () =>
  new Command('deploy')
    .description(
      'create or update the backend on AWS: upload the functions, apply a change set, follow the stack',
    )
    .option(
      '--stack-name <name>',
      'the CloudFormation stack (default: the stackName setting, else lottery)',
    )
    .option(
      '--prefix <prefix>',
      'prepended to every resource name, to run several stacks in one account (e.g. test-)',
    )
    .option('--notification-email <address>', 'subscribe this address to the announcements topic')
    .option(
      '--bucket <name>',
      'upload the functions to this bucket instead of the one deploy makes',
    )
    .option('-y, --yes', 'apply the changes without asking')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'before',
      examples(
        'lottery deploy --region eu-west-1',
        'lottery deploy --region eu-west-1 --yes',
        'lottery deploy --stack-name lottery-test --prefix test-',
        'lottery deploy --notification-email party@example.com',
      ),
    );
export type DeployOptions = OptionsOf<typeof deployCommand>;

export const destroyCommand = () =>
  new Command('destroy')
    .description(
      'delete the stack deploy made; the tables and their data are kept unless --delete-tables',
    )
    .option(
      '--stack-name <name>',
      'the CloudFormation stack (default: the stackName setting, else lottery)',
    )
    .option(
      '--delete-tables',
      'also delete the employee, winners and draws tables, with all their data',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'before',
      examples('lottery destroy', 'lottery destroy --yes', 'lottery destroy --delete-tables'),
    );
export type DestroyOptions = OptionsOf<typeof destroyCommand>;

export const configShowCommand = () =>
  new Command('show')
    .description('print every setting, its value and where it came from')
    .option('--json', 'print them as JSON')
    .addHelpText(
      'before',
      examples('lottery config show', 'lottery --target aws config show --json'),
    );
export type ConfigShowOptions = OptionsOf<typeof configShowCommand>;

export const localServeCommand = () =>
  new Command('serve')
    .description('run the embedded backend as a server that other commands share')
    .option('--port <port>', 'listen on this port (default: any free port)', wholeNumber(1, 65535))
    .addHelpText('before', examples('lottery local serve', 'lottery local serve --port 4566'));
export type LocalServeOptions = OptionsOf<typeof localServeCommand>;

export const localEnvCommand = () =>
  new Command('env')
    .description(
      'print the credentials, region and endpoint that let any AWS SDK reach `lottery local serve`',
    )
    .option('--json', 'print them as JSON')
    .addHelpText('before', examples('eval "$(lottery local env)"', 'lottery local env --json'));
export type LocalEnvOptions = OptionsOf<typeof localEnvCommand>;

export const showCommand = () =>
  new Command('show')
    .description(
      "the room's screen: a web page that shows each draw live, for a projector (read-only)",
    )
    .option(
      '--host <address>',
      'listen on this address: 127.0.0.1 by default; a LAN address (or 0.0.0.0) for another machine',
    )
    .option('--port <port>', 'listen on this port (default: any free port)', wholeNumber(1, 65535))
    .option('--open', 'open the page in the default browser')
    .option('--theme <file>', "a CSS file that replaces the page's style (colours, logo)")
    .option(
      '--suspense <seconds>',
      `names roll at least this long before the page reveals a draw nobody reveals from a terminal (default ${DEFAULT_SUSPENSE_S})`,
      secondsUpTo(MAX_SUSPENSE_S),
    )
    .addHelpText(
      'before',
      examples(
        'lottery show --open',
        'lottery show --host 0.0.0.0 --port 8080',
        'lottery show --theme party.css',
        'lottery draw --next --stage    # in another terminal',
      ),
    );
export type ShowOptions = OptionsOf<typeof showCommand>;

export const completionCommand = () =>
  new Command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'before',
      examples(
        'source <(lottery completion bash)      # in ~/.bashrc',
        'source <(lottery completion zsh)       # in ~/.zshrc, after compinit',
        'lottery completion fish > ~/.config/fish/completions/lottery.fish',
      ),
    );
export type CompletionOptions = OptionsOf<typeof completionCommand> & {
  shell: (typeof SHELLS)[number];
};
