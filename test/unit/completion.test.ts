import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command, Option, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { afterAll, describe, expect, it } from 'vitest';
import { completion } from '../../src/cli/commands/completion';
import { completionScript, describeProgram, SHELLS } from '../../src/cli/completion';
import type { CommandContext } from '../../src/cli/context';
import { Output } from '../../src/cli/output';
import { buildProgram } from '../../src/cli/program';
import { runMain } from '../helpers/main';

const program = () => buildProgram('9.9.9', async () => {});

const scratch = mkdtempSync(join(tmpdir(), 'lottery-completion-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function saved(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

/** Runs a shell on a script file and fails with what the shell said if it is not happy. */
function run(shell: string, args: readonly string[], input?: string): string {
  const result = spawnSync(shell, args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, BASH_ENV: undefined, ENV: undefined },
  });
  if (result.error) throw result.error;
  expect(result.stderr, `${shell} ${args.join(' ')}`).toBe('');
  expect(result.status, `${shell} ${args.join(' ')}`).toBe(0);
  return result.stdout;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

interface Expected {
  path: string;
  /** Subcommands and aliases, the implicit `help` included, as `lottery --help` lists them. */
  commands: Map<string, string>;
  /** Every flag accepted here, with its description. */
  flags: Map<string, string>;
  /** The flags that take a value. */
  valueFlags: Set<string>;
}

/** What each command accepts, read from commander directly (not through describeProgram). */
function expected(root: CommandUnknownOpts): Map<string, Expected> {
  const all = new Map<string, Expected>();
  const visit = (command: CommandUnknownOpts, path: string, inherited: Option[]) => {
    const help = command.createHelp();
    const own = help.visibleOptions(command);
    const flagsOf = (option: Option) =>
      [option.short, option.long].filter((flag) => flag !== undefined);
    const ownFlags = new Set(own.flatMap(flagsOf));
    const options = [
      ...own,
      ...inherited.filter((option) => !flagsOf(option).some((flag) => ownFlags.has(flag))),
    ];
    const entry: Expected = { path, commands: new Map(), flags: new Map(), valueFlags: new Set() };
    for (const option of options) {
      for (const flag of [option.short, option.long]) {
        if (!flag) continue;
        entry.flags.set(flag, oneLine(option.description));
        if (option.required || option.optional) entry.valueFlags.add(flag);
      }
    }
    all.set(path, entry);
    const passed = [
      ...command.options.filter((option) => option.long !== '--version'),
      ...inherited,
    ];
    for (const sub of help.visibleCommands(command)) {
      for (const name of [sub.name(), ...sub.aliases()])
        entry.commands.set(name, oneLine(sub.description()));
      visit(sub, `${path}/${sub.name()}`, passed);
    }
  };
  visit(root, root.name(), []);
  return all;
}

const TOP_LEVEL = ['seed', 'draw', 'announce', 'verify', 'winners', 'employees', 'reset', 'local'];
const SUBCOMMANDS = { winners: ['list'], employees: ['list', 'count'], local: ['serve'] };
const GLOBAL_LONGS = [
  '--target',
  '--profile',
  '--region',
  '--endpoint-url',
  '--state-machine-arn',
  '--no-color',
  '--quiet',
  '--debug',
];
const DRAW_FLAGS = [
  '-n',
  '--winners',
  '--prize',
  '--seed',
  '--name',
  '--attach',
  '--json',
  '-h',
  '--help',
  ...GLOBAL_LONGS,
  '-q',
];
const SEED_FLAGS = [
  '-f',
  '--file',
  '--dry-run',
  '--replace',
  '-y',
  '--yes',
  '--json',
  '-h',
  '--help',
  ...GLOBAL_LONGS,
  '-q',
];

describe('describeProgram', () => {
  const root = describeProgram(program());
  const find = (path: string) => {
    const spec = [
      root,
      ...root.subcommands,
      ...root.subcommands.flatMap((sub) => sub.subcommands),
    ].find((candidate) => candidate.path.join('/') === path);
    if (!spec) throw new Error(`no command ${path}`);
    return spec;
  };
  const option = (path: string, flag: string) =>
    find(path).options.find((candidate) => candidate.long === flag || candidate.short === flag);

  it("has every command of the program, with commander's implicit help commands", () => {
    expect(root.subcommands.map((sub) => sub.name)).toEqual(
      expect.arrayContaining([...TOP_LEVEL, 'help']),
    );
    for (const [parent, names] of Object.entries(SUBCOMMANDS))
      expect(find(`lottery/${parent}`).subcommands.map((sub) => sub.name)).toEqual(
        expect.arrayContaining([...names, 'help']),
      );
    expect(find('lottery/draw').subcommands).toEqual([]);
  });

  it('gives each command its own options, then the global ones; --version only at the top', () => {
    const flags = (path: string) =>
      find(path)
        .options.flatMap((candidate) => [candidate.short, candidate.long])
        .filter(Boolean);
    expect(flags('lottery/draw')).toEqual(expect.arrayContaining(DRAW_FLAGS));
    expect(flags('lottery/seed')).toEqual(expect.arrayContaining(SEED_FLAGS));
    expect(flags('lottery/winners/list')).toEqual(
      expect.arrayContaining(['--prize', '--json', '--help', ...GLOBAL_LONGS]),
    );
    expect(flags('lottery')).toEqual(
      expect.arrayContaining(['-V', '--version', ...GLOBAL_LONGS, '--help']),
    );
    expect(flags('lottery/draw')).not.toContain('--version');
    expect(flags('lottery/draw')).not.toContain('--file');
    expect(flags('lottery/draw').indexOf('--winners')).toBeLessThan(
      flags('lottery/draw').indexOf('--target'),
    );
  });

  it('knows which options take a value, their choices, and which values are file names', () => {
    expect(option('lottery', '--target')?.value).toEqual({
      name: 'target',
      choices: ['local', 'aws'],
      path: false,
    });
    expect(option('lottery/draw', '--target')?.value?.choices).toEqual(['local', 'aws']);
    expect(option('lottery/draw', '--winners')?.value).toEqual({ name: 'count', path: false });
    expect(option('lottery/draw', '--json')?.value).toBeUndefined();
    expect(option('lottery', '--no-color')?.value).toBeUndefined();
    for (const [path, flag] of [
      ['lottery/seed', '--file'],
      ['lottery/verify', '--save-pool'],
    ] as const) {
      expect(option(path, flag)?.value?.path, `${path} ${flag}`).toBe(true);
    }
    expect(option('lottery/draw', '--prize')?.value?.path).toBe(false);
  });

  it('offers the sibling commands as the argument of help', () => {
    const names = root.subcommands.map((sub) => sub.name).filter((name) => name !== 'help');
    expect(find('lottery/help').arguments).toEqual([
      { name: 'command', required: false, variadic: false, choices: names },
    ]);
    expect(find('lottery/winners/help').arguments[0]?.choices).toEqual(
      find('lottery/winners')
        .subcommands.map((sub) => sub.name)
        .filter((name) => name !== 'help'),
    );
    expect(find('lottery/announce').arguments).toEqual([
      { name: 'draw', required: true, variadic: false },
    ]);
  });

  it('refuses names that would need quoting in a script', () => {
    const bad = new Command('tool');
    bad.command('semi;colon');
    expect(() => describeProgram(bad)).toThrow(/semi;colon/);
    const spaced = new Command('tool').addOption(new Option('--mode <mode>').choices(['a b']));
    expect(() => describeProgram(spaced)).toThrow(/"a b"/);
  });
});

describe('every shell', () => {
  for (const shell of SHELLS) {
    it(`${shell}: names every command and subcommand, the options of draw and seed, and the choices of --target`, () => {
      const script = completionScript(program(), shell);
      const words = new Set(script.split(/[^\w-]+/).map((word) => word.replace(/^-+/, '')));
      for (const name of [
        ...TOP_LEVEL,
        ...Object.values(SUBCOMMANDS).flat(),
        ...DRAW_FLAGS,
        ...SEED_FLAGS,
      ].map((flag) => flag.replace(/^-+/, '')))
        expect(words, name).toContain(name);
      expect(script).toMatch(/local aws/);
    });
  }
});

/** The case arms of a bash `case` statement whose subject is `subject`, as pattern → body. */
function caseArms(script: string, subject: string): Map<string, string> {
  const start = script.indexOf(`case ${subject} in\n`);
  expect(start, subject).toBeGreaterThan(-1);
  const body = script.slice(start, script.indexOf('\n  esac', start));
  const arms = new Map<string, string>();
  for (const match of body.matchAll(/^\s{4}([^\s)][^)]*)\) (.*) ;;$/gm))
    arms.set(match[1]!, match[2]!);
  return arms;
}

