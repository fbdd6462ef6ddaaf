import { describe, expect, it } from 'vitest';
import { parseEmployeeFile, streamEmployeeRecords } from '../../src/core/employee-file';
import type { RawRecord } from '../../src/core/employees';
import type { Issue } from '../../src/core/issues';

/** The content cut into chunks of `size` characters: boundaries fall inside quotes, CRLFs, the BOM. */
async function* chunked(content: string, size: number) {
  for (let i = 0; i < content.length; i += size) yield content.slice(i, i + size);
}

async function streamed(content: string, file: string, size: number) {
  const found = { issues: [] as Issue[], warnings: [] as Issue[] };
  const records: RawRecord[] = [];
  for await (const record of streamEmployeeRecords(chunked(content, size), file, found)) records.push(record);
  return { records, issues: found.issues, warnings: found.warnings };
}

const samples: [string, string][] = [
  ['staff.csv', '\uFEFFid,name,department\r\n001,"Doe, Jane",Ops\r\n\r\n002,Bob,"Sales\r\nNorth"\r\n003,Eve\r\n'],
  ['staff.csv', 'id,name\n001,"unterminated\n'],
  ['staff.csv', 'name,dept\nRose,Ops\n'],
  ['staff.csv', 'id,name\n'],
  ['staff.csv', '   \n\n'],
  ['people.json', '[{"employee_id": "1", "employee_name": "Ann"},\n {"employee_id": "2"}]'],
  ['request-items.json', '{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "001"}, "employee_name": {"S": "Rose"}}}}]}'],
  ['noext', 'id,name\n7,Gary\n'],
];

describe('streamEmployeeRecords', () => {
  it.each(samples.flatMap(([file, content]) => [1, 7, 4096].map((size) => [file, content, size] as const)))('%s in chunks of %#: the same records and problems as reading it whole', async (file, content, size) => {
    const whole = parseEmployeeFile(content, file);
    const result = await streamed(content, file, size);
    expect(result.records).toEqual(whole.records);
    expect(result.issues.map((issue) => [issue.line, issue.message])).toEqual(whole.issues.map((issue) => [issue.line, issue.message]));
    expect(result.warnings).toEqual(whole.warnings);
  });

  it('reads a large file record by record', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `E${i},Person ${i}`).join('\n');
    let count = 0;
    const found = { issues: [] as Issue[], warnings: [] as Issue[] };
    for await (const record of streamEmployeeRecords(chunked(`id,name\n${rows}\n`, 65_536), 'big.csv', found)) {
      if (count === 0) expect(record).toEqual({ value: { id: 'E0', name: 'Person 0' }, line: 2 });
      count++;
    }
    expect(count).toBe(50_000);
    expect(found.issues).toEqual([]);
  });
});
