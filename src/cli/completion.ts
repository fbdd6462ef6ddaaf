import type { Argument, CommandUnknownOpts as Command, Option } from '@commander-js/extra-typings';

/**
 * Shell completion scripts, generated from the commander program itself so that they list exactly
 * the commands and options that the CLI accepts. The scripts are static: pressing Tab starts no
 * `lottery` process (no Node.js start-up), so that the answer is instant.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface ValueSpec {
  /** The placeholder in the flags: `path` for `--file <path>`. */
  name: string;
  choices?: readonly string[];
  /** Whether the value is a file name, completed from the file system. */
  path: boolean;
}

export interface OptionSpec {
  short?: string;
  long?: string;
  description: string;
  /** Absent for a flag that takes no value. */
  value?: ValueSpec;
}

export interface ArgumentSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  choices?: readonly string[];
}

export interface CommandSpec {
  /** The names from the program down to this command: `['lottery', 'winners', 'list']`. */
  path: readonly string[];
  name: string;
  aliases: readonly string[];
  description: string;
  /** Its own options, then those of the commands above it, which commander accepts here too. */
  options: readonly OptionSpec[];
  arguments: readonly ArgumentSpec[];
  subcommands: readonly CommandSpec[];
}

// Every name lands unquoted in case patterns, word lists and function names of three shells:
// accepting only these characters is what makes that safe.
const WORD = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
const SHORT_FLAG = /^-[A-Za-z0-9]$/;
const LONG_FLAG = /^--[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A value placeholder that names a file: `<file>`, `<path>`, `<pool-file>`, `<out_path>`. */
const PATH_PLACEHOLDER = /^(?:.*[-_])?(?:file|path)$/i;
/** Options whose value is a file whatever their placeholder says (`--out <report>`). */
const PATH_OPTIONS = new Set(['--file', '--out', '--output']);

function word(kind: string, text: string): string {
  if (!WORD.test(text))
    throw new Error(
      `cannot complete the ${kind} ${JSON.stringify(text)}: use letters, digits and . _ + - only`,
    );
  return text;
}

/**
 * Descriptions are shown on one line by every shell; a newline would also end a zsh or fish spec.
 */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function describeOption(option: Option): OptionSpec {
  if (option.short !== undefined && !SHORT_FLAG.test(option.short))
    throw new Error(
      `cannot complete the option ${option.flags}: a short flag is one letter or digit`,
    );
  if (option.long !== undefined && !LONG_FLAG.test(option.long))
    throw new Error(`cannot complete the option ${option.flags}`);
  const spec: OptionSpec = { description: oneLine(option.description) };
  if (option.short !== undefined) spec.short = option.short;
  if (option.long !== undefined) spec.long = option.long;
  if (option.required || option.optional) {
    const name = /[<[]\s*([^>\]]*?)(?:\.\.\.)?\s*[>\]]/.exec(option.flags)?.[1] ?? 'value';
    const value: ValueSpec = {
      name: WORD.test(name) ? name : 'value',
      path: PATH_PLACEHOLDER.test(name) || PATH_OPTIONS.has(option.long ?? ''),
    };
    if (option.argChoices)
      value.choices = option.argChoices.map((choice) => word(`choice of ${option.flags}`, choice));
    spec.value = value;
  }
  return spec;
}

function describeArgument(argument: Argument): ArgumentSpec {
  const spec: ArgumentSpec = {
    name: WORD.test(argument.name()) ? argument.name() : 'argument',
    required: argument.required,
    variadic: argument.variadic,
  };
  if (argument.argChoices)
    spec.choices = argument.argChoices.map((choice) =>
      word(`choice of <${argument.name()}>`, choice),
    );
  return spec;
}

const flagsOf = (option: OptionSpec) =>
  [option.short, option.long].filter((flag): flag is string => flag !== undefined);

/**
 * `helpFor`: when `command` is commander's implicit `help [command]`, the commands it can explain.
 */