describe('bash', () => {
  const script = completionScript(program(), 'bash');

  it('is valid bash', () => {
    run('bash', ['-n', saved('lottery.bash', script)]);
  });

  it('registers a completion function for lottery when sourced, and prints nothing', () => {
    expect(
      run('bash', [
        '--norc',
        '-c',
        `source ${saved('lottery.bash', script)} && complete -p lottery`,
      ]),
    ).toBe('complete -F _lottery lottery\n');
  });

  it('lists, for each command, its subcommands and every option it accepts', () => {
    const arms = caseArms(script, '$path');
    const tree = expected(program());
    expect([...arms.keys()].sort()).toEqual([...tree.keys()].sort());
    for (const [path, entry] of tree) {
      const words = (name: string) =>
        (new RegExp(`${name}='([^']*)'`).exec(arms.get(path)!)?.[1] ?? '')
          .split(' ')
          .filter(Boolean);
      expect(words('subs').sort(), path).toEqual([...entry.commands.keys()].sort());
      expect(words('opts').sort(), path).toEqual([...entry.flags.keys()].sort());
    }
  });
});

interface ZshFunction {
  arguments: string[];
  described?: { title: string; entries: string[] };
}

/**
 * The zsh script is also valid bash, so bash can run it with the completion system's functions
 * replaced by stand-ins that print what they are given: that is each spec as zsh receives it,
 * after the shell has removed the quoting.
 */
