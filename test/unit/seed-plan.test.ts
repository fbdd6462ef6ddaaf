import { describe, expect, it } from 'vitest';
import type { Employee, RawRecord } from '../../src/core/employees';
import { LotteryError } from '../../src/core/errors';
import { planSeed, SeedPlanner } from '../../src/core/seed-plan';

const FILE = 'staff.csv';

/** CSV-like records: the first one on line 2. */
function lines(...values: Record<string, unknown>[]): RawRecord[] {
  return values.map((value, index) => ({ value, line: index + 2 }));
}

const rose = { employee_id: '001', employee_name: 'Rose', lottery_serial: '1' };
const tracy = { employee_id: '002', employee_name: 'Tracy', lottery_serial: '2' };
const aaron = { employee_id: '003', employee_name: 'Aaron', lottery_serial: '3' };

const serials = (employees: readonly Employee[]) =>
  Object.fromEntries(employees.map((employee) => [employee.employee_id, employee.lottery_serial]));

describe('planSeed: what gets written', () => {
  it('writes every employee of a first seed', () => {
    const plan = planSeed(FILE, lines(rose, { ...tracy, department: 'Ops' }), []);
    expect(plan).toEqual({
      write: [
        { employee_id: '001', employee_name: 'Rose', lottery_serial: 1 },
        { employee_id: '002', employee_name: 'Tracy', lottery_serial: 2, department: 'Ops' },
      ],
      remove: [],
      changes: [],
      added: 2,
      updated: 0,
      unchanged: 0,
      assigned: 0,
      total: 2,
      issues: [],
      warnings: [],
    });
  });

  it('writes nothing when the same file is seeded again', () => {
    const first = planSeed(FILE, lines(rose, tracy, aaron), []);
    const again = planSeed(FILE, lines(rose, tracy, aaron), first.write);
    expect(again).toMatchObject({
      write: [],
      added: 0,
      updated: 0,
      unchanged: 3,
      assigned: 0,
      total: 3,
      issues: [],
    });
  });

  it('says what changed for each updated employee', () => {
    const table: Employee[] = [{ employee_id: '001', employee_name: 'Rose', lottery_serial: 1 }];
    const plan = planSeed(
      FILE,
      lines({ ...rose, employee_name: 'Rosa', department: 'Ops' }),
      table,
    );
    expect(plan.changes).toEqual([{ employee_id: '001', fields: ['employee_name', 'department'] }]);
  });

  it('writes only the employee whose name changed', () => {
    const existing = planSeed(FILE, lines(rose, tracy), []).write;
    const plan = planSeed(FILE, lines({ ...rose, employee_name: 'Rosa' }, tracy), existing);
    expect(plan).toMatchObject({ added: 0, updated: 1, unchanged: 1, total: 2 });
    expect(plan.write).toEqual([{ employee_id: '001', employee_name: 'Rosa', lottery_serial: 1 }]);
  });

  it('clears an optional field the file gives empty, and counts the employee as updated', () => {
    const existing: Employee[] = [
      { employee_id: '001', employee_name: 'Rose', lottery_serial: 1, department: 'Ops' },
    ];
    const plan = planSeed(FILE, lines({ ...rose, department: '' }), existing);
    expect(plan).toMatchObject({
      updated: 1,
      write: [{ employee_id: '001', employee_name: 'Rose', lottery_serial: 1 }],
    });
    expect(plan.write[0]).not.toHaveProperty('department');
  });

  it('keeps the optional fields of a file without those columns (an id,name list renames, it does not erase)', () => {
    const existing: Employee[] = [
      {
        employee_id: '001',
        employee_name: 'Rose',
        lottery_serial: 1,
        department: 'Ops',
        email: 'rose@example.com',
        employee_entry_date: '20190924',
      },
    ];
    const plan = planSeed(FILE, lines({ employee_id: '001', employee_name: 'Rosa' }), existing);
    expect(plan).toMatchObject({
      updated: 1,
      changes: [{ employee_id: '001', fields: ['employee_name'] }],
    });
    expect(plan.write).toEqual([
      {
        employee_id: '001',
        employee_name: 'Rosa',
        lottery_serial: 1,
        department: 'Ops',
        email: 'rose@example.com',
        employee_entry_date: '20190924',
      },
    ]);
  });

  it('mixes added, updated and unchanged, and counts employees left in the table in the total', () => {
    const existing: Employee[] = [
      { employee_id: '001', employee_name: 'Rose', lottery_serial: 1 },
      { employee_id: '002', employee_name: 'Tracy', lottery_serial: 2 },
      { employee_id: '099', employee_name: 'Zed', lottery_serial: 99 },
    ];
    const plan = planSeed(
      FILE,
      lines(rose, { ...tracy, employee_name: 'Tracey' }, aaron),
      existing,
    );
    expect(plan).toMatchObject({ added: 1, updated: 1, unchanged: 1, total: 4, issues: [] });
    expect(plan.write.map((employee) => employee.employee_id)).toEqual(['002', '003']);
  });

  it('lets employees in the file swap serials', () => {
    const existing: Employee[] = [
      { employee_id: '001', employee_name: 'Rose', lottery_serial: 1 },
      { employee_id: '002', employee_name: 'Tracy', lottery_serial: 2 },
    ];
    const plan = planSeed(
      FILE,
      lines({ ...rose, lottery_serial: '2' }, { ...tracy, lottery_serial: '1' }),
      existing,
    );
    expect(plan.issues).toEqual([]);
    expect(plan.updated).toBe(2);
    expect(serials(plan.write)).toEqual({ '001': 2, '002': 1 });
  });
});

