import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program';
import { ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// The completion scripts `lottery completion` prints (in process, runMain), run by the shells
// themselves: bash's by calling its completion function as bash does (COMP_WORDS, COMP_CWORD,
// COMP_LINE, COMP_POINT), fish's by asking fish (complete -C). Pressing Tab at a real prompt, with
// the scripts the built binary prints, is in test/e2e/completion.test.ts.

let home: string;
let cleanup: () => void;
let scratch: string;
let scriptFile: string;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  scratch = mkdtempSync(join(tmpdir(), 'lottery-completion-'));
  const printed = await runMain(['completion', 'bash'], { home });
  // In ~/.bashrc, anything on stderr would greet every new shell.
  expect(printed).toMatchObject({ code: 0, stderr: '' });
  scriptFile = join(scratch, 'lottery.bash');
  writeFileSync(scriptFile, printed.stdout);
});
afterAll(() => {
  cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const program = buildProgram('0.0.0', async () => {});
const subcommand = (parent: Command, name: string) =>
  parent.commands.find((command) => command.name() === name) ?? expect.fail(`no command ${name}`);
const longs = (command: Command) =>
  command.options.flatMap((option) => (option.long ? [option.long] : []));
const globalLongs = longs(program).filter((flag) => flag !== '--version');
/** What `lottery <parent> --help` lists as its commands. */
const commandsOf = (parent: Command) =>
  parent
    .createHelp()
    .visibleCommands(parent)
    .map((command) => command.name());

/**
 * The words bash hands a completion function: split at blanks, and around "=", a COMP_WORDBREAKS
 * character.
 */
const wordsOf = (line: string) =>
  line
    .split(' ')
    .flatMap((word) => (word === '' ? [''] : word.split(/(=)/).filter((part) => part !== '')));

/**
 * The candidates the completion offers with the cursor at the end of `line`, run from the
 * repository root.
 */
function complete(line: string): string[] {
  const harness = `
    source "$1"; shift
    COMP_LINE=$1; COMP_POINT=\${#COMP_LINE}; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    re='-F ([^ ]+)'
    [[ $(complete -p lottery) =~ $re ]] || exit 3
    "\${BASH_REMATCH[1]}" lottery "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync(
    'bash',
    ['--norc', '--noprofile', '-c', harness, 'bash', scriptFile, line, ...wordsOf(line)],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BASH_ENV: undefined } },
  );
  expect(result.stderr, line).toBe('');
  expect(result.status, line).toBe(0);
  return result.stdout.split('\n').filter(Boolean).sort();
}

const sorted = (items: readonly string[]) => [...items].sort();

describe('bash completion of lottery', () => {
  it('completes command names', () => {
    expect(complete('lottery d')).toContain('draw');
    expect(complete('lottery d')).toEqual(
      sorted(commandsOf(program).filter((name) => name.startsWith('d'))),
    );
    expect(complete('lottery ')).toEqual(
      expect.arrayContaining([
        'seed',
        'draw',
        'winners',
        'reset',
        'local',
        'verify',
        'announce',
        'employees',
        'completion',
        'help',
      ]),
    );
    expect(complete('lottery ')).toEqual(sorted(commandsOf(program)));
    expect(complete('lottery re')).toEqual(['redraw', 'reset']);
    expect(complete('lottery res')).toEqual(['reset']);
  });

  it('completes subcommand names', () => {
    expect(complete('lottery winners ')).toContain('list');
    expect(complete('lottery winners ')).toEqual(
      sorted(commandsOf(subcommand(program, 'winners'))),
    );
    expect(complete('lottery employees ')).toEqual(expect.arrayContaining(['list', 'count']));
    expect(complete('lottery local s')).toEqual(['serve']);
    expect(complete('lottery help w')).toEqual(['winners']);
  });

  it('completes the options of the command being typed, with the global options', () => {
    const draw = complete('lottery draw --');
    expect(draw).toEqual(
      expect.arrayContaining([
        '--winners',
        '--prize',
        '--seed',
        '--name',
        '--attach',
        '--json',
        '--help',
        '--target',
        '--region',
        '--quiet',
      ]),
    );
    expect(draw).toEqual(sorted([...longs(subcommand(program, 'draw')), '--help', ...globalLongs]));
    expect(draw).not.toContain('--version');
    expect(draw).not.toContain('--file');
    expect(complete('lottery seed --d')).toEqual(['--debug', '--dry-run']);
    expect(complete('lottery winners list --')).toEqual(
      sorted([
        ...longs(subcommand(subcommand(program, 'winners'), 'list')),
        '--help',
        ...globalLongs,
      ]),
    );
    expect(complete('lottery --')).toEqual(sorted([...longs(program), '--help']));
    expect(complete('lottery -')).toEqual(expect.arrayContaining(['-V', '-q', '-h', '--version']));
  });

  it('offers options, without a "-" typed, once a command has nothing else to take', () => {
    expect(complete('lottery reset ')).toEqual(
      sorted([...longs(subcommand(program, 'reset')), '--help', ...globalLongs]),
    );
    expect(complete('lottery announce ')).toEqual([]);
    expect(complete('lottery announce draw-1 --f')).toEqual(['--force']);
  });

  it('completes the choices of --target, wherever it is and however its value is written', () => {
    expect(complete('lottery --target ')).toEqual(['aws', 'local']);
    expect(complete('lottery --target a')).toEqual(['aws']);
    expect(complete('lottery draw --target l')).toEqual(['local']);
    expect(complete('lottery --target=')).toEqual(['aws', 'local']);
    expect(complete('lottery --target=a')).toEqual(['aws']);
  });

  it('completes the choices declared for --format, --status and the shell of completion', () => {
    expect(complete('lottery winners list --format ')).toEqual(['csv', 'json', 'table']);
    expect(complete('lottery winners export --format=j')).toEqual(['json']);
    expect(complete('lottery draws list --status F')).toEqual(['FAILED']);
    expect(complete('lottery completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('completes file names for options that take a file', () => {
    expect(complete('lottery seed --file fix')).toEqual(['fixtures/']);
    expect(complete('lottery seed -f fixtures/r')).toEqual(['fixtures/request-items.json']);
    expect(complete('lottery seed --file=fixtures/e')).toEqual(['fixtures/employees.csv']);
    expect(complete('lottery verify draw-1 --save-pool fix')).toEqual(['fixtures/']);
  });

  it('offers nothing for a value that is not a file nor a choice, and does not take it for a command', () => {
    expect(complete('lottery draw --winners ')).toEqual([]);
    expect(complete('lottery draw --prize fix')).toEqual([]);
    expect(complete('lottery --region eu-west-1 dra')).toEqual(
      sorted(commandsOf(program).filter((name) => name.startsWith('dra'))),
    );
    expect(complete('lottery --region seed ')).toEqual(sorted(commandsOf(program)));
    expect(complete('lottery draw -n 2 --p')).toEqual(['--prize', '--profile']);
    expect(complete('lottery -q winners list --j')).toEqual(['--json']);
  });
});

describe('lottery completion', () => {
  it('prints the zsh and fish scripts', async () => {
    const zsh = await runMain(['completion', 'zsh'], { home });
    expect(zsh).toMatchObject({ code: 0, stderr: '' });
    expect(zsh.stdout).toMatch(/^#compdef lottery\n/);
    const fish = await runMain(['completion', 'fish'], { home });
    expect(fish).toMatchObject({ code: 0, stderr: '' });
    expect(fish.stdout).toContain("complete -c lottery -n '__lottery_at lottery' -a draw -d ");
  });

  it('refuses another shell as a usage error, naming the shells it knows', async () => {
    const refused = await runMain(['completion', 'tcsh'], { home });
    expect(refused).toMatchObject({ code: 252, stdout: '' });
    expect(refused.stderr).toContain('bash, zsh, fish');
  });
});

describe('fish completion, asked of fish itself', () => {
  let script: string;
  beforeAll(async () => {
    script = join(scratch, 'lottery.fish');
    writeFileSync(script, (await runMain(['completion', 'fish'], { home })).stdout);
  });

  /**
   * What fish offers for the command line `line` (`complete -C`), without descriptions, from the
   * repository root.
   */
  function complete(line: string): string[] {
    const result = spawnSync(
      'fish',
      ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', script, line],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(result.stderr, line).toBe('');
    expect(result.status, line).toBe(0);
    return result.stdout
      .split('\n')
      .filter(Boolean)
      .map((candidate) => candidate.split('\t')[0] ?? '')
      .sort();
  }

  it('completes commands, subcommands and options', () => {
    expect(complete('lottery ')).toEqual(sorted(commandsOf(program)));
    expect(complete('lottery winners ')).toEqual(
      sorted(commandsOf(subcommand(program, 'winners'))),
    );
    expect(complete('lottery draw --w')).toEqual(['--winners']);
  });

  it('offers the declared choices of options and arguments, and file names where a file is taken', () => {
    expect(complete('lottery --target ')).toEqual(['aws', 'local']);
    expect(complete('lottery winners list --format ')).toEqual(['csv', 'json', 'table']);
    expect(complete('lottery draws list --status ')).toEqual([
      'ABORTED',
      'FAILED',
      'RUNNING',
      'SUCCEEDED',
      'TIMED_OUT',
    ]);
    expect(complete('lottery completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(complete('lottery seed --file fix')).toEqual(['fixtures/']);
    expect(complete('lottery draw --winners ')).toEqual([]);
  });
});