function zshCalls(
  script: string,
  name = 'lottery',
): { functions: Map<string, ZshFunction>; registered: string } {
  const harness = `
    compdef() { printf '@compdef %s\\n' "$*"; }
    _arguments() { printf '@arguments\\n'; printf '%s\\n' "$@"; state=command; return 1; }
    _describe() { local -n _entries=\${!#}; printf '@describe %s\\n' "$3"; printf '%s\\n' "\${_entries[@]}"; }
    source "$1"
    for f in $(compgen -A function _${name}); do printf '@function %s\\n' "$f"; "$f"; done
    true`;
  const output = run('bash', ['--norc', '-c', harness, 'bash', saved(`${name}.zsh`, script)]);
  const functions = new Map<string, ZshFunction>();
  let registered = '';
  let current: ZshFunction | undefined;
  let list: string[] = [];
  for (const line of output.split('\n').slice(0, -1)) {
    const [, tag, rest] = /^@(\w+) ?(.*)$/.exec(line) ?? [];
    if (tag === 'compdef') registered = rest!;
    else if (tag === 'function') functions.set(rest!, (current = { arguments: [] }));
    else if (tag === 'arguments') list = current!.arguments;
    else if (tag === 'describe')
      list = (current!.described = { title: rest!, entries: [] }).entries;
    else list.push(line);
  }
  return { functions, registered };
}

