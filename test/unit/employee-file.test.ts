import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEmployeeFile } from '../../src/core/employee-file';
import { normalizeEmployee } from '../../src/core/employees';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url)), 'utf8');

describe('parseEmployeeFile: CSV', () => {
  it('reads a header row and one record per line, with the line of each', () => {
    const parsed = parseEmployeeFile(
      'employee_id,employee_name,lottery_serial\n001,Rose,1\n002,Tracy,2\n',
      'staff.csv',
    );
    expect(parsed).toEqual({
      format: 'csv',
      records: [
        { value: { employee_id: '001', employee_name: 'Rose', lottery_serial: '1' }, line: 2 },
        { value: { employee_id: '002', employee_name: 'Tracy', lottery_serial: '2' }, line: 3 },
      ],
      issues: [],
      warnings: [],
    });
  });

  it('ignores a byte-order mark, CRLF line ends and blank lines, and counts lines as an editor does', () => {
    const parsed = parseEmployeeFile(
      '\uFEFFEmployee ID,Name\r\n001,Rose\r\n\r\n002,Tracy\r\n',
      'staff.csv',
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.records).toEqual([
      { value: { 'Employee ID': '001', Name: 'Rose' }, line: 2 },
      { value: { 'Employee ID': '002', Name: 'Tracy' }, line: 4 },
    ]);
  });

  it('keeps a quoted comma inside the name', () => {
    const parsed = parseEmployeeFile('id,name,department\n007,"Bond, James",MI6\n', 'staff.csv');
    expect(parsed.records).toEqual([
      { value: { id: '007', name: 'Bond, James', department: 'MI6' }, line: 2 },
    ]);
  });

  it('trims spaces around values and header names', () => {
    const parsed = parseEmployeeFile(' id , name \n 001 ,  Rose  \n', 'staff.csv');
    expect(parsed.records).toEqual([{ value: { id: '001', name: 'Rose' }, line: 2 }]);
  });

  it('skips lines whose values are all empty', () => {
    const parsed = parseEmployeeFile('id,name\n001,Rose\n,\n\n002,Tracy\n', 'staff.csv');
    expect(parsed.issues).toEqual([]);
    expect(parsed.records.map((record) => [record.value.id, record.line])).toEqual([
      ['001', 2],
      ['002', 5],
    ]);
  });

  it('reports lines with too many or too few fields by line number, and keeps the good lines', () => {
    const parsed = parseEmployeeFile(
      'id,name,department\n001,Rose\n002,Smith, John,Ops\n003,Eve,Ops\n',
      'staff.csv',
    );
    expect(parsed.records).toEqual([
      { value: { id: '003', name: 'Eve', department: 'Ops' }, line: 4 },
    ]);
    expect(parsed.issues).toHaveLength(2);
    expect(parsed.issues[0]).toMatchObject({
      file: 'staff.csv',
      line: 2,
      message: "has fewer fields than the header's 3",
      hint: 'add the missing values, or leave them empty between commas',
    });
    expect(parsed.issues[1]).toMatchObject({
      file: 'staff.csv',
      line: 3,
      message: "has more fields than the header's 3",
      hint: 'put quotes around values that contain a comma',
    });
  });

  it('reports the line of a field count problem after blank lines and CRLF', () => {
    const parsed = parseEmployeeFile('id,name\r\n\r\n001,Rose,extra\r\n', 'staff.csv');
    expect(parsed.issues.map((issue) => issue.line)).toEqual([3]);
  });

  it('reports a record whose quoted value spans lines at the line where it starts', () => {
    const parsed = parseEmployeeFile(
      'id,name\n001,"Rose\nMary\nAnn"\n\n002,Tracy\n003,"Gary"',
      'staff.csv',
    );
    expect(parsed.records).toEqual([
      { value: { id: '001', name: 'Rose\nMary\nAnn' }, line: 2 },
      { value: { id: '002', name: 'Tracy' }, line: 6 },
      { value: { id: '003', name: 'Gary' }, line: 7 },
    ]);
  });

  it.each([
    [';', 'employee_id;employee_name;department\n001;Rose;Ops\n'],
    ['\t', 'employee_id\temployee_name\tdepartment\n001\tRose\tOps\n'],
    [',', 'employee_id,employee_name,department\n001,"Rose; Mary",Ops\n'],
  ])('reads the separator the header row uses (%j)', (_delimiter, text) => {
    const parsed = parseEmployeeFile(text, 'staff.csv');
    expect(parsed.issues).toEqual([]);
    expect(parsed.records[0]?.value).toMatchObject({ employee_id: '001', department: 'Ops' });
  });

  it('stops a quote that is never closed from reading the rest of the file into one field', () => {
    const parsed = parseEmployeeFile(`id,name\n001,"Rose\n${'x,y\n'.repeat(30_000)}`, 'staff.csv');
    expect(parsed.issues).toEqual([
      expect.objectContaining({
        line: expect.any(Number),
        message: 'a record is longer than 100,000 characters',
        hint: expect.stringContaining('a quote that is opened but never closed'),
      }),
    ]);
  });

  it('reports an unclosed quote as a file that cannot be read', () => {
    const parsed = parseEmployeeFile('id,name\n001,"Rose\n002,Tracy\n', 'staff.csv');
    expect(parsed.records).toEqual([]);
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({
      file: 'staff.csv',
      hint: 'check the quotes on that line',
    });
    expect(parsed.issues[0]?.message).toMatch(/^the CSV cannot be read: /);
    expect(parsed.issues[0]?.line).toEqual(expect.any(Number));
  });

  it.each([
    ['name,department\nRose,Ops\n', 'employee_id', '"employee_id" or "id"'],
    ['id,department\n001,Ops\n', 'employee_name', '"employee_name" or "name"'],
  ])('reports a header row without a required column: %j', (content, column, names) => {
    expect(parseEmployeeFile(content, 'staff.csv')).toEqual({
      format: 'csv',
      records: [],
      issues: [
        {
          file: 'staff.csv',
          line: 1,
          message: `the header row has no ${column} column`,
          hint: `name one of the columns ${names}`,
        },
      ],
      warnings: [],
    });
  });

  it('reports both missing columns', () => {
    const parsed = parseEmployeeFile('serial,department\n1,Ops\n', 'staff.csv');
    expect(parsed.issues.map((issue) => issue.message)).toEqual([
      'the header row has no employee_id column',
      'the header row has no employee_name column',
    ]);
  });

  it('reports a header row with nobody under it', () => {
    expect(parseEmployeeFile('id,name\n', 'staff.csv').issues).toEqual([
      { file: 'staff.csv', message: 'the file has a header row but no employees' },
    ]);
    expect(parseEmployeeFile('id,name\n\n,\n', 'staff.csv').issues).toEqual([
      { file: 'staff.csv', message: 'the file has a header row but no employees' },
    ]);
  });

  it.each(['', '\uFEFF', '   \n\r\n  '])('reports an empty file: %j', (content) => {
    expect(parseEmployeeFile(content, 'staff.csv')).toEqual({
      format: 'csv',
      records: [],
      issues: [
        { file: 'staff.csv', message: 'the file is empty', hint: 'export the employee list again' },
      ],
      warnings: [],
    });
  });

  it('reads a .csv file as CSV even if it starts with a bracket', () => {
    expect(parseEmployeeFile('[id],name\n1,Rose\n', 'staff.csv').format).toBe('csv');
  });
});

