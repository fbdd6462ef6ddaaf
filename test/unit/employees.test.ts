import { describe, expect, it } from 'vitest';
import { freshCopy } from '../helpers/fresh-module';
import {
  MAX_SERIAL,
  canonicalField,
  mergeEmployee,
  normalizeEmployee,
  type Employee,
  type RawRecord,
} from '../../src/core/employees';

const loadedAfresh = () => freshCopy('employees');

const at = (value: Record<string, unknown>, line = 2): RawRecord => ({ value, line });
const base = { employee_id: '001', employee_name: 'Rose' };

/** The single issue found in a record that differs from a good one by `changes`. */
function onlyIssue(changes: Record<string, unknown>) {
  const result = normalizeEmployee(at({ ...base, ...changes }));
  expect(result.employee).toBeUndefined();
  expect(result.issues).toHaveLength(1);
  return result.issues[0] ?? { message: 'no issue' };
}

describe('canonicalField', () => {
  it.each([
    ['employee_id', 'employee_id'],
    ['Employee ID', 'employee_id'],
    ['EMPLOYEE-ID', 'employee_id'],
    ['EmployeeId', 'employee_id'],
    ['employeeid', 'employee_id'],
    ['id', 'employee_id'],
    ['  ID  ', 'employee_id'],
    ['emp_id', 'employee_id'],
    ['Staff ID', 'employee_id'],
    ['employee_name', 'employee_name'],
    ['Employee Name', 'employee_name'],
    ['EmployeeName', 'employee_name'],
    ['name', 'employee_name'],
    ['Full Name', 'employee_name'],
    ['lottery_serial', 'lottery_serial'],
    ['Lottery Serial', 'lottery_serial'],
    ['LotterySerial', 'lottery_serial'],
    ['serial', 'lottery_serial'],
    ['employee_entry_date', 'employee_entry_date'],
    ['Entry Date', 'employee_entry_date'],
    ['department', 'department'],
    ['dept', 'department'],
    ['Dept', 'department'],
    ['email', 'email'],
    ['e-mail', 'email'],
    ['E-Mail', 'email'],
    ['Email Address', 'email'],
    ['e mail', 'email'],
  ])('%j → %s', async (name, field) => {
    const { canonicalField } = await loadedAfresh();
    expect(canonicalField(name)).toBe(field);
  });

  it.each(['shoe size', 'phone', '', 'employee', 'mail', 'first name'])(
    '%j is not a known field',
    (name) => {
      expect(canonicalField(name)).toBeUndefined();
    },
  );
});

describe('normalizeEmployee: good records', () => {
  it('maps aliased fields to the table attributes', () => {
    const result = normalizeEmployee(
      at({
        'Employee ID': ' 001 ',
        Name: ' Rose ',
        Serial: '15',
        'Entry Date': '2019-09-24',
        Dept: 'Ops',
        'E-mail': 'rose@example.com',
      }),
    );
    expect(result).toEqual({
      employee: {
        employee_id: '001',
        employee_name: 'Rose',
        lottery_serial: 15,
        employee_entry_date: '20190924',
        department: 'Ops',
        email: 'rose@example.com',
      },
      issues: [],
      unknownFields: [],
      given: new Set([
        'employee_id',
        'employee_name',
        'lottery_serial',
        'employee_entry_date',
        'department',
        'email',
      ]),
      eligible: true,
    });
  });

  it('needs only an id and a name; optional fields are left out, not set to undefined', async () => {
    const { normalizeEmployee } = await loadedAfresh();
    const result = normalizeEmployee(at(base));
    expect(result.employee).toEqual(base);
    expect(Object.keys(result.employee ?? {})).toEqual(['employee_id', 'employee_name']);
  });

  it('treats empty optional fields as absent', () => {
    const result = normalizeEmployee(
      at({ ...base, serial: '', entry_date: '', department: '  ', email: '' }),
    );
    expect(result).toEqual({
      employee: base,
      issues: [],
      unknownFields: [],
      given: new Set([
        'employee_id',
        'employee_name',
        'lottery_serial',
        'employee_entry_date',
        'department',
        'email',
      ]),
      eligible: true,
    });
  });

  it('accepts numbers as ids (as a JSON file may have them)', () => {
    expect(normalizeEmployee(at({ employee_id: 15, employee_name: 'Rose' })).employee).toEqual({
      employee_id: '15',
      employee_name: 'Rose',
    });
  });

  it.each<[unknown, number]>([
    ['15', 15],
    [' 15 ', 15],
    [15, 15],
    ['1', 1],
    [MAX_SERIAL, MAX_SERIAL],
    [`${MAX_SERIAL}`, MAX_SERIAL],
  ])('serial %j → %d', (serial, expected) => {
    expect(
      normalizeEmployee(at({ ...base, lottery_serial: serial })).employee?.lottery_serial,
    ).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['20190924', '20190924'],
    [20190924, '20190924'],
    ['2019-09-24', '20190924'],
    ['20200229', '20200229'],
    [' 2019-12-31 ', '20191231'],
  ])('entry date %j → %s', (date, expected) => {
    expect(
      normalizeEmployee(at({ ...base, employee_entry_date: date })).employee?.employee_entry_date,
    ).toBe(expected);
  });

  it('reports fields it does not know, and still reads the record', () => {
    const result = normalizeEmployee(at({ ...base, 'shoe size': 42, Phone: '555' }));
    expect(result.employee).toEqual(base);
    expect(result.issues).toEqual([]);
    expect(result.unknownFields).toEqual(['shoe size', 'Phone']);
  });
});