function describe(
  command: Command,
  path: readonly string[],
  inherited: readonly OptionSpec[],
  helpFor?: readonly string[],
): CommandSpec {
  const help = command.createHelp();
  const own = help.visibleOptions(command).map(describeOption);
  const taken = new Set(own.flatMap(flagsOf));
  // The version option is accepted after a subcommand too, but it says nothing about the
  // subcommand.
  const passedDown = command.options
    .filter((option) => !option.hidden && option.attributeName() !== 'version')
    .map(describeOption);
  const visible = help.visibleCommands(command);
  const names = visible.map((sub) => sub.name());
  const spec: CommandSpec = {
    path,
    name: command.name(),
    aliases: command.aliases().map((alias) => word('command alias', alias)),
    description: oneLine(command.description()),
    options: [
      ...own,
      ...inherited.filter((option) => !flagsOf(option).some((flag) => taken.has(flag))),
    ],
    arguments: command.registeredArguments.map(describeArgument),
    // commander's implicit `help [command]` is not in `commands`; its argument names a sibling.
    subcommands: visible.map((sub) =>
      describe(
        sub,
        [...path, word('command', sub.name())],
        [...passedDown, ...inherited],
        command.commands.includes(sub) ? undefined : names.filter((name) => name !== sub.name()),
      ),
    ),
  };
  if (helpFor && spec.arguments[0]) spec.arguments = [{ ...spec.arguments[0], choices: helpFor }];
  return spec;
}

/** What the completion scripts are made of: the program's commands, options and arguments. */
export function describeProgram(program: Command): CommandSpec {
  return describe(program, [word('program name', program.name())], []);
}

const walk = (spec: CommandSpec): CommandSpec[] => [spec, ...spec.subcommands.flatMap(walk)];
const key = (spec: CommandSpec) => spec.path.join('/');
const functionName = (spec: CommandSpec) =>
  `_${spec.path.join('_').replace(/[^A-Za-z0-9_]/g, '_')}`;
const longsOf = (spec: CommandSpec) =>
  spec.options.flatMap((option) => (option.long ? [option.long] : []));
const commandWords = (spec: CommandSpec) =>
  spec.subcommands.flatMap((sub) => [sub.name, ...sub.aliases]);

/** A POSIX shell single-quoted string (bash and zsh read it the same way). */
const shQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
/** Inside fish single quotes, backslash escapes a quote and itself. */
const fishQuote = (text: string) => `'${text.replace(/[\\']/g, '\\$&')}'`;