describe('parseEmployeeFile: JSON array', () => {
  const content = [
    '[',
    '  {"id": "001", "name": "Rose"},',
    '  42,',
    '  {',
    '    "id": "002", "name": "Tracy"',
    '  }',
    ']',
  ].join('\n');

  it('reads objects with the line and 1-based position of each item', () => {
    const parsed = parseEmployeeFile(content, 'staff.json');
    expect(parsed.format).toBe('json');
    expect(parsed.records).toEqual([
      { value: { id: '001', name: 'Rose' }, line: 2, item: 1 },
      { value: { id: '002', name: 'Tracy' }, line: 4, item: 3 },
    ]);
  });

  it('reports an item that is not an object by line and item', () => {
    expect(parseEmployeeFile(content, 'staff.json').issues).toEqual([
      { file: 'staff.json', line: 3, item: 2, message: 'is not an object with employee fields' },
    ]);
  });

  it('keeps JSON value types for the record checks', () => {
    const parsed = parseEmployeeFile('[{"id": 15, "name": "Rose", "serial": 3}]', 'staff.json');
    expect(parsed.records[0]?.value).toEqual({ id: 15, name: 'Rose', serial: 3 });
  });

  it.each([
    ['[\n  {"id": "1", "name": "A"},\n  {"id": "2" "name": "B"}\n]', 3, 'comma expected'],
    ['[\n  {"id": "1", "name": "A"},\n]', 3, 'value expected'],
    ['[\n\n\n  {"id": "1", "name": "A"}', 4, 'close bracket expected'],
    ['// list\n[{"id": "1", "name": "A"}]', 1, 'invalid comment token'],
  ])('reports a syntax error with its line: %j', (text, line, reason) => {
    const parsed = parseEmployeeFile(text, 'staff.json');
    expect(parsed.records).toEqual([]);
    expect(parsed.issues).toEqual([
      { file: 'staff.json', line, message: `the JSON cannot be read: ${reason}` },
    ]);
  });

  it('reports an empty array', () => {
    expect(parseEmployeeFile('[]', 'staff.json').issues).toEqual([
      { file: 'staff.json', message: 'the array holds no employees' },
    ]);
  });

  it.each(['42', '"employees"', 'null'])('refuses a top-level %s', (text) => {
    expect(parseEmployeeFile(text, 'staff.json').issues).toEqual([
      {
        file: 'staff.json',
        line: 1,
        message: 'expected a JSON array of employees or a batch-write request file',
      },
    ]);
  });

  it('recognises JSON by its content when the name says neither .json nor .csv', () => {
    expect(parseEmployeeFile('  [{"id": "1", "name": "A"}]', 'staff.txt')).toMatchObject({
      format: 'json',
      issues: [],
    });
    expect(parseEmployeeFile('id,name\n1,A\n', 'staff.txt')).toMatchObject({
      format: 'csv',
      issues: [],
    });
  });

  it('recognises a .JSON extension in any case', () => {
    expect(parseEmployeeFile('[{"id": "1", "name": "A"}]', 'STAFF.JSON').format).toBe('json');
  });

  it('reads a .json file as JSON even if it does not start with a bracket, and says what is wrong', () => {
    expect(parseEmployeeFile('id,name\n1,A\n', 'staff.json')).toEqual({
      format: 'json',
      records: [],
      issues: [{ file: 'staff.json', line: 1, message: 'the JSON cannot be read: invalid symbol' }],
      warnings: [],
    });
  });

  it.each([
    ['a backup of a JSON file', 'staff.json.bak', '[{"id": "1", "name": "A"}]', 'json'],
    ['a backup of a JSON file holding CSV', 'staff.json.bak', 'id,name\n1,A\n', 'csv'],
    ['a file without an extension holding JSON', 'staff', '\n  [{"id": "1", "name": "A"}]', 'json'],
    [
      'a file without an extension holding a batch-write request',
      'request-items',
      '{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "1"}, "employee_name": {"S": "A"}}}}]}',
      'batch-write',
    ],
    ['a file without an extension holding CSV', 'staff', 'id,name\n1,A\n', 'csv'],
    [
      'a file without an extension, JSON after a byte order mark',
      'staff',
      '\uFEFF[{"id": "1", "name": "A"}]',
      'json',
    ],
    ['a .CSV file that starts with a bracket', 'STAFF.CSV', '[note],id,name\n,1,A\n', 'csv'],
  ])('tells the format by the name, then by the content: %s', (_what, file, content, format) => {
    const parsed = parseEmployeeFile(content, file);
    expect(parsed.issues).toEqual([]);
    expect(parsed.format).toBe(format);
    expect(parsed.records.map((record) => Object.values(record.value).filter(Boolean))).toEqual([
      ['1', 'A'],
    ]);
  });
});