describe('planSeed: serials left out of the file', () => {
  const noSerial = (employee: Record<string, unknown>) => ({
    ...employee,
    lottery_serial: undefined,
  });

  it('numbers a first seed from 1', () => {
    const plan = planSeed(FILE, lines(noSerial(rose), noSerial(tracy), noSerial(aaron)), []);
    expect(serials(plan.write)).toEqual({ '001': 1, '002': 2, '003': 3 });
    expect(plan.assigned).toBe(3);
  });

  it('assigns serials after the highest one in the table, without gaps', () => {
    const existing: Employee[] = [
      { employee_id: '100', employee_name: 'Ann', lottery_serial: 7 },
      { employee_id: '101', employee_name: 'Ben', lottery_serial: 3 },
    ];
    const plan = planSeed(FILE, lines(noSerial(rose), noSerial(tracy), noSerial(aaron)), existing);
    expect(serials(plan.write)).toEqual({ '001': 8, '002': 9, '003': 10 });
    expect(plan).toMatchObject({ added: 3, assigned: 3, total: 5, issues: [] });
  });

  it('assigns serials after the highest one given in the file too', () => {
    const existing: Employee[] = [{ employee_id: '100', employee_name: 'Ann', lottery_serial: 7 }];
    const plan = planSeed(
      FILE,
      lines(noSerial(rose), { ...tracy, lottery_serial: '12' }, noSerial(aaron)),
      existing,
    );
    expect(serials(plan.write)).toEqual({ '001': 13, '002': 12, '003': 14 });
    expect(plan.assigned).toBe(2);
  });

  it('keeps the serial of an employee already in the table', () => {
    const existing: Employee[] = [{ employee_id: '001', employee_name: 'Rose', lottery_serial: 5 }];
    expect(planSeed(FILE, lines(noSerial(rose)), existing)).toMatchObject({
      write: [],
      unchanged: 1,
      assigned: 0,
      total: 1,
    });
    const renamed = planSeed(FILE, lines({ employee_id: '001', employee_name: 'Rosa' }), existing);
    expect(renamed).toMatchObject({
      updated: 1,
      assigned: 0,
      write: [{ employee_id: '001', employee_name: 'Rosa', lottery_serial: 5 }],
    });
  });

  it('gives an existing employee a new serial when the file hands theirs to someone else', () => {
    const existing: Employee[] = [{ employee_id: '001', employee_name: 'Rose', lottery_serial: 5 }];
    const plan = planSeed(FILE, lines(noSerial(rose), { ...tracy, lottery_serial: '5' }), existing);
    expect(plan.issues).toEqual([]);
    expect(serials(plan.write)).toEqual({ '001': 6, '002': 5 });
    expect(plan).toMatchObject({ added: 1, updated: 1, assigned: 1 });
  });

  it('leaves no gap when the file moves someone off the highest serial', () => {
    const table: Employee[] = [{ employee_id: '001', employee_name: 'Rose', lottery_serial: 100 }];
    const plan = planSeed(
      FILE,
      lines({ ...rose, lottery_serial: '1' }, { employee_id: '009', employee_name: 'New' }),
      table,
    );
    expect(serials(plan.write)).toEqual({ '001': 1, '009': 2 });
  });

  it('never gives two employees the same serial', () => {
    const existing: Employee[] = [
      { employee_id: '001', employee_name: 'Rose', lottery_serial: 1 },
      { employee_id: '002', employee_name: 'Tracy', lottery_serial: 2 },
      { employee_id: '050', employee_name: 'Kept', lottery_serial: 4 },
    ];
    const plan = planSeed(
      FILE,
      lines({ ...rose, lottery_serial: '2' }, noSerial(tracy), noSerial(aaron), {
        employee_id: '004',
        employee_name: 'Bob',
        lottery_serial: '3',
      }),
      existing,
    );
    expect(plan.issues).toEqual([]);
    const table = new Map(
      existing.map((employee) => [employee.employee_id, employee.lottery_serial]),
    );
    for (const employee of plan.write) table.set(employee.employee_id, employee.lottery_serial);
    expect(new Set(table.values()).size).toBe(table.size);
    expect(plan.total).toBe(table.size);
  });
});