function bash(root: CommandSpec): string {
  const fn = functionName(root);
  const commands = walk(root);
  const transitions = commands.slice(1).map((spec) => {
    const parent = spec.path.slice(0, -1).join('/');
    const patterns = [spec.name, ...spec.aliases].map((name) => `${parent}/${name}`).join('|');
    return `        ${patterns}) path=${key(spec)}; npos=0 ;;`;
  });
  const valueOptions = commands.flatMap((spec) =>
    spec.options
      .filter((option) => option.value)
      .flatMap((option) => flagsOf(option).map((flag) => `"${key(spec)} ${flag}"`)),
  );
  // One case arm per way of completing a value, listing every command and flag that completes so.
  const valueArms = new Map<string, string[]>();
  for (const spec of commands) {
    for (const option of spec.options) {
      const value = option.value;
      if (!value || (!value.choices && !value.path)) continue;
      const action = value.choices
        ? `COMPREPLY=($(compgen -W ${shQuote(value.choices.join(' '))} -- "$3"))`
        : `${fn}_files "$3"`;
      valueArms.set(action, [
        ...(valueArms.get(action) ?? []),
        ...flagsOf(option).map((flag) => `"${key(spec)} ${flag}"`),
      ]);
    }
  }
  const argumentArms = commands.flatMap((spec) =>
    spec.arguments.flatMap((argument, index) => {
      if (!argument.choices) return [];
      const pattern = argument.variadic ? `"${key(spec)} "*` : `"${key(spec)} ${index}"`;
      return [
        `        ${pattern}) COMPREPLY=($(compgen -W ${shQuote(argument.choices.join(' '))} -- "$cur")) ;;`,
      ];
    }),
  );
  const commandArms = commands.map((spec) => {
    const options = spec.options.flatMap(flagsOf).join(' ');
    const positional = spec.arguments.some((argument) => argument.variadic)
      ? 9999
      : spec.arguments.length;
    return `    ${key(spec)}) subs=${shQuote(commandWords(spec).join(' '))} opts=${shQuote(options)} longs=${shQuote(longsOf(spec).join(' '))} nargs=${positional} ;;`;
  });
  const patternList = (patterns: string[], indent: string) => patterns.join(`|\\\n${indent}`);
  const valueCases = [...valueArms]
    .map(([action, patterns]) => `    ${patternList(patterns, '    ')})\n      ${action} ;;`)
    .join('\n');

  return `# bash completion for ${root.name}, generated from its commands by \`${root.name} completion bash\`.
# Load it in ~/.bashrc with: source <(${root.name} completion bash)

# Completes file names; a directory ends in "/" so that a path is completed one directory at a time.
${fn}_files() {
  local entry
  while IFS= read -r entry; do
    # compgen leaves a leading "~" as typed.
    [[ -d \${entry/#\\~/$HOME} ]] && entry+=/
    COMPREPLY+=("$entry")
  done < <(compgen -f -- "$1")
  compopt -o filenames 2>/dev/null
  return 0
}

# Completes the value of option $2 of command $1, from what is typed so far, $3.
${fn}_value() {
  COMPREPLY=()
  case "$1 $2" in
${valueCases}
  esac
  return 0
}

${fn}() {
  COMPREPLY=()
  local -a words=()
  local i w n cur path=${root.name} npos=0 value='' ended='' subs='' opts='' longs='' nargs=0
  # COMP_WORDBREAKS cuts "--opt=value" into "--opt" "=" "value": join them back into one word.
  for ((i = 0; i <= COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    n=\${#words[@]}
    if ((n > 1)) && [[ \${words[n - 1]} == --* && ( $w == = || \${words[n - 1]} == *= ) ]]; then
      words[n - 1]+=$w
    else
      words+=("$w")
    fi
  done
  n=\${#words[@]}
  cur=\${words[n - 1]}

  # Find the (sub)command being completed, skipping options and their values.
  for ((i = 1; i < n - 1; i++)); do
    w=\${words[i]}
    if [[ -n $value ]]; then
      value=''
    elif [[ -n $ended ]]; then
      npos=$((npos + 1))
    elif [[ $w == -- ]]; then
      ended=1
    elif [[ $w == -?* ]]; then
      case "$path $w" in
        ${valueOptions.length > 0 ? patternList(valueOptions, '        ') : '""'}) value=$w ;;
      esac
    else
      case "$path/$w" in
${transitions.join('\n')}
        *) npos=$((npos + 1)) ;;
      esac
    fi
  done

  if [[ -n $value ]]; then
    ${fn}_value "$path" "$value" "$cur"
    return 0
  fi
  if [[ -z $ended && $cur == --*=* ]]; then
    ${fn}_value "$path" "\${cur%%=*}" "\${cur#*=}"
    # When "=" is not a word break, the word to replace is the whole "--opt=value".
    if [[ \${COMP_WORDS[COMP_CWORD]} == --*=* ]]; then
      COMPREPLY=("\${COMPREPLY[@]/#/\${cur%%=*}=}")
    fi
    return 0
  fi

  case $path in
${commandArms.join('\n')}
  esac
  if [[ -z $ended && $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n $subs ]]; then
    if ((npos == 0)); then
      COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    fi
  elif ((npos < nargs)); then
    case "$path $npos" in
${argumentArms.join('\n')}
    esac
  elif [[ -z $ended ]]; then
    # Nothing left to name but options: offer them without waiting for a "-".
    COMPREPLY=($(compgen -W "$longs" -- "$cur"))
  fi
  return 0
}

complete -F ${fn} ${root.name}
`;
}

