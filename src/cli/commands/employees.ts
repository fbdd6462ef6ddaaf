import { eligiblePool } from '../../core/pool';
import { compareIds } from '../../core/selection';
import type { Employee } from '../../core/employees';
import { scanEmployees } from '../../aws/employees-table';
import { scanClaims } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { renderTable } from '../render/table';
import type { EmployeesCountOptions, EmployeesListOptions } from '../program';

export interface EmployeeRow extends Employee {
  eligible: boolean;
}

/** The pool, by serial, each with whether they can still win. */
export async function collectEmployees(context: CommandContext): Promise<{ employees: EmployeeRow[]; won: number; held: number }> {
  const session = await context.session();
  const [employees, claims] = await Promise.all([scanEmployees(session.clients.doc, context.config.employeeTable), scanClaims(session.clients.doc, context.config.winnersTable)]);
  const pool = eligiblePool(employees, claims, '');
  const eligible = new Set(pool.eligible.map((employee) => employee.employee_id));
  const rows = employees
    .map((employee) => ({ ...employee, eligible: eligible.has(employee.employee_id) }))
    .sort((a, b) => a.lottery_serial - b.lottery_serial || compareIds(a.employee_id, b.employee_id));
  return { employees: rows, won: pool.won, held: pool.heldByOthers };
}

export async function employeesList(options: EmployeesListOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const { employees } = await collectEmployees(context);
  const shown = options.eligible ? employees.filter((employee) => employee.eligible) : employees;
  if (options.json) {
    output.json(shown);
    return;
  }
  if (shown.length === 0) {
    output.info(options.eligible ? 'Nobody is eligible.' : 'No employees yet: load some with `lottery seed`.');
    return;
  }
  output.result(
    renderTable(
      output.out,
      ['Serial', 'Employee ID', 'Name', 'Department', 'Entry date', 'Eligible'],
      shown.map((employee) => [employee.lottery_serial, employee.employee_id, employee.employee_name, employee.department, employee.employee_entry_date, employee.eligible ? 'yes' : output.out.dim('won')]),
    ),
  );
  output.info(`${shown.length} employee${shown.length === 1 ? '' : 's'}`);
}

export async function employeesCount(options: EmployeesCountOptions, context: CommandContext): Promise<void> {
  const { employees, won, held } = await collectEmployees(context);
  const counts = { total: employees.length, eligible: employees.filter((employee) => employee.eligible).length, won, held_by_running_draws: held };
  if (options.json) context.output.json(counts);
  else context.output.result(`${counts.total} employees: ${counts.eligible} eligible, ${counts.won} have won${held > 0 ? `, ${held} held by running draws` : ''}`);
}
