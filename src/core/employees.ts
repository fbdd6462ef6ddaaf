import type { Issue } from './issues';
import { CONTROL_CHARS, describeControl } from './printable';
import { MAX_TICKETS } from './selection';

export interface Employee {
  employee_id: string;
  employee_name: string;
  lottery_serial: number;
  /** How many tickets the person has in every draw (1 when absent); see MAX_TICKETS. */
  tickets?: number;
  employee_entry_date?: string;
  department?: string;
  email?: string;
}

/** An employee as read from a file: the serial may be left out and is then assigned. */
export type EmployeeInput = Omit<Employee, 'lottery_serial'> & { lottery_serial?: number };

export interface Located<T> {
  value: T;
  line?: number;
  item?: number;
}

export type RawRecord = Located<Record<string, unknown>>;

/** A column that is not an attribute of the employee: whether they may win (core/exclusions.ts). */
export type EmployeeColumn = keyof Employee | 'eligible';

const FIELD_ALIASES: Record<string, EmployeeColumn> = {
  employee_id: 'employee_id',
  employeeid: 'employee_id',
  id: 'employee_id',
  emp_id: 'employee_id',
  staff_id: 'employee_id',
  employee_name: 'employee_name',
  employeename: 'employee_name',
  name: 'employee_name',
  full_name: 'employee_name',
  lottery_serial: 'lottery_serial',
  lotteryserial: 'lottery_serial',
  serial: 'lottery_serial',
  employee_entry_date: 'employee_entry_date',
  entry_date: 'employee_entry_date',
  department: 'department',
  dept: 'department',
  email: 'email',
  e_mail: 'email',
  email_address: 'email',
  tickets: 'tickets',
  ticket_count: 'tickets',
  chances: 'tickets',
  eligible: 'eligible',
  may_win: 'eligible',
};

export const MAX_ID_LENGTH = 64;
export const MAX_NAME_LENGTH = 200;
export const MAX_SERIAL = 1_000_000_000;

/** Maps a column or key as people write it ("Employee ID", "e-mail") to our attribute, if known. */
export function canonicalField(name: string): EmployeeColumn | undefined {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return FIELD_ALIASES[key];
}

/** Characters that show nothing on their own: a value made only of these is as good as empty. */
export const INVISIBLE = /[\p{Cf}\p{Z}\u115f\u1160\u3164\uffa0]/gu;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  return value.trim();
}

function checkText(
  field: string,
  value: unknown,
  max: number,
  required: boolean,
  issues: Omit<Issue, 'file'>[],
  at: Located<unknown>,
) {
  const location = { line: at.line, item: at.item, field };
  if (
    value !== undefined &&
    value !== null &&
    typeof value !== 'string' &&
    typeof value !== 'number'
  ) {
    issues.push({ ...location, message: `must be text, got ${JSON.stringify(value)}` });
    return undefined;
  }
  const result = text(value);
  if (result === undefined || result === '') {
    if (required)
      issues.push({ ...location, message: 'is missing', hint: `every employee needs ${field}` });
    return undefined;
  }
  if (CONTROL_CHARS.test(result)) {
    issues.push({
      ...location,
      message: `contains a control character (${describeControl(result)})`,
      hint: 'remove it: it would act on the terminal or the spreadsheet that shows it',
    });
    return undefined;
  }
  if (result.replace(INVISIBLE, '') === '') {
    if (required)
      issues.push({
        ...location,
        message: 'is missing: it holds only invisible characters',
        hint: `every employee needs ${field}`,
      });
    return undefined;
  }
  if (result.length > max) {
    issues.push({
      ...location,
      message: `is ${result.length} characters long`,
      hint: `keep it to ${max}`,
    });
    return undefined;
  }
  return result;
}

function checkSerial(
  value: unknown,
  issues: Omit<Issue, 'file'>[],
  at: Located<unknown>,
): number | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    return undefined;
  const raw = typeof value === 'string' ? value.trim() : value;
  const serial = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (
    typeof serial !== 'number' ||
    !Number.isInteger(serial) ||
    serial < 1 ||
    serial > MAX_SERIAL
  ) {
    issues.push({
      line: at.line,
      item: at.item,
      field: 'lottery_serial',
      message: `${JSON.stringify(value)} is not a whole number from 1 to ${MAX_SERIAL}`,
      hint: 'use a positive whole number, or leave it empty to have one assigned',
    });
    return undefined;
  }
  return serial;
}

function checkEntryDate(
  value: unknown,
  issues: Omit<Issue, 'file'>[],
  at: Located<unknown>,
): string | undefined {
  const raw = text(value);
  if (raw === undefined || raw === '') return undefined;
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (
    !match ||
    !date ||
    date.getUTCMonth() !== Number(match[2]) - 1 ||
    date.getUTCDate() !== Number(match[3])
  ) {
    issues.push({
      line: at.line,
      item: at.item,
      field: 'employee_entry_date',
      message: `${JSON.stringify(value)} is not a date`,
      hint: 'write it as yyyymmdd (20190924) or yyyy-mm-dd',
    });
    return undefined;
  }
  return `${match[1]}${match[2]}${match[3]}`;
}

