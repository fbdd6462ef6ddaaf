import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// A catalogue of bad inputs, each checked for its message, its exit code, no stack trace, and
// tables left exactly as they were. They run the CLI in this process (main() with streams of its
// own): what is checked is the program's answer, not how a process starts.

let home: string;
let cleanup: () => void;
let before: string;
let firstDraw = '';
let deepConfig = '';

const snapshot = async () => {
  const employees = await runMain(['employees', 'list', '--json'], { home });
  const winners = await runMain(['winners', 'list', '--json'], { home });
  return employees.stdout + winners.stdout;
};

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  expect((await runMain(['seed'], { home })).code).toBe(0);
  const drawn = await runMain(['draw', '-n', '1', '--json'], { home });
  expect(drawn.code).toBe(0);
  firstDraw = (JSON.parse(drawn.stdout) as { draw_id: string }).draw_id;
  deepConfig = file('deep-config.json', `{"a": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
  before = await snapshot();
});
afterAll(() => cleanup());

const file = (name: string, content: string) => {
  const path = join(home, name);
  writeFileSync(path, content);
  return path;
};

interface Case {
  name: string;
  args: () => string[];
  env?: Record<string, string>;
  code: number;
  message: string | RegExp;
}

const seedWith = (name: string, content: string) => () => ['seed', '--file', file(name, content)];
const fileBytes = (name: string, content: Buffer) => {
  const path = join(home, name);
  writeFileSync(path, content);
  return path;
};

const cases: Case[] = [
  {
    name: 'an empty file',
    args: seedWith('empty.csv', ''),
    code: 252,
    message: /empty\.csv: the file is empty/,
  },
  {
    name: 'a file of blank lines',
    args: seedWith('blank.csv', '\n\n  \n'),
    code: 252,
    message: 'the file is empty',
  },
  {
    name: 'a header and no rows',
    args: seedWith('header.csv', 'id,name\n'),
    code: 252,
    message: 'the file has a header row but no employees',
  },
  {
    name: 'no id column',
    args: seedWith('noid.csv', 'name,dept\nRose,Ops\n'),
    code: 252,
    message:
      /noid\.csv:1: the header row has no employee_id column — name one of the columns "employee_id" or "id"/,
  },
  {
    name: 'no name column',
    args: seedWith('noname.csv', 'id,dept\n101,Ops\n'),
    code: 252,
    message: 'the header row has no employee_name column',
  },
  {
    name: 'a missing name',
    args: seedWith('missing.csv', 'id,name\n101,Ann\n102,\n'),
    code: 252,
    message: /missing\.csv:3: employee_name: is missing/,
  },
  {
    name: 'a serial that is not a number',
    args: seedWith('abc.csv', 'id,name,serial\n101,Ann,abc\n'),
    code: 252,
    message: /abc\.csv:2: lottery_serial: "abc" is not a whole number from 1 to 1000000000/,
  },
  {
    name: 'a serial of 0',
    args: seedWith('zero.csv', 'id,name,serial\n101,Ann,0\n'),
    code: 252,
    message: 'lottery_serial: "0" is not a whole number',
  },
  {
    name: 'a negative serial',
    args: seedWith('neg.csv', 'id,name,serial\n101,Ann,-3\n'),
    code: 252,
    message: 'lottery_serial: "-3" is not a whole number',
  },
  {
    name: 'a fractional serial',
    args: seedWith('frac.csv', 'id,name,serial\n101,Ann,1.5\n'),
    code: 252,
    message: 'lottery_serial: "1.5" is not a whole number',
  },
  {
    name: 'an id listed twice',
    args: seedWith('dupid.csv', 'id,name\n101,Ann\n102,Bob\n101,Ann B\n'),
    code: 252,
    message: /dupid\.csv:4: employee_id: "101" appears again \(first on line 2\)/,
  },
  {
    name: 'a serial used twice in the file',
    args: seedWith('dupserial.csv', 'id,name,serial\n101,Ann,50\n102,Bob,50\n'),
    code: 252,
    message: /dupserial\.csv:3: lottery_serial: 50 is already used by 101 \(Ann\) on line 2/,
  },
  {
    name: 'a serial taken in the table',
    args: seedWith('taken.csv', 'id,name,serial\n101,Ann,3\n'),
    code: 252,
    message:
      /taken\.csv:2: lottery_serial: 3 is already used by 003 \(Aaron\) in the table — use another serial, leave it empty to have one assigned, or start afresh with --replace/,
  },
  {
    name: 'a name with an unquoted comma',
    args: seedWith('comma.csv', 'id,name\n101,Doe, Jane\n'),
    code: 252,
    message:
      /comma\.csv:2: has more fields than the header's 2 — put quotes around values that contain a comma/,
  },
  {
    name: 'a short line',
    args: seedWith('short.csv', 'id,name,department\n101,Ann\n'),
    code: 252,
    message: "short.csv:2: has fewer fields than the header's 3",
  },
  {
    name: 'an unterminated quote',
    args: seedWith('quote.csv', 'id,name\n101,"Ann\n'),
    code: 252,
    message: /quote\.csv(:\d+)?: the CSV cannot be read/,
  },
  {
    name: 'an impossible entry date',
    args: seedWith('date.csv', 'id,name,entry_date\n101,Ann,20190231\n'),
    code: 252,
    message:
      'employee_entry_date: "20190231" is not a date — write it as yyyymmdd (20190924) or yyyy-mm-dd',
  },
  {
    name: 'a bad e-mail address',
    args: seedWith('email.csv', 'id,name,email\n101,Ann,ann-at-example\n'),
    code: 252,
    message: 'email: "ann-at-example" is not an e-mail address',
  },
  {
    name: 'a tab inside a name',
    args: seedWith('tab.csv', 'id,name\n101,"An\tn"\n'),
    code: 252,
    message: 'employee_name: contains a control character',
  },
  {
    name: 'an id longer than 64 characters',
    args: seedWith('long.csv', `id,name\n${'x'.repeat(65)},Ann\n`),
    code: 252,
    message: 'employee_id: is 65 characters long — keep it to 64',
  },
  {
    name: 'JSON with a syntax error',
    args: seedWith(
      'broken.json',
      '[\n  {"employee_id": "101", "employee_name": "Ann"},\n  {"employee_id": "102" "employee_name": "Bob"}\n]\n',
    ),
    code: 252,
    message: /broken\.json:3: the JSON cannot be read: comma expected/,
  },
  {
    name: 'JSON that is a number',
    args: seedWith('number.json', '42\n'),
    code: 252,
    message: 'expected a JSON array of employees or a batch-write request file',
  },
  {
    name: 'JSON with a non-object item',
    args: seedWith('item.json', '[{"employee_id": "101", "employee_name": "Ann"}, "Bob"]'),
    code: 252,
    message: /item\.json:1 \(item 2\): is not an object with employee fields/,
  },
  {
    name: 'an empty JSON array',
    args: seedWith('none.json', '[]'),
    code: 252,
    message: 'the array holds no employees',
  },
  {
    name: 'a JSON item with a numeric name',
    args: seedWith('typed.json', '[{"employee_id": "101", "employee_name": {"first": "Ann"}}]'),
    code: 252,
    message: 'employee_name: must be text, got {"first":"Ann"}',
  },
  {
    name: 'a batch-write file with a DeleteRequest',
    args: seedWith(
      'delete.json',
      '{"Lottery-Employee": [{"DeleteRequest": {"Key": {"employee_id": {"S": "001"}}}}]}',
    ),
    code: 252,
    message: 'only PutRequest entries can be loaded',
  },
  {
    name: 'a batch-write attribute of another type',
    args: seedWith(
      'bool.json',
      '{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "101"}, "employee_name": {"SS": ["a"]}}}}]}',
    ),
    code: 252,
    message: 'employee_name: has type SS — use {"S": "…"} or {"N": "…"}',
  },
  {
    name: 'a JSON object that is not a request file',
    args: seedWith('object.json', '{"Lottery-Employee": {"PutRequest": {}}}'),
    code: 252,
    message:
      'expected a batch-write request file with a "Lottery-Employee" list of PutRequest entries',
  },
  {
    name: 'a file that does not exist',
    args: () => ['seed', '--file', 'no-such-file.csv'],
    code: 252,
    message: 'cannot read no-such-file.csv: no such file',
  },
  {
    name: 'a directory instead of a file',
    args: () => {
      mkdirSync(join(home, 'folder'), { recursive: true });
      return ['seed', '--file', join(home, 'folder')];
    },
    code: 252,
    message: 'it is a directory',
  },
  {
    name: 'seed --replace without a terminal or --yes',
    args: () => [...seedWith('smaller.csv', 'id,name\n001,Rose\n')(), '--replace'],
    code: 252,
    message:
      /refusing to remove 9 employees that \S*smaller\.csv leaves out (\(1 of them won\) )?without confirmation/,
  },
  {
    name: 'draw --seed that is not hex',
    args: () => ['draw', '-n', '1', '--seed', 'xyz'],
    code: 252,
    message:
      "option '--seed <hex>' argument 'xyz' is invalid. the seed must be 32 to 128 hexadecimal digits",
  },
  {
    name: 'draw --prize that is empty',
    args: () => ['draw', '-n', '1', '--prize', '  '],
    code: 252,
    message: "option '--prize <name>' argument '  ' is invalid. the prize must not be empty",
  },
  {
    name: 'draw --name with a space',
    args: () => ['draw', '-n', '1', '--name', 'first prize'],
    code: 252,
    message:
      "option '--name <id>' argument 'first prize' is invalid. a draw name is 1 to 80 characters, without spaces",
  },
  {
    name: 'draw --attach with --winners',
    args: () => ['draw', '--attach', 'x', '-n', '1'],
    code: 252,
    message: "option '--attach <id>' cannot be used with option '-n, --winners <count>'",
  },
  {
    name: 'draw without --winners or --attach',
    args: () => ['draw'],
    code: 252,
    message:
      'say how many people to draw with --winners <count>, or follow a draw with --attach <id>',
  },
  {
    name: 'winners list --format that is not a format',
    args: () => ['winners', 'list', '--format', 'xml'],
    code: 252,
    message:
      "option '--format <format>' argument 'xml' is invalid. Allowed choices are table, json, csv.",
  },
  {
    name: 'winners list --json with --format csv',
    args: () => ['winners', 'list', '--json', '--format', 'csv'],
    code: 252,
    message: "option '--json' cannot be used with option '--format <format>'",
  },
  {
    name: 'winners export without --out',
    args: () => ['winners', 'export'],
    code: 252,
    message: "required option '-o, --out <file>' not specified",
  },
  {
    name: 'draws list --limit 0',
    args: () => ['draws', 'list', '--limit', '0'],
    code: 252,
    message:
      "option '--limit <count>' argument '0' is invalid. expected a whole number from 1 to 1000",
  },
  {
    name: 'draws list --status that is not a status',
    args: () => ['draws', 'list', '--status', 'done'],
    code: 252,
    message: 'Allowed choices are RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED.',
  },
  {
    name: 'prizes load of a plan with a bad count',
    args: () => ['prizes', 'load', file('plan.csv', 'prize,count\nKettle,-1\n')],
    code: 252,
    message: /plan\.csv:2: count: "-1" is not a whole number from 1 to 100000/,
  },
  {
    name: 'prizes load of a JSON plan that is not an array',
    args: () => ['prizes', 'load', file('plan.json', '{"prize": "Kettle"}')],
    code: 252,
    message: 'expected a JSON array of prizes',
  },
  {
    name: 'draw --next without a plan',
    args: () => ['draw', '--next'],
    code: 252,
    message: '--next draws the next prize of the prize plan, but there is no plan',
  },
  {
    name: 'draw --next with --prize',
    args: () => ['draw', '--next', '--prize', 'Kettle'],
    code: 252,
    message: "option '--next' cannot be used with option '--prize <name>'",
  },
  {
    name: 'draw --stage with a suspense that is not a number',
    args: () => ['draw', '-n', '1', '--stage', '--suspense', 'long'],
    code: 252,
    message:
      "option '--suspense <seconds>' argument 'long' is invalid. expected seconds from 0 to 60",
  },
  {
    name: 'draw --attach of an unknown draw',
    args: () => ['draw', '--attach', 'no-such-draw'],
    code: 252,
    message: 'there is no draw no-such-draw',
  },
  {
    name: 'verify of an unknown draw',
    args: () => ['verify', 'no-such-draw'],
    code: 252,
    message: 'there is no draw no-such-draw',
  },
  {
    name: 'an unknown target',
    args: () => ['--target', 'cloud', 'winners', 'list'],
    code: 252,
    message: "argument 'cloud' is invalid. Allowed choices are local, aws.",
  },
  {
    name: 'LOTTERY_TARGET that is not a target',
    args: () => ['winners', 'list'],
    env: { LOTTERY_TARGET: 'mars' },
    code: 252,
    message: 'LOTTERY_TARGET: target must be "local" or "aws", got "mars"',
  },
  {
    name: 'an endpoint URL that is not a URL',
    args: () => ['--target', 'aws', '--endpoint-url', 'localhost', 'winners', 'list'],
    code: 252,
    message: '--endpoint-url: endpointUrl must be an http:// or https:// URL',
  },
  {
    name: '--endpoint-url with the local target',
    args: () => ['--endpoint-url', 'http://127.0.0.1:1', 'winners', 'list'],
    code: 252,
    message: '--endpoint-url applies to --target aws',
  },
  {
    name: 'a port out of range',
    args: () => ['local', 'serve', '--port', '99999'],
    code: 252,
    message:
      "option '--port <port>' argument '99999' is invalid. expected a whole number from 1 to 65535",
  },
  {
    name: 'a misspelt command',
    args: () => ['drwa'],
    code: 252,
    message: "unknown command 'drwa'",
  },
  {
    name: 'an unknown option',
    args: () => ['winners', 'list', '--jsn'],
    code: 252,
    message: "unknown option '--jsn'",
  },
  {
    name: 'LOTTERY_FAULTS that is not JSON',
    args: () => ['winners', 'list'],
    env: { LOTTERY_FAULTS: '{oops' },
    code: 252,
    message: 'LOTTERY_FAULTS is not valid: not JSON',
  },
  {
    name: 'LOTTERY_FAULTS with a misspelt list',
    args: () => ['winners', 'list'],
    env: { LOTTERY_FAULTS: '{"task": []}' },
    code: 252,
    message: /LOTTERY_FAULTS is not valid: .*"task"/,
  },
  {
    name: 'LOTTERY_FAULTS with a negative count',
    args: () => ['winners', 'list'],
    env: { LOTTERY_FAULTS: '{"tasks": [{"state": "Notify Winners", "times": -1}]}' },
    code: 252,
    message: /LOTTERY_FAULTS is not valid: tasks\.0\.times: /,
  },
  {
    name: 'a Latin-1 file',
    args: () => [
      'seed',
      '--file',
      fileBytes('latin1.csv', Buffer.from('id,name\n101,Zo\xeb\n', 'latin1')),
    ],
    code: 252,
    message: /latin1\.csv:2: is not UTF-8 text .* — save it again as "CSV UTF-8"/,
  },
  {
    // The file is read 64 KiB at a time: here the Latin-1 byte is in the second piece.
    name: 'a Latin-1 file whose first 64 KiB are ASCII',
    args: () => [
      'seed',
      '--file',
      fileBytes(
        'big-latin1.csv',
        Buffer.from(
          `id,name\n${Array.from({ length: 5000 }, (_, i) => `${1000 + i},Person ${i}\n`).join('')}9999,Zo\xeb\n`,
          'latin1',
        ),
      ),
    ],
    code: 252,
    message: /big-latin1\.csv:5002: is not UTF-8 text .* — save it again as "CSV UTF-8"/,
  },
  {
    name: "the workshop's winners file",
    args: seedWith(
      'winners.json',
      '{"Lottery-Winners": [{"PutRequest": {"Item": {"employee_id": {"S": "001"}}}}]}',
    ),
    code: 252,
    message: 'the request file is for the table "Lottery-Winners", not for employees',
  },
  {
    name: 'a batch-write file for two tables',
    args: seedWith('two.json', '{"Lottery-Employee": [], "Other": []}'),
    code: 252,
    message:
      'the request file holds lists for 2 tables ("Lottery-Employee", "Other"); seed loads only the employee list',
  },
  {
    name: 'an id made only of zero-width spaces',
    args: seedWith('zero.csv', 'id,name\n\u200b\u200b,Ann\n'),
    code: 252,
    message: /zero\.csv:2: employee_id: is missing: it holds only invisible characters/,
  },
  {
    name: 'a name that clears the screen (ESC)',
    args: seedWith('esc.csv', 'id,name\n101,Ann\u001b[2J\n'),
    code: 252,
    message: /esc\.csv:2: employee_name: contains a control character \(ESC\)/,
  },
  {
    name: 'a name with a C1 control (CSI)',
    args: seedWith('csi.csv', 'id,name\n101,Ann\u009b2J\n'),
    code: 252,
    message: 'employee_name: contains a control character (U+009B)',
  },
  {
    name: 'a JSON file nested 5,000 deep',
    args: seedWith('deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`),
    code: 252,
    message: /deep\.json:1 \(item 1\): is not an object with employee fields/,
  },
  {
    name: 'an employee nested 5,000 deep',
    args: seedWith('deeper.json', `[{"employee_id": ${'['.repeat(5000)}${']'.repeat(5000)}}]`),
    code: 252,
    message: /deeper\.json:1: the JSON is nested too deeply to be an employee list/,
  },
  {
    name: 'draw --prize that clears the screen',
    args: () => ['draw', '-n', '1', '--prize', 'Car\u001b[2J'],
    code: 252,
    message:
      "argument 'Car\\x1B[2J' is invalid. the prize must not contain control characters; it holds ESC",
  },
  {
    name: 'verify of a draw id with a space',
    args: () => ['verify', 'has space'],
    code: 252,
    message: "value 'has space' is invalid for argument 'draw'. not a draw id",
  },
  {
    name: 'a region that is not a region',
    args: () => ['--target', 'aws', '--region', 'garbage region!!', 'winners', 'list'],
    code: 252,
    message: '--region: region must be an AWS region name such as eu-west-1',
  },
  {
    name: 'LOTTERY_CONFIG naming a directory',
    args: () => ['winners', 'list'],
    env: { LOTTERY_CONFIG: '/tmp' },
    code: 252,
    message: 'cannot read /tmp: it is a directory',
  },
  {
    name: 'a config file nested 5,000 deep',
    args: () => ['winners', 'list'],
    env: { LOTTERY_CONFIG: '' },
    code: 252,
    message: 'the config file is nested too deeply to be read',
  },
  {
    name: 'LOTTERY_FAULTS naming a state that does not exist',
    args: () => ['winners', 'list'],
    env: { LOTTERY_FAULTS: '{"tasks": [{"state": "Notify Winner", "error": "X"}]}' },
    code: 252,
    message: 'no Task state is named "Notify Winner"; the Task states are Input Lottery Winners',
  },
  {
    name: 'verify --save-pool into a missing directory',
    args: () => ['verify', firstDraw, '--save-pool', join(home, 'no', 'such', 'dir', 'pool.json')],
    code: 252,
    message: /cannot write \S+pool\.json: no such file or directory; nothing was written/,
  },
  {
    name: 'tickets out of range',
    args: seedWith('tickets.csv', 'id,name,tickets\n1,Ann,0\n'),
    code: 252,
    message: 'tickets.csv:2: tickets: "0" is not a whole number from 1 to 10',
  },
  {
    name: 'an eligible value that is not yes or no',
    args: seedWith('eligible.csv', 'id,name,eligible\n1,Ann,perhaps\n'),
    code: 252,
    message: 'eligible.csv:2: eligible: "perhaps" is not yes or no',
  },
  {
    name: 'redraw without a reason',
    args: () => ['redraw', firstDraw, '001'],
    code: 252,
    message: "required option '--reason <text>' not specified",
  },
  {
    name: 'redraw with a reason holding an escape sequence',
    args: () => ['redraw', firstDraw, '001', '--reason', 'gone\u001b[2J'],
    code: 252,
    message: 'the reason must not contain control characters',
  },
  {
    name: 'redraw of someone who did not win that draw',
    args: () => ['redraw', firstDraw, 'nobody', '--reason', 'not present'],
    code: 252,
    message: `nobody is not a winner of draw ${'{draw}'}`,
  },
  {
    name: 'redraw of a draw that does not exist',
    args: () => ['redraw', 'no-such-draw', '001', '--reason', 'not present'],
    code: 252,
    message: 'there is no draw no-such-draw',
  },
  {
    name: 'employees exclude of someone not in the pool',
    args: () => ['employees', 'exclude', '001', 'X9', '--reason', 'board'],
    code: 252,
    message: 'there is no employee X9 in the pool; nothing was changed',
  },
  {
    name: 'employees exclude with an empty reason',
    args: () => ['employees', 'exclude', '001', '--reason', '  '],
    code: 252,
    message: 'give a reason: it is kept with the record and shown to auditors',
  },
  {
    name: 'employees include of someone not in the pool',
    args: () => ['employees', 'include', 'X9'],
    code: 252,
    message: 'there is no employee X9 in the pool; nothing was changed',
  },
  {
    name: 'verify with no draw and no --event',
    args: () => ['verify'],
    code: 252,
    message: 'say which draw to check, or check them all with --event',
  },
  {
    name: 'verify --event with a draw',
    args: () => ['verify', firstDraw, '--event'],
    code: 252,
    message: '--event checks every draw since the last reset: leave out the draw and --save-pool',
  },
  {
    name: 'winners export onto a directory',
    args: () => ['winners', 'export', '--out', home],
    code: 252,
    message: `cannot write ${'{home}'}: it is a directory`,
  },
];

describe('bad input', () => {
  it('has a catalogue of at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)(
    '$name: exit $code with a clear message, tables unchanged',
    async ({ args, env, code, message }) => {
      const result = await runMain(args(), {
        home,
        env: env?.LOTTERY_CONFIG === '' ? { ...env, LOTTERY_CONFIG: deepConfig } : env,
      });
      if (typeof message === 'string')
        message = message.replace('{home}', home).replace('{draw}', firstDraw);
      expect(result.code, result.stderr).toBe(code);
      if (typeof message === 'string') expect(result.stderr).toContain(message);
      else expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      expect(await snapshot()).toBe(before);
    },
  );
});