describe('parseEmployeeFile: the workshop batch-write format', () => {
  it('reads fixtures/request-items.json: 10 employees, no problems', () => {
    const parsed = parseEmployeeFile(fixture('request-items.json'), 'request-items.json');
    expect(parsed.format).toBe('batch-write');
    expect(parsed.issues).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records).toHaveLength(10);
    expect(parsed.records[0]?.value).toEqual({
      employee_id: '001',
      employee_name: 'Rose',
      employee_entry_date: '20190924',
      lottery_serial: '1',
    });
    expect(parsed.records.map((record) => record.item)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const lines = parsed.records.map((record) => record.line ?? 0);
    expect(lines[0]).toBeGreaterThan(1);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    expect(new Set(lines).size).toBe(10);
  });

  it('gives records that pass the employee checks', () => {
    const parsed = parseEmployeeFile(fixture('request-items.json'), 'request-items.json');
    const employees = parsed.records.map((record) => normalizeEmployee(record).employee);
    expect(employees.map((employee) => employee?.employee_name)).toEqual([
      'Rose',
      'Tracy',
      'Aaron',
      'Bob',
      'Yigal',
      'Uber',
      'Oscar',
      'Paul',
      'Ember',
      'Gary',
    ]);
    expect(employees.map((employee) => employee?.lottery_serial)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  const request = (entries: string[]) => `{"Lottery-Employee": [\n${entries.join(',\n')}\n]}`;

  it('reports a DeleteRequest entry by line and item, and keeps the PutRequests', () => {
    const parsed = parseEmployeeFile(
      request([
        '{"DeleteRequest": {"Key": {"employee_id": {"S": "001"}}}}',
        '{"PutRequest": {"Item": {"employee_id": {"S": "002"}, "employee_name": {"S": "Tracy"}}}}',
      ]),
      'req.json',
    );
    expect(parsed.issues).toEqual([
      {
        file: 'req.json',
        line: 2,
        item: 1,
        message: 'is not a {"PutRequest": {"Item": …}} entry',
        hint: 'only PutRequest entries can be loaded',
      },
    ]);
    expect(parsed.records).toEqual([
      { value: { employee_id: '002', employee_name: 'Tracy' }, line: 3, item: 2 },
    ]);
  });

  it('reads BOOL attributes (eligible), and reports attributes that are neither S, N nor BOOL, naming the attribute and its type', () => {
    const parsed = parseEmployeeFile(
      request([
        '{"PutRequest": {"Item": {"employee_id": {"S": "001"}, "employee_name": {"S": "Rose"}, "active": {"BOOL": true}, "lottery_serial": {"N": "1"}, "tags": {"SS": ["a"]}, "bad": null}}}',
      ]),
      'req.json',
    );
    expect(parsed.issues).toEqual([
      {
        file: 'req.json',
        line: 2,
        item: 1,
        field: 'tags',
        message: 'has type SS',
        hint: 'use {"S": "…"} or {"N": "…"}',
      },
      {
        file: 'req.json',
        line: 2,
        item: 1,
        field: 'bad',
        message: 'has type none',
        hint: 'use {"S": "…"} or {"N": "…"}',
      },
    ]);
    expect(parsed.records).toEqual([
      {
        value: { employee_id: '001', employee_name: 'Rose', active: true, lottery_serial: '1' },
        line: 2,
        item: 1,
      },
    ]);
  });

  const rose =
    '[{"PutRequest": {"Item": {"employee_id": {"S": "001"}, "employee_name": {"S": "Rose"}}}}]';

  it("loads a prefixed stack's employee table list", () => {
    const parsed = parseEmployeeFile(`{"test-Lottery-Employee": ${rose}}`, 'req.json');
    expect(parsed).toMatchObject({ issues: [], warnings: [] });
    expect(parsed.records).toHaveLength(1);
  });

  it("refuses the workshop's winners file, which is not a list of employees", () => {
    expect(parseEmployeeFile(`{"Lottery-Winners": ${rose}}`, 'req.json').issues).toEqual([
      {
        file: 'req.json',
        line: 1,
        message:
          'the request file is for the table "Lottery-Winners", not for employees: seed loads employees into Lottery-Employee',
        hint: "load the workshop's employee file (request-items.json), not its winners",
      },
    ]);
  });

  it('refuses a list for a table it does not know, and says what to call it', () => {
    expect(parseEmployeeFile(`{"Staff": ${rose}}`, 'req.json').issues).toEqual([
      {
        file: 'req.json',
        line: 1,
        message:
          'the request file is for the table "Staff": seed loads employees into Lottery-Employee',
        hint: 'name the list "Lottery-Employee"',
      },
    ]);
  });

  it('refuses a file with lists for several tables rather than leave one out', () => {
    expect(
      parseEmployeeFile(`{"Lottery-Winners": [], "Lottery-Employee": ${rose}}`, 'req.json').issues,
    ).toEqual([
      {
        file: 'req.json',
        line: 1,
        message:
          'the request file holds lists for 2 tables ("Lottery-Winners", "Lottery-Employee"); seed loads only the employee list',
        hint: 'put the employees in a file of their own',
      },
    ]);
  });

  it('refuses JSON nested too deeply to be an employee list, without exhausting the stack', () => {
    expect(parseEmployeeFile(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'deep.json')).toEqual({
      format: 'json',
      records: [],
      issues: [
        {
          file: 'deep.json',
          line: 1,
          message: 'the JSON is nested too deeply to be an employee list',
        },
      ],
      warnings: [],
    });
  });

  it.each([
    ['a list that is not an array', '{"Lottery-Employee": {"PutRequest": {}}}'],
    ['an empty object', '{}'],
  ])('refuses %s', (_label, text) => {
    expect(parseEmployeeFile(text, 'req.json')).toEqual({
      format: 'batch-write',
      records: [],
      issues: [
        {
          file: 'req.json',
          line: 1,
          message:
            'expected a batch-write request file with a "Lottery-Employee" list of PutRequest entries',
        },
      ],
      warnings: [],
    });
  });

  it.each([
    ['an Item that is null', '{"PutRequest": {"Item": null}}'],
    ['an Item that is not an object', '{"PutRequest": {"Item": "001"}}'],
    ['a PutRequest that is null', '{"PutRequest": null}'],
    ['an entry that is null', 'null'],
  ])('reports %s by line and item, and keeps the other entries', (_what, entry) => {
    const parsed = parseEmployeeFile(
      `{"Lottery-Employee": [\n${entry},\n{"PutRequest": {"Item": {"employee_id": {"S": "002"}, "employee_name": {"S": "Tracy"}}}}\n]}`,
      'req.json',
    );
    expect(parsed.issues).toEqual([
      {
        file: 'req.json',
        line: 2,
        item: 1,
        message: 'is not a {"PutRequest": {"Item": …}} entry',
        hint: 'only PutRequest entries can be loaded',
      },
    ]);
    expect(parsed.records).toEqual([
      { value: { employee_id: '002', employee_name: 'Tracy' }, line: 3, item: 2 },
    ]);
  });

  it('reports an attribute that is null as having no type', () => {
    const parsed = parseEmployeeFile(
      '{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "1"}, "employee_name": {"S": "A"}, "department": null, "email": {}}}}]}',
      'req.json',
    );
    expect(parsed.issues.map((issue) => [issue.field, issue.message])).toEqual([
      ['department', 'has type none'],
      ['email', 'has type none'],
    ]);
  });

  it('reports an empty request list', () => {
    expect(parseEmployeeFile('{"Lottery-Employee": []}', 'req.json').issues).toEqual([
      { file: 'req.json', message: 'the request file holds no employees' },
    ]);
  });
});