const ZSH_OPTION =
  /^(?:\((?<exclusions>[^)]*)\))?(?<flag>-[A-Za-z0-9]|--[A-Za-z0-9][\w-]*)(?<join>[=+]?)\[(?<description>[^\]]*)\](?::(?<message>[^:]*):(?<action>.*))?$/;
const ZSH_ARGUMENT = /^(?:\d+|\*):(?::)?[\w-]+:(?: |\([\w. -]+\))$/;

describe('zsh', () => {
  const script = completionScript(program(), 'zsh');

  it('is valid zsh', () => {
    run('zsh', ['-n', saved('_lottery', script)]);
  });

  it('starts with #compdef and registers _lottery when sourced', () => {
    expect(script.startsWith('#compdef lottery\n')).toBe(true);
    expect(zshCalls(script).registered).toBe('_lottery lottery');
  });

  it('gives _arguments well-formed specs: every option with its description, value and choices', () => {
    const { functions } = zshCalls(script);
    const tree = expected(program());
    expect([...functions.keys()].sort()).toEqual(
      [...tree.keys()].map((path) => `_${path.replace(/\//g, '_')}`).sort(),
    );
    for (const [path, entry] of tree) {
      const calls = functions.get(`_${path.replace(/\//g, '_')}`)!;
      const settings = entry.commands.size > 0 ? ['-C', '-s', '-S'] : ['-s', '-S'];
      expect(calls.arguments.slice(0, settings.length), path).toEqual(settings);
      const flags = new Map<string, string>();
      for (const spec of calls.arguments.slice(settings.length)) {
        if (!spec.startsWith('-') && !spec.startsWith('(')) {
          if (entry.commands.size > 0)
            expect(['1: :->command', '*:: :->args'], path).toContain(spec);
          else expect(spec, path).toMatch(ZSH_ARGUMENT);
          continue;
        }
        const parsed = ZSH_OPTION.exec(spec)?.groups;
        expect(parsed, `${path}: ${spec}`).toBeDefined();
        const { exclusions, flag, join, description, message, action } = parsed!;
        flags.set(flag!, description!);
        expect(Boolean(join), spec).toBe(entry.valueFlags.has(flag!));
        expect(message !== undefined, spec).toBe(entry.valueFlags.has(flag!));
        if (exclusions && exclusions !== '- *') expect(exclusions.split(' '), spec).toContain(flag);
        if (flag === '--target') expect(action).toBe('(local aws)');
        if (['--file', '--pool', '--save-pool', '--out'].includes(flag!))
          expect(action, spec).toBe('_files');
        if (flag === '--winners') expect(action).toBe(' ');
      }
      expect(flags, path).toEqual(entry.flags);
      if (entry.commands.size > 0) {
        expect(calls.described?.entries.sort(), path).toEqual(
          [...entry.commands].map(([name, text]) => `${name}:${text}`).sort(),
        );
      } else {
        expect(calls.described, path).toBeUndefined();
      }
    }
  });
});

/** Splits a line of fish into words as fish does: quotes removed, escapes resolved. */
function fishWords(line: string): string[] {
  const words: string[] = [];
  let at = 0;
  const next = () => line[at++] ?? '';
  while (at < line.length) {
    if (/\s/.test(line[at]!)) {
      at++;
      continue;
    }
    if (line[at] === '#') break;
    let word = '';
    while (at < line.length && !/\s/.test(line[at]!)) {
      const char = next();
      if (char === "'" || char === '"') {
        const escapable = char === "'" ? "'\\" : '"\\$';
        for (;;) {
          if (at >= line.length) throw new Error(`unterminated ${char} in: ${line}`);
          const inner = next();
          if (inner === char) break;
          word += inner === '\\' && escapable.includes(line[at] ?? '') ? next() : inner;
        }
      } else {
        word += char === '\\' ? next() : char;
      }
    }
    words.push(word);
  }
  return words;
}

