import { describe, expect, it } from 'vitest';
import { freshCopy } from '../helpers/fresh-module';
import {
  detectDelimiter,
  parseEmployeeFile,
  streamEmployeeRecords,
} from '../../src/core/employee-file';
import type { RawRecord } from '../../src/core/employees';
import { IssueList } from '../../src/core/issues';

// Employee files at their edges, read whole and as a stream: for the mutants of
// src/core/employee-file.ts that the tests beside this one left alive.

async function* bytes(buffer: Buffer, size: number) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function read(
  source: AsyncIterable<string | Buffer>,
  file = 'staff.csv',
  stream = streamEmployeeRecords,
) {
  const found = { issues: new IssueList(), warnings: [] };
  const records: RawRecord[] = [];
  for await (const record of stream(source, file, found)) records.push(record);
  return { records, issues: [...found.issues] };
}

const NOT_TEXT = {
  message: 'is not UTF-8 text (a spreadsheet saved it in another encoding, such as Latin-1)',
  hint: 'save it again as "CSV UTF-8" (or as UTF-16 text); names would be garbled otherwise',
};

describe('encodings', () => {
  const text = 'id,name\n001,Zoë\n';

  it('reads UTF-16BE without a byte order mark', async () => {
    expect(await read(bytes(Buffer.from(text, 'utf16le').swap16(), 6))).toEqual({
      records: [{ value: { id: '001', name: 'Zoë' }, line: 2 }],
      issues: [],
    });
  });

  it.each([
    ['ÿ first', 'ÿd,name\n1,A\n'],
    ['þ first', 'þd,name\n1,A\n'],
    ['þ second', 'iþ,name\n1,A\n'],
    ['ÿ second', 'iÿ,name\n1,A\n'],
  ])(
    'refuses Latin-1 whose first bytes look like half a byte order mark (%s)',
    async (_what, latin1) => {
      expect(await read(bytes(Buffer.from(latin1, 'latin1'), 64))).toEqual({
        records: [],
        issues: [{ file: 'staff.csv', line: 1, ...NOT_TEXT }],
      });
    },
  );

  it('refuses a binary file (a spreadsheet in the old .xls format) as not text, rather than reading it as UTF-16', async () => {
    // The compound file signature, then the zeros its header is mostly made of: as many zero bytes
    // at even offsets as at odd ones, which no UTF-16 text has.
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
    ]);
    expect(await read(bytes(xls, 65_536), 'staff.xls')).toEqual({
      records: [],
      issues: [{ file: 'staff.xls', line: 1, ...NOT_TEXT }],
    });
  });

  it('names the line of a Latin-1 byte met after the first chunks, instead of waiting for ever', async () => {
    const latin1 = Buffer.from('id,name\n001,Rose\n002,Tracy\n003,Zo\xeb\n', 'latin1');
    expect((await read(bytes(latin1, 5))).issues).toEqual([
      { file: 'staff.csv', line: 4, ...NOT_TEXT },
    ]);
  });

  it('refuses a file cut off in the middle of a character', async () => {
    const cut = Buffer.concat([Buffer.from('id,name\n001,Zo'), Buffer.from('ë').subarray(0, 1)]);
    expect((await read(bytes(cut, 4))).issues).toEqual([
      { file: 'staff.csv', line: 2, ...NOT_TEXT },
    ]);
  });

  it.each(['\uFEFFid,name\n001,Ro\uFEFFse\n', 'id,name\n001,Ro\uFEFFse\n'])(
    'reads a name holding U+FEFF past the start of the file as it is (%j)',
    (content) => {
      expect(parseEmployeeFile(content, 'staff.csv').records).toEqual([
        { value: { id: '001', name: 'Ro\uFEFFse' }, line: 2 },
      ]);
    },
  );

  // A Chinese staff list: most characters are not ASCII, so few bytes are zero.
  const chinese = `id,name,department\n${Array.from({ length: 20 }, (_, i) => `${i + 1},王小明,市场部门经理\n`).join('')}`;
  const chineseRecords = Array.from({ length: 20 }, (_, i) => ({
    value: { id: `${i + 1}`, name: '王小明', department: '市场部门经理' },
    line: i + 2,
  }));

  it.each([
    ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(chinese, 'utf16le')])],
    [
      'UTF-16BE',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(chinese, 'utf16le').swap16()]),
    ],
  ])(
    'reads %s with a byte order mark whatever share of its text is ASCII',
    async (_what, content) => {
      expect(await read(bytes(content, 65_536))).toEqual({ records: chineseRecords, issues: [] });
    },
  );

  it('tells UTF-16LE without a byte order mark by its first 512 bytes, whatever follows in the same chunk', async () => {
    const asciiFirst = `id,name,department\n${Array.from({ length: 30 }, (_, i) => `${i + 1},Rose,Ops\n`).join('')}${chinese.slice(chinese.indexOf('\n') + 1).repeat(20)}`;
    const result = await read(bytes(Buffer.from(asciiFirst, 'utf16le'), 65_536));
    expect(result.issues).toEqual([]);
    expect(result.records).toHaveLength(430);
    expect(result.records.at(-1)).toEqual({
      value: { id: '20', name: '王小明', department: '市场部门经理' },
      line: 431,
    });
  });

  it('tells UTF-16LE without a byte order mark when only the last character of the first chunk is ASCII', async () => {
    expect(await read(bytes(Buffer.from('中,id,name\n甲,1,Rose\n', 'utf16le'), 4))).toEqual({
      records: [{ value: { 中: '甲', id: '1', name: 'Rose' }, line: 2 }],
      issues: [],
    });
  });
});