describe('planSeed with replace', () => {
  const table: Employee[] = [
    { employee_id: '001', employee_name: 'Rose', lottery_serial: 1 },
    { employee_id: '050', employee_name: 'Old', lottery_serial: 2 },
  ];

  it('removes the employees the file leaves out, and frees their serials', () => {
    const plan = planSeed(
      FILE,
      lines(rose, { employee_id: '003', employee_name: 'Aaron', lottery_serial: '2' }),
      table,
      { replace: true },
    );
    expect(plan.issues).toEqual([]);
    expect(plan.remove.map((employee) => employee.employee_id)).toEqual(['050']);
    expect(plan).toMatchObject({ added: 1, unchanged: 1, total: 2 });
  });

  it('still refuses a serial that another employee of the file holds', () => {
    const plan = planSeed(
      FILE,
      lines(rose, { employee_id: '003', employee_name: 'Aaron', lottery_serial: '1' }),
      table,
      { replace: true },
    );
    expect(plan.issues.map((issue) => issue.message)).toEqual([
      '1 is already used by 001 (Rose) on line 2',
    ]);
  });
});

describe('planSeed: problems in the file', () => {
  it('reports an id listed twice on the second line, citing the first', () => {
    const plan = planSeed(
      FILE,
      lines(rose, tracy, { ...rose, employee_name: 'Rose again', lottery_serial: '9' }),
      [],
    );
    expect(plan.issues).toEqual([
      {
        file: FILE,
        line: 4,
        field: 'employee_id',
        message: '"001" appears again (first on line 2)',
        hint: 'list each employee once',
      },
    ]);
  });

  it('cites items when records have no line', () => {
    const records: RawRecord[] = [
      { value: rose, item: 1 },
      { value: rose, item: 2 },
    ];
    expect(planSeed(FILE, records, []).issues).toEqual([
      {
        file: FILE,
        item: 2,
        field: 'employee_id',
        message: '"001" appears again (first on item 1)',
        hint: 'list each employee once',
      },
    ]);
  });

  it('reports a serial used twice in the file, naming the first holder', () => {
    const plan = planSeed(FILE, lines(rose, { ...tracy, lottery_serial: '1' }), []);
    expect(plan.issues).toEqual([
      {
        file: FILE,
        line: 3,
        field: 'lottery_serial',
        message: '1 is already used by 001 (Rose) on line 2',
        hint: 'give each employee a different serial, or leave it empty to have one assigned',
      },
    ]);
  });

  it('reports a serial that belongs to another employee in the table', () => {
    const existing: Employee[] = [
      { employee_id: '009', employee_name: 'Ember', lottery_serial: 1 },
    ];
    const plan = planSeed(FILE, lines(rose), existing);
    expect(plan.issues).toEqual([
      {
        file: FILE,
        line: 2,
        field: 'lottery_serial',
        message: '1 is already used by 009 (Ember) in the table',
        hint: 'use another serial, leave it empty to have one assigned, or start afresh with --replace',
      },
    ]);
  });

  it('passes on record problems with the file name', () => {
    const plan = planSeed(
      FILE,
      lines(rose, { employee_id: '002', employee_name: '', lottery_serial: 'abc' }),
      [],
    );
    expect(plan.issues.map((issue) => [issue.file, issue.line, issue.field])).toEqual([
      [FILE, 3, 'employee_name'],
      [FILE, 3, 'lottery_serial'],
    ]);
  });

  it('writes nothing at all when there is any problem', () => {
    const plan = planSeed(FILE, lines(rose, tracy, { ...aaron, email: 'not-an-address' }), []);
    expect(plan.issues).toHaveLength(1);
    expect(plan).toMatchObject({
      write: [],
      added: 0,
      updated: 0,
      unchanged: 0,
      assigned: 0,
      total: 0,
    });
  });

  it('warns once about each unknown field, at its first occurrence, and still writes', () => {
    const plan = planSeed(
      FILE,
      lines(rose, { ...tracy, 'shoe size': '42' }, { ...aaron, 'shoe size': '40', Phone: '555' }),
      [],
    );
    expect(plan.issues).toEqual([]);
    expect(plan.added).toBe(3);
    expect(plan.warnings).toEqual([
      { file: FILE, line: 3, message: 'field "shoe size" is not used', hint: 'it is ignored' },
      { file: FILE, line: 4, message: 'field "Phone" is not used', hint: 'it is ignored' },
    ]);
  });

  it('plans nothing for no records', () => {
    expect(
      planSeed(FILE, [], [{ employee_id: '001', employee_name: 'Rose', lottery_serial: 1 }]),
    ).toMatchObject({ write: [], added: 0, total: 1, issues: [] });
  });
});