interface FishCompletion {
  condition?: string;
  flags: string[];
  arguments?: string;
  description?: string;
  exclusive: boolean;
  files: boolean;
}

function fishStructure(
  script: string,
  name = 'lottery',
): { completions: FishCompletion[]; cases: string[][] } {
  const completions: FishCompletion[] = [];
  const cases: string[][] = [];
  const blocks: string[] = [];
  for (const line of script.split('\n')) {
    const words = fishWords(line);
    const [command] = words;
    if (command === undefined) continue;
    if (['function', 'for', 'if', 'while', 'switch', 'begin'].includes(command))
      blocks.push(command);
    else if (command === 'end') expect(blocks.pop(), line).toBeDefined();
    else if (command === 'case') {
      expect(blocks.at(-1), line).toBe('switch');
      cases.push(words.slice(1));
    } else if (blocks.length === 0) {
      expect(command, line).toBe('complete');
      const completion: FishCompletion = { flags: [], exclusive: false, files: false };
      for (let index = 1; index < words.length; index++) {
        const word = words[index]!;
        const value = () => words[++index] ?? expect.fail(`${word} without a value: ${line}`);
        if (word === '-c') expect(value()).toBe(name);
        else if (word === '-n') completion.condition = value();
        else if (word === '-s') completion.flags.push(`-${value()}`);
        else if (word === '-l') completion.flags.push(`--${value()}`);
        else if (word === '-a') completion.arguments = value();
        else if (word === '-d') completion.description = value();
        else if (word === '-x' || word === '-f') completion.exclusive = true;
        else if (word === '-F') completion.files = true;
        else expect(['-r'], line).toContain(word);
      }
      completions.push(completion);
    }
  }
  expect(blocks).toEqual([]);
  return { completions, cases };
}

describe('fish', () => {
  const script = completionScript(program(), 'fish');

  it('is valid fish', () => {
    run('fish', ['--no-execute', saved('lottery.fish', script)]);
    // And read it as fish would: every block ends and every line outside them is a `complete`.
    expect(fishStructure(script).completions.length).toBeGreaterThan(50);
  });

  it('completes, for each command, its subcommands and options with their descriptions, only there', () => {
    const { completions } = fishStructure(script);
    const tree = expected(program());
    const at = new Map<string, FishCompletion[]>();
    for (const completion of completions.filter((candidate) => candidate.condition)) {
      const [fn, path, ...rest] = completion.condition!.split(' ');
      expect(fn).toBe('__lottery_at');
      expect(rest).toEqual([]);
      at.set(path!, [...(at.get(path!) ?? []), completion]);
    }
    expect(completions.filter((candidate) => !candidate.condition)).toEqual([
      { flags: [], exclusive: true, files: false },
    ]);
    for (const [path, entry] of tree) {
      const here = at.get(path) ?? [];
      const commands = here.filter(
        (completion) => completion.flags.length === 0 && entry.commands.size > 0,
      );
      expect(
        new Map(commands.map((completion) => [completion.arguments!, completion.description!])),
        path,
      ).toEqual(entry.commands);
      const flags = new Map(
        here.flatMap((completion) =>
          completion.flags.map((flag) => [flag, completion.description!] as const),
        ),
      );
      expect(flags, path).toEqual(entry.flags);
      for (const completion of here.filter((candidate) => candidate.flags.length > 0)) {
        const takesValue = completion.flags.some((flag) => entry.valueFlags.has(flag));
        expect(completion.exclusive || completion.files, `${path} ${completion.flags}`).toBe(
          takesValue,
        );
      }
    }
    const draw = at.get('lottery/draw')!;
    expect(draw.find((completion) => completion.flags.includes('--target'))).toMatchObject({
      arguments: 'local aws',
      exclusive: true,
    });
    expect(draw.find((completion) => completion.flags.includes('--winners'))).toMatchObject({
      exclusive: true,
      files: false,
    });
    expect(
      at.get('lottery/seed')!.find((completion) => completion.flags.includes('--file')),
    ).toMatchObject({ files: true, exclusive: false });
    expect(
      at
        .get('lottery/verify')!
        .filter((completion) => completion.files)
        .flatMap((completion) => completion.flags),
    ).toEqual(['--save-pool', '--record']);
  });

  it('finds the command being completed by stepping over options and their values', () => {
    const { cases } = fishStructure(script);
    const tree = expected(program());
    const [valueOptions, ...transitions] = cases;
    expect(new Set(valueOptions)).toEqual(
      new Set(
        [...tree].flatMap(([path, entry]) =>
          [...entry.valueFlags].map((flag) => `${path} ${flag}`),
        ),
      ),
    );
    expect(transitions.flat().sort()).toEqual(
      [...tree.keys()].filter((path) => path.includes('/')).sort(),
    );
  });
});