describe('streaming', () => {
  it('reads a file with nothing in it as empty', async () => {
    async function* nothing(): AsyncGenerator<string> {}
    expect(await read(nothing())).toEqual({
      records: [],
      issues: [
        { file: 'staff.csv', message: 'the file is empty', hint: 'export the employee list again' },
      ],
    });
  });

  it.each([
    ['at once', 0],
    ['after the first chunk, as CSV', 1],
  ])('passes on a read error that is not about the text (%s)', async (_what, goodChunks) => {
    async function* failing() {
      for (let i = 0; i < goodChunks; i++) yield Buffer.from('id,name\n1,A\n');
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    await expect(read(failing())).rejects.toThrow('EIO: i/o error, read');
  });

  it('passes on a read error in the middle of a JSON file', async () => {
    async function* failing() {
      yield Buffer.from('[{"id": "1",');
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    await expect(read(failing(), 'staff.json')).rejects.toThrow('EIO: i/o error, read');
  });

  it('refuses Latin-1 in the middle of a JSON file, naming its line', async () => {
    const latin1 = Buffer.from('[\n{"id": "1", "name": "Zo\xeb"}]', 'latin1');
    expect((await read(bytes(latin1, 4), 'staff.json')).issues).toEqual([
      { file: 'staff.json', line: 2, ...NOT_TEXT },
    ]);
  });
});

describe('CSV details', () => {
  it('finds the separator in the header row alone, whatever the rows hold', () => {
    expect(detectDelimiter('id;name\n1;"a, b, c, d"\n')).toBe(';');
    expect(detectDelimiter('\uFEFFid\tname\tdept;x\r\n')).toBe('\t');
    expect(detectDelimiter('id\n1\n')).toBe(',');
  });

  it('gives the line of a bad row after several blank lines', () => {
    expect(
      parseEmployeeFile('id,name\n1,A\n\n\n\n2,B,C\n', 'staff.csv').issues.map(
        (issue) => issue.line,
      ),
    ).toEqual([6]);
    expect(
      parseEmployeeFile('id,name\r\n1,A\r\n\r\n\r\n2,B,C\r\n', 'staff.csv').issues.map(
        (issue) => issue.line,
      ),
    ).toEqual([5]);
  });

  it('gives the line a record starts on when the last one holds a line break and the file ends without one', () => {
    expect(parseEmployeeFile('id,name\n001,"Rose\nSmith"', 'staff.csv').records).toEqual([
      { value: { id: '001', name: 'Rose\nSmith' }, line: 2 },
    ]);
  });

  it('says what is wrong with a quote, and where', () => {
    const parsed = parseEmployeeFile('id,name\n001,"Rose"x\n', 'staff.csv');
    expect(parsed).toEqual({
      format: 'csv',
      records: [],
      issues: [
        {
          file: 'staff.csv',
          line: 2,
          message: expect.stringMatching(
            /^the CSV cannot be read: got "x" at line 2 instead of a delimiter or the end of the line after a closing quote$/,
          ),
          hint: 'check the quotes on that line',
        },
      ],
      warnings: [],
    });
  });
});

describe('format detection', () => {
  it.each([
    ['a backup of a CSV file holding JSON', 'staff.csv.bak', '[{"id": "1", "name": "A"}]', 'json'],
    ['a file without an extension whose CSV holds brackets', 'staff', 'id,name\n1,[A]\n', 'csv'],
  ])('%s', (_what, file, content, format) => {
    const parsed = parseEmployeeFile(content, file);
    expect(parsed.format).toBe(format);
    expect(parsed.issues).toEqual([]);
  });
});

describe('JSON details', () => {
  it('reads an array whole: records, no problems, no warnings', () => {
    expect(parseEmployeeFile('[{"id": "1", "name": "A"}]', 'staff.json')).toEqual({
      format: 'json',
      records: [{ value: { id: '1', name: 'A' }, line: 1, item: 1 }],
      issues: [],
      warnings: [],
    });
  });

  it('reports each item of an array that is not an object, and nothing more', () => {
    expect(parseEmployeeFile('[1,\n"Rose"]', 'staff.json').issues).toEqual([
      { file: 'staff.json', line: 1, item: 1, message: 'is not an object with employee fields' },
      { file: 'staff.json', line: 2, item: 2, message: 'is not an object with employee fields' },
    ]);
  });

  it('reports each entry of a request file that is not a PutRequest, and nothing more', () => {
    expect(
      parseEmployeeFile('{"Lottery-Employee": [{"DeleteRequest": {"Key": {}}}]}', 'req.json')
        .issues,
    ).toEqual([
      {
        file: 'req.json',
        line: 1,
        item: 1,
        message: 'is not a {"PutRequest": {"Item": …}} entry',
        hint: 'only PutRequest entries can be loaded',
      },
    ]);
  });

  it.each([
    ['{}', 'none'],
    ['null', 'none'],
    ['{"SS": ["a"]}', 'SS'],
    ['{"S": 1, "N": 2}', 'S,N'],
  ])('names the type of an attribute that is not text or a number (%s)', (attribute, type) => {
    expect(
      parseEmployeeFile(
        `{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "1"}, "employee_name": ${attribute}}}}]}`,
        'req.json',
      ).issues,
    ).toEqual([
      {
        file: 'req.json',
        line: 1,
        item: 1,
        field: 'employee_name',
        message: `has type ${type}`,
        hint: 'use {"S": "…"} or {"N": "…"}',
      },
    ]);
  });

  it('refuses a top-level value that is neither a list nor a request file, as JSON', () => {
    expect(parseEmployeeFile('42', 'staff.json')).toEqual({
      format: 'json',
      records: [],
      issues: [
        {
          file: 'staff.json',
          line: 1,
          message: 'expected a JSON array of employees or a batch-write request file',
        },
      ],
      warnings: [],
    });
  });

  it('reports a JSON syntax error as JSON', () => {
    expect(parseEmployeeFile('[{"id": 1,}]', 'staff.json')).toEqual({
      format: 'json',
      records: [],
      issues: [
        { file: 'staff.json', line: 1, message: 'the JSON cannot be read: property name expected' },
      ],
      warnings: [],
    });
  });

  it('reads a request file whole: records, no problems', () => {
    expect(
      parseEmployeeFile(
        '{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "1"}, "employee_name": {"S": "A"}}}}]}',
        'req.json',
      ),
    ).toEqual({
      format: 'batch-write',
      records: [{ value: { employee_id: '1', employee_name: 'A' }, line: 1, item: 1 }],
      issues: [],
      warnings: [],
    });
  });

  it("refuses a prefixed stack's winners list, naming it", () => {
    expect(parseEmployeeFile('{"Dev-Lottery-Winners": []}', 'req.json').issues).toEqual([
      {
        file: 'req.json',
        line: 1,
        message:
          'the request file is for the table "Dev-Lottery-Winners", not for employees: seed loads employees into Lottery-Employee',
        hint: "load the workshop's employee file (request-items.json), not its winners",
      },
    ]);
  });
});

const loadedAfresh = () => freshCopy('employee-file');

describe('decisions the module makes as it loads', () => {
  it.each<[string, string, boolean]>([
    ['staff.json', 'id,name', true],
    ['STAFF.JSON', '', true],
    ['staff', '\uFEFF [{"id": 1}]', true],
    ['staff', '{"Lottery-Employee": []}', true],
    ['staff.csv', '[{"id": 1}]', false],
    ['staff', 'id,name', false],
  ])('%s starting %j is JSON: %s', async (file, start, expected) => {
    const { isJson } = await loadedAfresh();
    expect(isJson(file, start)).toBe(expected);
  });

  it('says a CSV file with a header row and no rows has no employees, read whole or streamed', async () => {
    const { parseEmployeeFile, streamEmployeeRecords } = await loadedAfresh();
    const noEmployees = [
      { file: 'staff.csv', message: 'the file has a header row but no employees' },
    ];
    expect(parseEmployeeFile('id,name\n', 'staff.csv').issues).toEqual(noEmployees);
    expect(
      await read(bytes(Buffer.from('id,name\n'), 64), 'staff.csv', streamEmployeeRecords),
    ).toEqual({ records: [], issues: noEmployees });
  });

  it('says a Latin-1 file is not UTF-8 text', async () => {
    const { streamEmployeeRecords } = await loadedAfresh();
    expect(
      await read(
        bytes(Buffer.from('id,name\n001,Zo\xeb\n', 'latin1'), 64),
        'staff.csv',
        streamEmployeeRecords,
      ),
    ).toEqual({ records: [], issues: [{ file: 'staff.csv', line: 2, ...NOT_TEXT }] });
  });
});