describe('normalizeEmployee: bad records', () => {
  it.each<[string, Record<string, unknown>, { field: string; message: string | RegExp }]>([
    ['missing id', { employee_id: undefined }, { field: 'employee_id', message: 'is missing' }],
    ['empty id', { employee_id: '   ' }, { field: 'employee_id', message: 'is missing' }],
    ['missing name', { employee_name: null }, { field: 'employee_name', message: 'is missing' }],
    [
      'id with a tab',
      { employee_id: '0\t01' },
      { field: 'employee_id', message: 'contains a control character (a tab)' },
    ],
    [
      'name with a newline inside',
      { employee_name: 'Ro\nse' },
      { field: 'employee_name', message: 'contains a control character (a line break)' },
    ],
    [
      'name with DEL',
      { employee_name: 'Ro\u007fse' },
      { field: 'employee_name', message: 'contains a control character (U+007F)' },
    ],
    [
      'name with ESC (an escape sequence that clears the screen)',
      { employee_name: 'Rose\u001b[2J' },
      { field: 'employee_name', message: 'contains a control character (ESC)' },
    ],
    [
      'name with BEL',
      { employee_name: 'Rose\u0007' },
      { field: 'employee_name', message: 'contains a control character (BEL)' },
    ],
    [
      'name with the C1 control CSI',
      { employee_name: 'Rose\u009b2J' },
      { field: 'employee_name', message: 'contains a control character (U+009B)' },
    ],
    [
      'name with a right-to-left override',
      { employee_name: 'Rose\u202eesoR' },
      { field: 'employee_name', message: 'contains a control character (U+202E)' },
    ],
    [
      'id made only of zero-width spaces',
      { employee_id: '\u200b\u200b' },
      { field: 'employee_id', message: 'is missing: it holds only invisible characters' },
    ],
    [
      'name made only of a zero-width joiner and a no-break space',
      { employee_name: '\u200d\u00a0' },
      { field: 'employee_name', message: 'is missing: it holds only invisible characters' },
    ],
    [
      'id of 65 characters',
      { employee_id: 'x'.repeat(65) },
      { field: 'employee_id', message: 'is 65 characters long' },
    ],
    [
      'name of 201 characters',
      { employee_name: 'n'.repeat(201) },
      { field: 'employee_name', message: 'is 201 characters long' },
    ],
    [
      'id that is an object',
      { employee_id: { S: '001' } },
      { field: 'employee_id', message: 'must be text, got {"S":"001"}' },
    ],
    [
      'name that is a boolean',
      { employee_name: true },
      { field: 'employee_name', message: 'must be text, got true' },
    ],
    [
      'serial "abc"',
      { lottery_serial: 'abc' },
      { field: 'lottery_serial', message: `"abc" is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'serial "0"',
      { lottery_serial: '0' },
      { field: 'lottery_serial', message: `"0" is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'serial "-3"',
      { lottery_serial: '-3' },
      { field: 'lottery_serial', message: `"-3" is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'serial "1.5"',
      { lottery_serial: '1.5' },
      { field: 'lottery_serial', message: `"1.5" is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'serial 1.5',
      { lottery_serial: 1.5 },
      { field: 'lottery_serial', message: `1.5 is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'serial 0',
      { lottery_serial: 0 },
      { field: 'lottery_serial', message: `0 is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'serial -3',
      { lottery_serial: -3 },
      { field: 'lottery_serial', message: `-3 is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'serial above the maximum',
      { lottery_serial: MAX_SERIAL + 1 },
      {
        field: 'lottery_serial',
        message: `${MAX_SERIAL + 1} is not a whole number from 1 to ${MAX_SERIAL}`,
      },
    ],
    [
      'serial true',
      { lottery_serial: true },
      { field: 'lottery_serial', message: `true is not a whole number from 1 to ${MAX_SERIAL}` },
    ],
    [
      'entry date 20190231',
      { employee_entry_date: '20190231' },
      { field: 'employee_entry_date', message: '"20190231" is not a date' },
    ],
    [
      'entry date 2019-13-01',
      { employee_entry_date: '2019-13-01' },
      { field: 'employee_entry_date', message: '"2019-13-01" is not a date' },
    ],
    [
      'entry date 20190229 (not a leap year)',
      { employee_entry_date: '20190229' },
      { field: 'employee_entry_date', message: '"20190229" is not a date' },
    ],
    [
      'entry date 2019/09/24',
      { employee_entry_date: '2019/09/24' },
      { field: 'employee_entry_date', message: '"2019/09/24" is not a date' },
    ],
    [
      'entry date 24.09.2019',
      { employee_entry_date: '24.09.2019' },
      { field: 'employee_entry_date', message: '"24.09.2019" is not a date' },
    ],
    [
      'email without @',
      { email: 'rose.example.com' },
      { field: 'email', message: '"rose.example.com" is not an e-mail address' },
    ],
    [
      'email with a space',
      { email: 'rose smith@example.com' },
      { field: 'email', message: '"rose smith@example.com" is not an e-mail address' },
    ],
    [
      'email with two @',
      { email: 'rose@@example.com' },
      { field: 'email', message: '"rose@@example.com" is not an e-mail address' },
    ],
    [
      'department too long',
      { department: 'd'.repeat(101) },
      { field: 'department', message: 'is 101 characters long' },
    ],
  ])('%s', (_label, changes, expected) => {
    expect(onlyIssue(changes)).toMatchObject({ line: 2, ...expected });
  });

  it('accepts ids and names right at their length limits', () => {
    const result = normalizeEmployee(
      at({ employee_id: 'x'.repeat(64), employee_name: 'n'.repeat(200) }),
    );
    expect(result.issues).toEqual([]);
    expect(result.employee?.employee_id).toHaveLength(64);
  });

  it('tells how to fix a missing id, a long name and a bad serial', () => {
    expect(onlyIssue({ employee_id: '' }).hint).toBe('every employee needs employee_id');
    expect(onlyIssue({ employee_name: 'n'.repeat(201) }).hint).toBe('keep it to 200');
    expect(onlyIssue({ lottery_serial: 'abc' }).hint).toBe(
      'use a positive whole number, or leave it empty to have one assigned',
    );
    expect(onlyIssue({ employee_entry_date: '20190231' }).hint).toBe(
      'write it as yyyymmdd (20190924) or yyyy-mm-dd',
    );
  });

  it('reports every problem of a record at once, located by line and item', () => {
    const result = normalizeEmployee({
      value: { id: '', name: '', serial: 'x', entry_date: 'soon', email: 'nope' },
      line: 7,
      item: 3,
    });
    expect(result.employee).toBeUndefined();
    expect(result.issues.map((issue) => [issue.field, issue.line, issue.item])).toEqual([
      ['employee_id', 7, 3],
      ['employee_name', 7, 3],
      ['lottery_serial', 7, 3],
      ['employee_entry_date', 7, 3],
      ['email', 7, 3],
    ]);
  });

  it('gives no employee when only an optional field is bad', () => {
    const result = normalizeEmployee(at({ ...base, email: 'nope' }));
    expect(result.employee).toBeUndefined();
  });
});

describe('changedFields', () => {
  const rose: Employee = {
    employee_id: '001',
    employee_name: 'Rose',
    lottery_serial: 1,
    department: 'Ops',
  };

  it.each<[string, Partial<Employee>, (keyof Employee)[]]>([
    ['identical', {}, []],
    ['another name', { employee_name: 'Rosa' }, ['employee_name']],
    ['another serial', { lottery_serial: 2 }, ['lottery_serial']],
    ['an entry date added', { employee_entry_date: '20190924' }, ['employee_entry_date']],
    ['department removed', { department: undefined }, ['department']],
    [
      'an email added and a new name',
      { email: 'rose@example.com', employee_name: 'Rosa' },
      ['employee_name', 'email'],
    ],
  ])('%s → %j', async (_label, changes, expected) => {
    const { changedFields } = await loadedAfresh();
    expect(changedFields(rose, { ...rose, ...changes })).toEqual(expected);
  });
});

/**
 * What a record's fields become, or the messages of its issues: for the mutants that survived the
 * tests above.
 */
describe('normalizeEmployee: each field at its edges', () => {
  const normalized = (changes: Record<string, unknown>) => {
    const result = normalizeEmployee(at({ ...base, ...changes }));
    return (
      result.employee ??
      result.issues.map(
        (issue) => `${issue.field}: ${issue.message}${issue.hint ? ` — ${issue.hint}` : ''}`,
      )
    );
  };

  it('reads a column name with several spaces or hyphens in a row', () => {
    expect(canonicalField('Employee  -  ID')).toBe('employee_id');
  });

  it.each<[Record<string, unknown>, unknown]>([
    [{ employee_id: 7 }, { employee_id: '7', employee_name: 'Rose' }],
    [
      { employee_id: Number.POSITIVE_INFINITY },
      ['employee_id: is missing — every employee needs employee_id'],
    ],
    [{ employee_id: null }, ['employee_id: is missing — every employee needs employee_id']],
    [{ department: null, email: null, lottery_serial: null, employee_entry_date: null }, base],
    [{ department: 42 }, { ...base, department: '42' }],
    [{ department: true }, ['department: must be text, got true']],
    [{ department: '\u200b\u3000' }, base],
    [
      { employee_name: '\u200b\u3000' },
      [
        'employee_name: is missing: it holds only invisible characters — every employee needs employee_name',
      ],
    ],
    [
      { employee_name: 'Rose\u0007' },
      [
        'employee_name: contains a control character (BEL) — remove it: it would act on the terminal or the spreadsheet that shows it',
      ],
    ],
    [{ lottery_serial: '  ' }, base],
    [{ lottery_serial: ' 12 ' }, { ...base, lottery_serial: 12 }],
    [{ lottery_serial: 12 }, { ...base, lottery_serial: 12 }],
    [
      { lottery_serial: '12a' },
      [
        'lottery_serial: "12a" is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    [
      { lottery_serial: 'a12' },
      [
        'lottery_serial: "a12" is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    [
      { lottery_serial: true },
      [
        'lottery_serial: true is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    // Only plain digits are a serial: not a sign, an exponent, a hexadecimal number, a decimal
    // point or a list.
    [
      { lottery_serial: '+12' },
      [
        'lottery_serial: "+12" is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    [
      { lottery_serial: '1e3' },
      [
        'lottery_serial: "1e3" is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    [
      { lottery_serial: '0x10' },
      [
        'lottery_serial: "0x10" is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    [
      { lottery_serial: '12.0' },
      [
        'lottery_serial: "12.0" is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    [
      { lottery_serial: [12] },
      [
        'lottery_serial: [12] is not a whole number from 1 to 1000000000 — use a positive whole number, or leave it empty to have one assigned',
      ],
    ],
    [{ lottery_serial: MAX_SERIAL }, { ...base, lottery_serial: MAX_SERIAL }],
    [{ employee_entry_date: '2019-09-24' }, { ...base, employee_entry_date: '20190924' }],
    [
      { employee_entry_date: 'x20190924' },
      [
        'employee_entry_date: "x20190924" is not a date — write it as yyyymmdd (20190924) or yyyy-mm-dd',
      ],
    ],
    [
      { employee_entry_date: '201909245' },
      [
        'employee_entry_date: "201909245" is not a date — write it as yyyymmdd (20190924) or yyyy-mm-dd',
      ],
    ],
    [
      { employee_entry_date: '20190231' },
      [
        'employee_entry_date: "20190231" is not a date — write it as yyyymmdd (20190924) or yyyy-mm-dd',
      ],
    ],
    [
      { employee_entry_date: '20191324' },
      [
        'employee_entry_date: "20191324" is not a date — write it as yyyymmdd (20190924) or yyyy-mm-dd',
      ],
    ],
    [{ email: 'rose@example.com' }, { ...base, email: 'rose@example.com' }],
    [{ email: 'rose@example.com x' }, ['email: "rose@example.com x" is not an e-mail address']],
    [{ email: 'x'.repeat(255) }, ['email: is 255 characters long — keep it to 254']],
  ])('%j → %j', (changes, expected) => {
    expect(normalized(changes)).toEqual(expected);
  });

  it('gives no employee when the id or the name is missing, whatever else is right', () => {
    expect(normalizeEmployee(at({ employee_name: 'Rose' })).employee).toBeUndefined();
    expect(normalizeEmployee(at({ employee_id: '001' })).employee).toBeUndefined();
  });
});

describe('mergeEmployee', () => {
  const stored: Employee = {
    employee_id: '001',
    employee_name: 'Rose',
    lottery_serial: 1,
    department: 'Ops',
  };
  const fromFile: Employee = { employee_id: '001', employee_name: 'Rosa', lottery_serial: 1 };

  it.each<[string, Employee | undefined, (keyof Employee)[], Employee]>([
    [
      'someone new is taken as the file has them',
      undefined,
      ['employee_id', 'employee_name'],
      fromFile,
    ],
    [
      'a file without a department column keeps the department',
      stored,
      ['employee_id', 'employee_name'],
      { ...fromFile, department: 'Ops' },
    ],
    [
      'an empty department cell clears it',
      stored,
      ['employee_id', 'employee_name', 'department'],
      fromFile,
    ],
  ])('%s', (_label, before, given, expected) => {
    expect(mergeEmployee(before, fromFile, new Set(given))).toStrictEqual(expected);
  });

  it('leaves out, rather than sets to undefined, a field neither the file nor the table has', () => {
    expect(
      Object.keys(mergeEmployee(stored, fromFile, new Set(['employee_id', 'employee_name']))),
    ).toEqual(['employee_id', 'employee_name', 'lottery_serial', 'department']);
  });
});

describe('normalizeEmployee: tickets and eligible', () => {
  const person = { employee_id: '001', employee_name: 'Rose' };

  it.each([
    ['3', 3],
    [' 10 ', 10],
    [2, 2],
    ['1', undefined],
    [1, undefined],
    ['', undefined],
    [null, undefined],
  ])('tickets %j → %s on the employee (one ticket is no attribute)', (tickets, expected) => {
    const result = normalizeEmployee(at({ ...person, Tickets: tickets }));
    expect(result.issues).toEqual([]);
    expect(result.employee?.tickets).toBe(expected);
    expect(result.given.has('tickets')).toBe(true);
  });

  it.each(['0', '11', '2.5', 'two', -1, 3.5, true])('tickets %j is refused', (tickets) => {
    const result = normalizeEmployee(at({ ...person, tickets }));
    expect(result.employee).toBeUndefined();
    expect(result.issues).toEqual([
      {
        line: 2,
        field: 'tickets',
        message: `${JSON.stringify(tickets)} is not a whole number from 1 to 10`,
        hint: 'give each person 1 to 10 tickets, or leave it empty for 1',
      },
    ]);
  });

  it.each([
    ['yes', true],
    ['Y', true],
    ['TRUE', true],
    ['1', true],
    [1, true],
    [true, true],
    ['', true],
    [null, true],
    [undefined, true],
    ['no', false],
    [' No ', false],
    ['n', false],
    ['false', false],
    ['0', false],
    [0, false],
    [false, false],
  ])('eligible %j → %s', (eligible, expected) => {
    const result = normalizeEmployee(at({ ...person, 'May win': eligible }));
    expect(result.issues).toEqual([]);
    expect(result.eligible).toBe(expected);
    expect(result.employee).not.toHaveProperty('eligible');
    expect(result.given.has('eligible' as never)).toBe(false);
  });

  it('a record without an eligible column may win', () => {
    expect(normalizeEmployee(at(person)).eligible).toBe(true);
  });

  it.each(['maybe', 2, {}])('eligible %j is refused', (eligible) => {
    const result = normalizeEmployee(at({ ...person, eligible }));
    expect(result.employee).toBeUndefined();
    expect(result.issues).toEqual([
      {
        line: 2,
        field: 'eligible',
        message: `${JSON.stringify(eligible)} is not yes or no`,
        hint: 'write yes or no (true/false and 1/0 work too); leave it empty for yes',
      },
    ]);
  });
});
