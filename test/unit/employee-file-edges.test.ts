import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseEmployeeFile, streamEmployeeRecords } from '../../src/core/employee-file';
import type { RawRecord } from '../../src/core/employees';
import { IssueList } from '../../src/core/issues';

// Employee files at their edges, read whole and as a stream: for the mutants of
// src/core/employee-file.ts that the tests beside this one left alive.

async function* bytes(buffer: Buffer, size: number) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function read(source: AsyncIterable<string | Buffer>, file = 'staff.csv') {
  const found = { issues: new IssueList(), warnings: [] };
  const records: RawRecord[] = [];
  for await (const record of streamEmployeeRecords(source, file, found)) records.push(record);
  return { records, issues: [...found.issues] };
}

const NOT_TEXT = { message: 'is not UTF-8 text (a spreadsheet saved it in another encoding, such as Latin-1)', hint: 'save it again as "CSV UTF-8" (or as UTF-16 text); names would be garbled otherwise' };

describe('encodings', () => {
  const text = 'id,name\n001,Zoë\n';

  it('reads UTF-16BE without a byte order mark', async () => {
    expect(await read(bytes(Buffer.from(text, 'utf16le').swap16(), 6))).toEqual({ records: [{ value: { id: '001', name: 'Zoë' }, line: 2 }], issues: [] });
  });

  it.each([
    ['ÿ first', 'ÿd,name\n1,A\n'],
    ['þ first', 'þd,name\n1,A\n'],
    ['þ second', 'iþ,name\n1,A\n'],
    ['ÿ second', 'iÿ,name\n1,A\n'],
  ])('refuses Latin-1 whose first bytes look like half a byte order mark (%s)', async (_what, latin1) => {
    expect(await read(bytes(Buffer.from(latin1, 'latin1'), 64))).toEqual({ records: [], issues: [{ file: 'staff.csv', line: 1, ...NOT_TEXT }] });
  });

  it('names the line of a Latin-1 byte met after the first chunks, instead of waiting for ever', async () => {
    const latin1 = Buffer.from('id,name\n001,Rose\n002,Tracy\n003,Zo\xeb\n', 'latin1');
    expect((await read(bytes(latin1, 5))).issues).toEqual([{ file: 'staff.csv', line: 4, ...NOT_TEXT }]);
  });

  it('refuses a file cut off in the middle of a character', async () => {
    const cut = Buffer.concat([Buffer.from('id,name\n001,Zo'), Buffer.from('ë').subarray(0, 1)]);
    expect((await read(bytes(cut, 4))).issues).toEqual([{ file: 'staff.csv', line: 2, ...NOT_TEXT }]);
  });

  it('reads a name holding U+FEFF past the start of the file as it is', () => {
    expect(parseEmployeeFile('\uFEFFid,name\n001,Ro\uFEFFse\n', 'staff.csv').records).toEqual([{ value: { id: '001', name: 'Ro\uFEFFse' }, line: 2 }]);
  });
});

describe('streaming', () => {
  it('reads a file with nothing in it as empty', async () => {
    async function* nothing(): AsyncGenerator<string> {}
    expect(await read(nothing())).toEqual({ records: [], issues: [{ file: 'staff.csv', message: 'the file is empty', hint: 'export the employee list again' }] });
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
    expect((await read(bytes(latin1, 4), 'staff.json')).issues).toEqual([{ file: 'staff.json', line: 2, ...NOT_TEXT }]);
  });
});

describe('CSV details', () => {
  it('finds the separator in the header row alone, whatever the rows hold', () => {
    expect(detectDelimiter('id;name\n1;"a, b, c, d"\n')).toBe(';');
    expect(detectDelimiter('\uFEFFid\tname\tdept;x\r\n')).toBe('\t');
    expect(detectDelimiter('id\n1\n')).toBe(',');
  });

  it('gives the line of a bad row after several blank lines', () => {
    expect(parseEmployeeFile('id,name\n1,A\n\n\n\n2,B,C\n', 'staff.csv').issues.map((issue) => issue.line)).toEqual([6]);
    expect(parseEmployeeFile('id,name\r\n1,A\r\n\r\n\r\n2,B,C\r\n', 'staff.csv').issues.map((issue) => issue.line)).toEqual([5]);
  });

  it("words csv-parse's complaint without its prefix", () => {
    const parsed = parseEmployeeFile('id,name\n001,"Rose"x\n', 'staff.csv');
    expect(parsed).toEqual({
      format: 'csv',
      records: [],
      issues: [{ file: 'staff.csv', line: 2, message: expect.stringMatching(/^the CSV cannot be read: got "x" at line 2 instead of delimiter/), hint: 'check the quotes on that line' }],
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
    expect(parseEmployeeFile('[{"id": "1", "name": "A"}]', 'staff.json')).toEqual({ format: 'json', records: [{ value: { id: '1', name: 'A' }, line: 1, item: 1 }], issues: [], warnings: [] });
  });

  it('refuses a top-level value that is neither a list nor a request file, as JSON', () => {
    expect(parseEmployeeFile('42', 'staff.json')).toEqual({ format: 'json', records: [], issues: [{ file: 'staff.json', line: 1, message: 'expected a JSON array of employees or a batch-write request file' }], warnings: [] });
  });

  it('reports a JSON syntax error as JSON', () => {
    expect(parseEmployeeFile('[{"id": 1,}]', 'staff.json')).toEqual({ format: 'json', records: [], issues: [{ file: 'staff.json', line: 1, message: 'the JSON cannot be read: property name expected' }], warnings: [] });
  });

  it('reads a request file whole: records, no problems', () => {
    expect(parseEmployeeFile('{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "1"}, "employee_name": {"S": "A"}}}}]}', 'req.json')).toEqual({
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
        message: 'the request file is for the table "Dev-Lottery-Winners", not for employees: seed loads employees into Lottery-Employee',
        hint: "load the workshop's employee file (request-items.json), not its winners",
      },
    ]);
  });
});