/** `lottery seed` streams the file twice: the first pass checks it whole, the second writes. */
describe('SeedPlanner: the file read twice', () => {
  function checked(records: readonly RawRecord[], existing: readonly Employee[] = []) {
    const planner = new SeedPlanner(FILE);
    for (const record of records) planner.check(record);
    const { issues } = planner.finishChecks(existing);
    expect([...issues]).toEqual([]);
    return planner;
  }

  it('counts the employees the first pass saw, and says what the table holds after the second', () => {
    const existing: Employee[] = [{ employee_id: '050', employee_name: 'Old', lottery_serial: 7 }];
    const records = lines(rose, { employee_id: '002', employee_name: 'Tracy' });
    const planner = checked(records, existing);
    expect(planner.seen).toBe(2);
    for (const record of records) planner.decide(record);
    expect(planner.poolAfter()).toEqual({
      count: 3,
      maxSerial: 8,
      maxTickets: 1,
      ticketsTotal: 3,
    });
    expect(planner.summary()).toEqual({
      added: 2,
      updated: 0,
      unchanged: 0,
      assigned: 1,
      total: 3,
    });
  });

  const changed = new LotteryError('usage', `${FILE} changed while it was being loaded`, {
    hint: 'run the seed again: it writes only what is missing or different',
  });
  it.each([
    ['another employee on the line', (records: RawRecord[]) => [{ ...records[0]!, value: tracy }]],
    ['the same employee on another line', (records: RawRecord[]) => [{ ...records[0]!, line: 3 }]],
    ['the same employee as another item', (records: RawRecord[]) => [{ ...records[0]!, item: 1 }]],
    [
      'a record that is no longer valid',
      (records: RawRecord[]) => [{ ...records[0]!, value: { ...rose, employee_name: '' } }],
    ],
  ])(
    'refuses to write when the file changed between the check and the write: %s',
    (_what, change) => {
      const records = lines(rose);
      const planner = checked(records);
      const [second] = change(records);
      expect(() => planner.decide(second!)).toThrow(
        expect.objectContaining({ kind: 'usage', message: changed.message, hint: changed.hint }),
      );
    },
  );

  it('decides nothing before the first pass is finished, or after it found problems', () => {
    const before = new SeedPlanner(FILE);
    before.check(lines(rose)[0]!);
    expect(() => before.decide(lines(rose)[0]!)).toThrow(
      'decide() runs after a first pass without issues',
    );
    const bad = new SeedPlanner(FILE);
    const records = lines(rose, { ...tracy, lottery_serial: '1' });
    for (const record of records) bad.check(record);
    bad.finishChecks([]);
    expect(() => bad.decide(records[0]!)).toThrow(
      'decide() runs after a first pass without issues',
    );
  });

  it('checks against the table once, however often it is asked', () => {
    const planner = new SeedPlanner(FILE);
    planner.check(lines(rose)[0]!);
    planner.finishChecks([]);
    expect([
      ...planner.finishChecks([{ employee_id: '009', employee_name: 'Ember', lottery_serial: 1 }])
        .issues,
    ]).toEqual([]);
  });
});