function checkEmail(
  value: unknown,
  issues: Omit<Issue, 'file'>[],
  at: Located<unknown>,
): string | undefined {
  const email = checkText('email', value, 254, false, issues, at);
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    issues.push({
      line: at.line,
      item: at.item,
      field: 'email',
      message: `${JSON.stringify(email)} is not an e-mail address`,
    });
    return undefined;
  }
  return email;
}

/** Tickets: a whole number from 1 to MAX_TICKETS; empty means one. One is kept as no attribute. */
function checkTickets(
  value: unknown,
  issues: Omit<Issue, 'file'>[],
  at: Located<unknown>,
): number | undefined {
  const raw = typeof value === 'string' ? value.trim() : value;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const tickets = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (
    typeof tickets !== 'number' ||
    !Number.isInteger(tickets) ||
    tickets < 1 ||
    tickets > MAX_TICKETS
  ) {
    issues.push({
      line: at.line,
      item: at.item,
      field: 'tickets',
      message: `${JSON.stringify(value)} is not a whole number from 1 to ${MAX_TICKETS}`,
      hint: `give each person 1 to ${MAX_TICKETS} tickets, or leave it empty for 1`,
    });
    return undefined;
  }
  return tickets === 1 ? undefined : tickets;
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/** Eligible: yes/no, true/false, 1/0 (any case), or a JSON boolean; empty or absent means yes. */
function checkEligible(
  value: unknown,
  issues: Omit<Issue, 'file'>[],
  at: Located<unknown>,
): boolean {
  if (typeof value === 'boolean') return value;
  const raw = (typeof value === 'number' ? String(value) : value) ?? '';
  const word = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (word === '' || (word !== undefined && YES.has(word))) return true;
  if (word !== undefined && NO.has(word)) return false;
  issues.push({
    line: at.line,
    item: at.item,
    field: 'eligible',
    message: `${JSON.stringify(value)} is not yes or no`,
    hint: 'write yes or no (true/false and 1/0 work too); leave it empty for yes',
  });
  return true;
}

export interface NormalizedRecord {
  employee?: EmployeeInput;
  issues: Omit<Issue, 'file'>[];
  unknownFields: string[];
  /** The fields the record has, empty or not: a field it leaves out is not one it clears. */
  given: Set<keyof Employee>;
  /** Whether the person may win: the file's eligible column, yes when it has none. */
  eligible: boolean;
}

/** Checks one record and maps its fields to the table's attributes. */
export function normalizeEmployee(record: RawRecord): NormalizedRecord {
  const fields: Partial<Record<EmployeeColumn, unknown>> = {};
  const unknownFields: string[] = [];
  const given = new Set<keyof Employee>();
  for (const [name, value] of Object.entries(record.value)) {
    const field = canonicalField(name);
    if (field) {
      fields[field] = value;
      if (field !== 'eligible') given.add(field);
    } else unknownFields.push(name);
  }
  const issues: Omit<Issue, 'file'>[] = [];
  const id = checkText('employee_id', fields.employee_id, MAX_ID_LENGTH, true, issues, record);
  const name = checkText(
    'employee_name',
    fields.employee_name,
    MAX_NAME_LENGTH,
    true,
    issues,
    record,
  );
  const serial = checkSerial(fields.lottery_serial, issues, record);
  const entryDate = checkEntryDate(fields.employee_entry_date, issues, record);
  const department = checkText('department', fields.department, 100, false, issues, record);
  const email = checkEmail(fields.email, issues, record);
  const tickets = checkTickets(fields.tickets, issues, record);
  const eligible = checkEligible(fields.eligible, issues, record);
  if (issues.length > 0 || id === undefined || name === undefined)
    return { issues, unknownFields, given, eligible };
  const employee: EmployeeInput = { employee_id: id, employee_name: name };
  if (serial !== undefined) employee.lottery_serial = serial;
  if (entryDate !== undefined) employee.employee_entry_date = entryDate;
  if (department !== undefined) employee.department = department;
  if (email !== undefined) employee.email = email;
  if (tickets !== undefined) employee.tickets = tickets;
  return { employee, issues, unknownFields, given, eligible };
}

/** The attributes of an employee besides the key. */
export const EMPLOYEE_FIELDS: readonly (keyof Employee)[] = [
  'employee_name',
  'lottery_serial',
  'tickets',
  'employee_entry_date',
  'department',
  'email',
];

/**
 * An existing employee updated from a record: the record's fields win, and the optional fields it
 * does not have at all (a file without a department column) keep what the table holds.
 */
export function mergeEmployee(
  before: Employee | undefined,
  after: Employee,
  given: ReadonlySet<keyof Employee>,
): Employee {
  if (!before) return after;
  const merged: Employee = { ...after };
  for (const field of ['employee_entry_date', 'department', 'email'] as const) {
    if (!given.has(field) && before[field] !== undefined) merged[field] = before[field];
  }
  if (!given.has('tickets') && before.tickets !== undefined) merged.tickets = before.tickets;
  return merged;
}

export function changedFields(before: Employee, after: Employee): (keyof Employee)[] {
  return EMPLOYEE_FIELDS.filter((field) => before[field] !== after[field]);
}