/**
 * zsh shows the text between the brackets as it is: a "]" would end it early, a final "\" would
 * hide its end.
 */
const zshDescription = (text: string) =>
  text.replace(/\[/g, '(').replace(/\]/g, ')').replace(/\\+$/, '');

function zshOptionSpecs(option: OptionSpec): string[] {
  const flags = flagsOf(option);
  const exclusions =
    option.long === '--help' ? '(- *)' : flags.length > 1 ? `(${flags.join(' ')})` : '';
  let argument = '';
  if (option.value) {
    const action = option.value.choices
      ? `(${option.value.choices.join(' ')})`
      : option.value.path
        ? '_files'
        : ' ';
    argument = `:${option.value.name}:${action}`;
  }
  return flags.map((flag) => {
    // A short flag's value may be stuck to it (-n2) and a long flag's may follow "=" (--winners=2),
    // as commander allows.
    const join = option.value ? (flag.startsWith('--') ? '=' : '+') : '';
    return shQuote(`${exclusions}${flag}${join}[${zshDescription(option.description)}]${argument}`);
  });
}

function zshArgumentSpecs(spec: CommandSpec): string[] {
  return spec.arguments.map((argument, index) => {
    const position = argument.variadic ? '*' : String(index + 1);
    const optional = argument.required || argument.variadic ? '' : ':';
    const action = argument.choices ? `(${argument.choices.join(' ')})` : ' ';
    return shQuote(`${position}:${optional}${argument.name}:${action}`);
  });
}

function zshFunction(spec: CommandSpec): string {
  const specs = spec.options.flatMap(zshOptionSpecs);
  const lines = (items: string[], indent: string) =>
    items.map((item) => `${indent}${item}`).join(' \\\n');
  if (spec.subcommands.length === 0) {
    const all = [...specs, ...zshArgumentSpecs(spec)];
    return `${functionName(spec)}() {
  _arguments -s -S${all.length > 0 ? ' \\\n' : ''}${lines(all, '    ')}
}`;
  }
  const described = spec.subcommands.flatMap((sub) =>
    [sub.name, ...sub.aliases].map((name) => `    ${shQuote(`${name}:${sub.description}`)}`),
  );
  const dispatch = spec.subcommands.map(
    (sub) => `        ${[sub.name, ...sub.aliases].join('|')}) ${functionName(sub)} && ret=0 ;;`,
  );
  return `${functionName(spec)}() {
  local curcontext="$curcontext" state line ret=1
  typeset -A opt_args
  _arguments -C -s -S \\
${lines([...specs, `'1: :->command'`, `'*:: :->args'`], '    ')} && ret=0
  case $state in
    command)
      local -a subcommands
      subcommands=(
${described.map((line) => `    ${line}`).join('\n')}
      )
      _describe -t commands ${shQuote(`${spec.path.join(' ')} command`)} subcommands && ret=0
      ;;
    args)
      curcontext="\${curcontext%:*:*}:${spec.path.join('-')}-$line[1]:"
      case $line[1] in
${dispatch.join('\n')}
      esac
      ;;
  esac
  return $ret
}`;
}

function zsh(root: CommandSpec): string {
  const fn = functionName(root);
  return `#compdef ${root.name}
# zsh completion for ${root.name}, generated from its commands by \`${root.name} completion zsh\`.
# Load it in ~/.zshrc, after compinit, with: source <(${root.name} completion zsh)
# or save it as _${root.name} in a directory of $fpath.

${walk(root).map(zshFunction).join('\n\n')}

# Autoloaded from $fpath, this file is the body of ${fn}: complete now. Sourced, register ${fn}.
if [ "$funcstack[1]" = "${fn}" ]; then
  ${fn} "$@"
else
  compdef ${fn} ${root.name}
fi
`;
}

