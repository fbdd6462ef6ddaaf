import { changedFields, normalizeEmployee, type Employee, type EmployeeInput, type RawRecord } from './employees';
import type { Issue } from './issues';

export interface SeedPlan {
  /** Employees to put: new ones and changed ones. */
  write: Employee[];
  /** With `replace`: employees in the table that the file leaves out, to delete. */
  remove: Employee[];
  /** What changed for each updated employee. */
  changes: { employee_id: string; fields: (keyof Employee)[] }[];
  added: number;
  updated: number;
  unchanged: number;
  /** Serials assigned because the file left them out. */
  assigned: number;
  /** Employees in the table once the plan is written. */
  total: number;
  issues: Issue[];
  warnings: Issue[];
}

interface Placed {
  employee: EmployeeInput;
  line?: number;
  item?: number;
}

const describe = (employee: { employee_id: string; employee_name: string }) =>
  `${employee.employee_id} (${employee.employee_name})`;

/**
 * Decides what a seed writes: every record checked, duplicates found within the file and against
 * the table, missing serials assigned after the highest one in use. Nothing is written when
 * `issues` is not empty.
 */
export interface SeedOptions {
  /** The file becomes the whole pool: employees it leaves out are removed, and their serials are free. */
  replace?: boolean;
}

export function planSeed(file: string, records: readonly RawRecord[], existing: readonly Employee[], options: SeedOptions = {}): SeedPlan {
  const issues: Issue[] = [];
  const unknown = new Map<string, Placed | RawRecord>();
  const placed: Placed[] = [];
  const byId = new Map<string, Placed>();
  const bySerial = new Map<number, Placed>();

  for (const record of records) {
    const { employee, issues: found, unknownFields } = normalizeEmployee(record);
    issues.push(...found.map((issue) => ({ file, ...issue })));
    for (const field of unknownFields) if (!unknown.has(field)) unknown.set(field, record);
    if (!employee) continue;
    const entry: Placed = { employee, line: record.line, item: record.item };
    const where = (other: Placed) => (other.line !== undefined ? `line ${other.line}` : `item ${other.item}`);
    const sameId = byId.get(employee.employee_id);
    if (sameId) {
      issues.push({ file, line: record.line, item: record.item, field: 'employee_id', message: `"${employee.employee_id}" appears again (first on ${where(sameId)})`, hint: 'list each employee once' });
      continue;
    }
    byId.set(employee.employee_id, entry);
    if (employee.lottery_serial !== undefined) {
      const sameSerial = bySerial.get(employee.lottery_serial);
      if (sameSerial) {
        issues.push({ file, line: record.line, item: record.item, field: 'lottery_serial', message: `${employee.lottery_serial} is already used by ${describe(sameSerial.employee)} on ${where(sameSerial)}`, hint: 'give each employee a different serial, or leave it empty to have one assigned' });
        continue;
      }
      bySerial.set(employee.lottery_serial, entry);
    }
    placed.push(entry);
  }

  const kept = options.replace ? existing.filter((employee) => byId.has(employee.employee_id)) : existing;
  const current = new Map(kept.map((employee) => [employee.employee_id, employee]));
  const serialOwner = new Map<number, Employee>();
  for (const employee of kept) if (!byId.has(employee.employee_id)) serialOwner.set(employee.lottery_serial, employee);
  for (const { employee, line, item } of placed) {
    if (employee.lottery_serial === undefined) continue;
    const owner = serialOwner.get(employee.lottery_serial);
    if (owner) {
      issues.push({ file, line, item, field: 'lottery_serial', message: `${employee.lottery_serial} is already used by ${describe(owner)} in the table`, hint: 'use another serial, leave it empty to have one assigned, or start afresh with --replace' });
    }
  }

  const warnings: Issue[] = [...unknown].map(([field, at]) => ({ file, line: at.line, item: at.item, message: `field "${field}" is not used`, hint: 'it is ignored' }));
  const remove = options.replace ? existing.filter((employee) => !byId.has(employee.employee_id)) : [];
  const plan: SeedPlan = { write: [], remove, changes: [], added: 0, updated: 0, unchanged: 0, assigned: 0, total: 0, issues, warnings };
  if (issues.length > 0) return plan;

  // Serials kept or given in the file first; then the missing ones, after the highest in use.
  const resolved = placed.map(({ employee }) => {
    const kept = employee.lottery_serial ?? current.get(employee.employee_id)?.lottery_serial;
    const free = kept !== undefined && (employee.lottery_serial !== undefined || (!serialOwner.has(kept) && !bySerial.has(kept)));
    return { employee, serial: free ? kept : undefined };
  });
  let nextSerial = 1;
  for (const serial of serialOwner.keys()) nextSerial = Math.max(nextSerial, serial + 1);
  for (const { serial } of resolved) nextSerial = Math.max(nextSerial, (serial ?? 0) + 1);

  for (const { employee, serial } of resolved) {
    const before = current.get(employee.employee_id);
    const complete: Employee = { ...employee, lottery_serial: serial ?? nextSerial++ };
    if (serial === undefined) plan.assigned++;
    if (!before) {
      plan.added++;
      plan.write.push(complete);
    } else if (changedFields(before, complete).length > 0) {
      plan.updated++;
      plan.write.push(complete);
      plan.changes.push({ employee_id: complete.employee_id, fields: changedFields(before, complete) });
    } else {
      plan.unchanged++;
    }
    current.set(complete.employee_id, complete);
  }
  plan.total = current.size;
  return plan;
}