describe('descriptions that look like shell code', () => {
  const marker = join(scratch, 'ran');
  const nasty = `it's "quoted" \`touch ${marker}\` $(touch ${marker}) $HOME [bracketed] a:b\\`;
  const tool = new Command('tool').description('a tool');
  tool
    .command('say')
    .description(`${nasty}\nsecond line`)
    .option('--to <file>', nasty)
    .addOption(new Option('--mode <mode>', 'how').choices(['a', 'b-c']));

  it('are quoted so that sourcing runs none of them, and reach zsh and fish intact on one line', () => {
    run('bash', ['--norc', '-c', `source ${saved('tool.bash', completionScript(tool, 'bash'))}`]);
    run('bash', [
      '--norc',
      '-c',
      `compdef() { :; }; source ${saved('tool.zsh', completionScript(tool, 'zsh'))}`,
    ]);
    expect(existsSync(marker)).toBe(false);

    const zsh = zshCalls(completionScript(tool, 'zsh'), 'tool');
    expect(zsh.registered).toBe('_tool tool');
    expect(zsh.functions.get('_tool')?.described?.entries).toContain(`say:${nasty} second line`);
    const to = zsh.functions.get('_tool_say')!.arguments.find((spec) => spec.startsWith('--to'))!;
    // Inside _arguments' brackets only "]" is special, and a trailing backslash would escape it.
    expect(ZSH_OPTION.exec(to)?.groups).toMatchObject({
      description: nasty.replace('[', '(').replace(']', ')').replace(/\\$/, ''),
      action: '_files',
    });

    const fish = fishStructure(completionScript(tool, 'fish'), 'tool');
    expect(fish.completions.find((completion) => completion.arguments === 'say')?.description).toBe(
      `${nasty} second line`,
    );
    expect(fish.completions.find((completion) => completion.flags.includes('--to'))).toMatchObject({
      description: nasty,
      files: true,
    });
    expect(
      fish.completions.find((completion) => completion.flags.includes('--mode')),
    ).toMatchObject({ arguments: 'a b-c', exclusive: true });
  });
});

describe('lottery completion', () => {
  function context() {
    let stdout = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        stdout += chunk.toString();
        done();
      },
    });
    const output = new Output({ stdout: sink, stderr: sink, stdin: process.stdin, env: {} });
    return { context: { output } as unknown as CommandContext, stdout: () => stdout };
  }

  it('prints the script for the shell on stdout', async () => {
    for (const shell of SHELLS) {
      const { context: ctx, stdout } = context();
      await completion({ shell }, ctx, program());
      expect(stdout(), shell).toBe(`${completionScript(program(), shell).trimEnd()}\n`);
    }
  });

  it('refuses another shell as a usage error that names the shells it supports', async () => {
    const refused = await runMain(['completion', 'tcsh'], { home: scratch });
    expect(refused).toMatchObject({ code: 252, stdout: '' });
    expect(refused.stderr).toContain("value 'tcsh' is invalid for argument 'shell'");
    expect(refused.stderr).toContain('bash, zsh, fish');
  });
});