describe('ids that differ only in case', () => {
  it('warns about two of them in the file, and loads both', () => {
    const plan = planSeed(
      FILE,
      lines(
        rose,
        { employee_id: 'E7', employee_name: 'Seven' },
        { employee_id: 'e7', employee_name: 'Seven again' },
      ),
      [],
    );
    expect(plan.issues).toEqual([]);
    expect(plan.added).toBe(3);
    expect(plan.warnings).toEqual([
      {
        file: FILE,
        line: 4,
        field: 'employee_id',
        message:
          '"e7" and "E7" (line 3) differ only in upper and lower case: they are loaded as two people',
        hint: 'if they are one person, write the id the same way everywhere',
      },
    ]);
  });

  it('warns about one in the file and one in the table', () => {
    const table: Employee[] = [{ employee_id: 'E7', employee_name: 'Seven', lottery_serial: 7 }];
    expect(
      planSeed(FILE, lines({ employee_id: 'e7', employee_name: 'Seven' }), table).warnings,
    ).toEqual([
      {
        file: FILE,
        line: 2,
        field: 'employee_id',
        message:
          '"e7" and "E7" (in the table) differ only in upper and lower case: they are loaded as two people',
        hint: 'if they are one person, write the id the same way everywhere',
      },
    ]);
  });

  it('says nothing of people in the table whom the file does not list', () => {
    const table: Employee[] = [
      { employee_id: 'E8', employee_name: 'Eight', lottery_serial: 8 },
      { employee_id: 'E9', employee_name: 'Nine', lottery_serial: 9 },
    ];
    expect(
      planSeed(FILE, lines({ employee_id: 'E7', employee_name: 'Seven' }), table).warnings,
    ).toEqual([]);
  });

  it('says nothing of the same id in the file and the table, or of a twin the file lists too', () => {
    const table: Employee[] = [{ employee_id: 'E7', employee_name: 'Seven', lottery_serial: 7 }];
    expect(
      planSeed(FILE, lines({ employee_id: 'E7', employee_name: 'Seven' }), table).warnings,
    ).toEqual([]);
    expect(
      planSeed(
        FILE,
        lines(
          { employee_id: 'e7', employee_name: 'Seven' },
          { employee_id: 'E7', employee_name: 'Seven' },
        ),
        table,
      ).warnings.map((warning) => warning.message),
    ).toEqual([
      '"E7" and "e7" (line 2) differ only in upper and lower case: they are loaded as two people',
    ]);
  });
});

describe('SeedPlanner.decide', () => {
  it('says what it decided for each record: added, updated with the fields, or unchanged', () => {
    const table: Employee[] = [
      { employee_id: '001', employee_name: 'Rose', lottery_serial: 1 },
      { employee_id: '002', employee_name: 'Tracy', lottery_serial: 2 },
    ];
    const records = lines(rose, { ...tracy, employee_name: 'Tracey' }, aaron);
    const planner = new SeedPlanner(FILE);
    for (const record of records) planner.check(record);
    planner.finishChecks(table);
    expect(records.map((record) => planner.decide(record))).toEqual([
      { kind: 'unchanged', employee: table[0], assigned: false },
      {
        kind: 'update',
        employee: { ...table[1], employee_name: 'Tracey' },
        assigned: false,
        fields: ['employee_name'],
      },
      {
        kind: 'add',
        employee: { employee_id: '003', employee_name: 'Aaron', lottery_serial: 3 },
        assigned: false,
      },
    ]);
  });
});

