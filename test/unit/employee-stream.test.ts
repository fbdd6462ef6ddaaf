import { describe, expect, it } from 'vitest';
import { parseEmployeeFile, streamEmployeeRecords } from '../../src/core/employee-file';
import type { RawRecord } from '../../src/core/employees';
import { IssueList } from '../../src/core/issues';

/**
 * The content cut into chunks of `size` characters: boundaries fall inside quotes, CRLFs, the BOM.
 */
async function* chunked(content: string, size: number) {
  for (let i = 0; i < content.length; i += size) yield content.slice(i, i + size);
}

async function streamed(content: string, file: string, size: number) {
  const found = { issues: new IssueList(), warnings: [] };
  const records: RawRecord[] = [];
  for await (const record of streamEmployeeRecords(chunked(content, size), file, found))
    records.push(record);
  return { records, issues: [...found.issues], warnings: found.warnings };
}

const samples: [string, string][] = [
  [
    'staff.csv',
    '\uFEFFid,name,department\r\n001,"Doe, Jane",Ops\r\n\r\n002,Bob,"Sales\r\nNorth"\r\n003,Eve\r\n',
  ],
  ['staff.csv', 'id,name\n001,"unterminated\n'],
  ['staff.csv', 'name,dept\nRose,Ops\n'],
  ['staff.csv', 'id,name\n'],
  ['staff.csv', '   \n\n'],
  ['people.json', '[{"employee_id": "1", "employee_name": "Ann"},\n {"employee_id": "2"}]'],
  [
    'request-items.json',
    '{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "001"}, "employee_name": {"S": "Rose"}}}}]}',
  ],
  ['noext', 'id,name\n7,Gary\n'],
  ['staff.csv', 'name,dept\n'],
  ['staff.csv', 'name,dept\r\n\r\n'],
  ['staff.json.bak', '[{"employee_id": "1", "employee_name": "Ann"}]'],
  ['noext', '\uFEFF  {"Lottery-Employee": []}'],
];

describe('streamEmployeeRecords', () => {
  it.each(
    samples.flatMap(([file, content]) =>
      [1, 7, 4096].map((size) => [file, content, size] as const),
    ),
  )(
    '%s in chunks of %#: the same records and problems as reading it whole',
    async (file, content, size) => {
      const whole = parseEmployeeFile(content, file);
      const result = await streamed(content, file, size);
      expect(result.records).toEqual(whole.records);
      expect(result.issues.map((issue) => [issue.line, issue.message])).toEqual(
        whole.issues.map((issue) => [issue.line, issue.message]),
      );
      expect(result.warnings).toEqual(whole.warnings);
    },
  );

  it('says what is wrong with the header of a file that has nothing under it', async () => {
    const result = await streamed('name,dept\n', 'staff.csv', 4);
    expect(result.issues).toEqual([
      {
        file: 'staff.csv',
        line: 1,
        message: 'the header row has no employee_id column',
        hint: 'name one of the columns "employee_id" or "id"',
      },
    ]);
  });

  it('reads a CSV as it streams: a large file is never held whole', async () => {
    const rowsPerChunk = 100;
    const chunks = 1_000;
    let pulled = 0;
    async function* source() {
      yield 'id,name\n';
      for (let chunk = 0; chunk < chunks; chunk++) {
        pulled++;
        yield Array.from(
          { length: rowsPerChunk },
          (_, row) => `E${chunk * rowsPerChunk + row},Person\n`,
        ).join('');
      }
    }
    const found = { issues: new IssueList(), warnings: [] };
    let records = 0;
    let mostAhead = 0;
    for await (const record of streamEmployeeRecords(source(), 'big.csv', found)) {
      records++;
      // Chunks read but whose records have not come out yet: what the reading holds in memory.
      mostAhead = Math.max(mostAhead, pulled - Math.floor(records / rowsPerChunk));
      if (records === 1) expect(record).toEqual({ value: { id: 'E0', name: 'Person' }, line: 2 });
    }
    expect(records).toBe(chunks * rowsPerChunk);
    expect(found.issues.length).toBe(0);
    // Streams buffer a little ahead; the whole file is 1,000 chunks, twenty times the bound.
    expect(mostAhead).toBeLessThan(50);
  });

  it('reads a large file record by record', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `E${i},Person ${i}`).join('\n');
    let count = 0;
    const found = { issues: new IssueList(), warnings: [] };
    for await (const record of streamEmployeeRecords(
      chunked(`id,name\n${rows}\n`, 65_536),
      'big.csv',
      found,
    )) {
      if (count === 0) expect(record).toEqual({ value: { id: 'E0', name: 'Person 0' }, line: 2 });
      count++;
    }
    expect(count).toBe(50_000);
    expect(found.issues.length).toBe(0);
  });
});

describe('streamEmployeeRecords: encodings', () => {
  async function* bytes(buffer: Buffer, size: number) {
    for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
  }
  async function read(buffer: Buffer, size = 3) {
    const found = { issues: new IssueList(), warnings: [] };
    const records: RawRecord[] = [];
    for await (const record of streamEmployeeRecords(bytes(buffer, size), 'staff.csv', found))
      records.push(record);
    return { records, issues: [...found.issues] };
  }
  const text = 'id,name\n001,Zoë Müller\n002,李雷\n';
  const expected = [
    { value: { id: '001', name: 'Zoë Müller' }, line: 2 },
    { value: { id: '002', name: '李雷' }, line: 3 },
  ];

  it('reads UTF-8 whose characters are cut between chunks', async () => {
    expect(await read(Buffer.from(text, 'utf8'), 1)).toEqual({ records: expected, issues: [] });
  });

  it.each([
    [
      'UTF-16LE with a byte order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ],
    ['UTF-16LE without one', Buffer.from(text, 'utf16le')],
    [
      'UTF-16BE with a byte order mark',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    ],
  ])('reads %s', async (_label, buffer) => {
    expect(await read(buffer, 5)).toEqual({ records: expected, issues: [] });
  });

  it('refuses Latin-1 instead of turning names into U+FFFD, naming the line', async () => {
    const latin1 = Buffer.from('id,name\n001,Rose\n002,Zo\xeb\n', 'latin1');
    const { issues } = await read(latin1, 64);
    expect(issues).toEqual([
      {
        file: 'staff.csv',
        line: 3,
        message: 'is not UTF-8 text (a spreadsheet saved it in another encoding, such as Latin-1)',
        hint: 'save it again as "CSV UTF-8" (or as UTF-16 text); names would be garbled otherwise',
      },
    ]);
  });

  it('keeps the first 50 problems of a file of bad lines and counts the rest', async () => {
    const bad = Buffer.from(`id,name\n${'a,b,c,d\n'.repeat(10_000)}`);
    const found = { issues: new IssueList(), warnings: [] };
    for await (const record of streamEmployeeRecords(bytes(bad, 65_536), 'bad.csv', found))
      expect(record).toBeUndefined();
    expect(found.issues.length).toBe(10_000);
    expect([...found.issues]).toHaveLength(50);
  });
});