function fish(root: CommandSpec): string {
  const fn = `_${functionName(root)}`;
  const commands = walk(root);
  const byKey = new Map(commands.map((spec) => [key(spec), spec]));
  const valuePatterns = commands.flatMap((spec) =>
    spec.options
      .filter((option) => option.value)
      .flatMap((option) => flagsOf(option).map((flag) => fishQuote(`${key(spec)} ${flag}`))),
  );
  const transitions = commands.slice(1).map((spec) => {
    const parent = spec.path.slice(0, -1).join('/');
    const paths = [spec.name, ...spec.aliases].map((name) => `${parent}/${name}`).join(' ');
    return `            case ${paths}\n                set path ${key(spec)}`;
  });
  const lines: string[] = [];
  for (const spec of commands) {
    const at = `-n ${fishQuote(`${fn}_at ${key(spec)}`)}`;
    for (const sub of spec.subcommands) {
      for (const name of [sub.name, ...sub.aliases])
        lines.push(`complete -c ${root.name} ${at} -a ${name} -d ${fishQuote(sub.description)}`);
    }
    for (const argument of spec.arguments) {
      for (const choice of argument.choices ?? []) {
        // `help [command]` offers its siblings: describe them as they are described as commands.
        const sibling = byKey.get([...spec.path.slice(0, -1), choice].join('/'));
        const described = sibling ? ` -d ${fishQuote(sibling.description)}` : '';
        lines.push(`complete -c ${root.name} ${at} -a ${choice}${described}`);
      }
    }
    for (const option of spec.options) {
      const flags = [
        option.short ? `-s ${option.short.slice(1)}` : '',
        option.long ? `-l ${option.long.slice(2)}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const value = option.value;
      // -x: takes a value and offers no file names; -r -F: takes a file name.
      const takes = !value
        ? ''
        : value.choices
          ? ` -x -a ${fishQuote(value.choices.join(' '))}`
          : value.path
            ? ' -r -F'
            : ' -x';
      lines.push(
        `complete -c ${root.name} ${at} ${flags}${takes} -d ${fishQuote(option.description)}`,
      );
    }
  }
  return `# fish completion for ${root.name}, generated from its commands by \`${root.name} completion fish\`.
# Install it with: ${root.name} completion fish > ~/.config/fish/completions/${root.name}.fish

# The (sub)command being completed, as a path such as ${root.name}/winners/list: the words before
# the cursor, less options and their values.
function ${fn}_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path ${root.name}
    set -l value 0
    for word in $words
        if test $value = 1
            set value 0
            continue
        end
        if test "$word" = --
            break
        end
        switch "$path $word"
            case ${valuePatterns.length > 0 ? valuePatterns.join(' ') : "''"}
                set value 1
                continue
        end
        switch "$path/$word"
${transitions.join('\n')}
        end
    end
    echo $path
end

# fish asks every condition below on each key press: work the path out once per command line.
function ${fn}_at --argument-names path
    set -l line (commandline -pc)
    if not set -q ${fn}_line; or test "$line" != "$${fn}_line"
        set -g ${fn}_line "$line"
        set -g ${fn}_current (${fn}_path)
    end
    test "$${fn}_current" = $path
end

# No file names, except as the value of an option that takes a file.
complete -c ${root.name} -f
${lines.join('\n')}
`;
}

/** The completion script for `shell`, for the commands of `program`. */
export function completionScript(program: Command, shell: Shell): string {
  const root = describeProgram(program);
  switch (shell) {
    case 'bash':
      return bash(root);
    case 'zsh':
      return zsh(root);
    case 'fish':
      return fish(root);
  }
}