describe('tickets and eligibility in the file', () => {
  function decided(
    records: readonly RawRecord[],
    existing: readonly Employee[] = [],
    replace = false,
  ) {
    const planner = new SeedPlanner(FILE, { replace });
    for (const record of records) planner.check(record);
    expect([...planner.finishChecks(existing).issues]).toEqual([]);
    for (const record of records) planner.decide(record);
    return planner;
  }

  it('keeps tickets above one on the employee, and counts the largest and the sum', () => {
    const plan = planSeed(FILE, lines({ ...rose, tickets: '3' }, { ...tracy, tickets: 1 }), []);
    expect(plan.write).toEqual([
      { employee_id: '001', employee_name: 'Rose', lottery_serial: 1, tickets: 3 },
      { employee_id: '002', employee_name: 'Tracy', lottery_serial: 2 },
    ]);
    const planner = decided(lines({ ...rose, tickets: '3' }, { ...tracy, tickets: 1 }));
    expect(planner.poolAfter()).toMatchObject({ maxTickets: 3, ticketsTotal: 4 });
  });

  it('counts the tickets of people the file leaves in the table, unless it replaces them', () => {
    const old: Employee = {
      employee_id: '050',
      employee_name: 'Old',
      lottery_serial: 7,
      tickets: 5,
    };
    expect(decided(lines(rose), [old]).poolAfter()).toMatchObject({
      maxTickets: 5,
      ticketsTotal: 6,
    });
    expect(decided(lines(rose), [old], true).poolAfter()).toMatchObject({
      maxTickets: 1,
      ticketsTotal: 1,
    });
  });

  it('a file without a tickets column keeps the tickets the table has; one with it sets them', () => {
    const before: Employee = {
      employee_id: '001',
      employee_name: 'Rose',
      lottery_serial: 1,
      tickets: 4,
    };
    expect(planSeed(FILE, lines(rose), [before])).toMatchObject({ write: [], unchanged: 1 });
    expect(planSeed(FILE, lines({ ...rose, tickets: '' }), [before])).toMatchObject({
      write: [{ employee_id: '001', employee_name: 'Rose', lottery_serial: 1 }],
      changes: [{ employee_id: '001', fields: ['tickets'] }],
    });
  });

  it('an empty pool has a largest ticket count of one', () => {
    expect(new SeedPlanner(FILE).poolAfter()).toMatchObject({ maxTickets: 1, ticketsTotal: 0 });
  });

  it('reports who the eligible column leaves out, with their serial; everyone else may win', () => {
    const planner = decided(
      lines(
        { ...rose, eligible: 'no' },
        { ...tracy, eligible: 'Yes' },
        { employee_id: '009', employee_name: 'New', eligible: false },
      ),
    );
    expect([...planner.fileEligibility()]).toEqual([
      ['001', { excluded: true, lottery_serial: 1 }],
      ['002', { excluded: false, lottery_serial: 2 }],
      ['009', { excluded: true, lottery_serial: 3 }],
    ]);
  });

  it('refuses tickets and eligibility it cannot read, with the line', () => {
    const plan = planSeed(
      FILE,
      lines({ ...rose, tickets: '11' }, { ...tracy, eligible: 'maybe' }),
      [],
    );
    expect(plan.issues).toEqual([
      {
        file: FILE,
        line: 2,
        field: 'tickets',
        message: '"11" is not a whole number from 1 to 10',
        hint: 'give each person 1 to 10 tickets, or leave it empty for 1',
      },
      {
        file: FILE,
        line: 3,
        field: 'eligible',
        message: '"maybe" is not yes or no',
        hint: 'write yes or no (true/false and 1/0 work too); leave it empty for yes',
      },
    ]);
  });
});
