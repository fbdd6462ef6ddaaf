import type { Employee } from '../../core/employees';
import { hasWon } from '../../core/pool';
import { compareIds } from '../../core/selection';
import { scanEmployees } from '../../aws/employees-table';
import type { CommandContext } from '../context';
import { countPool, currentClaims } from '../pool';
import { renderTable, styled } from '../render/table';
import type { EmployeesCountOptions, EmployeesListOptions } from '../options';
import { plural } from '../../core/plural';

export interface EmployeeRow extends Employee {
  eligible: boolean;
  /** Why someone is not eligible: they have won, or a running draw holds them. */
  taken?: 'won' | 'held';
}

/** The pool, by serial, each with whether they can still win. */
export async function collectEmployees(context: CommandContext): Promise<EmployeeRow[]> {
  const session = await context.session();
  const [employees, claims] = await Promise.all([
    scanEmployees(session.clients.doc, context.config.employeeTable),
    currentClaims(session),
  ]);
  const claimed = new Map(claims.map((claim) => [claim.employee_id, claim]));
  return employees
    .map((employee): EmployeeRow => {
      const claim = claimed.get(employee.employee_id);
      return claim
        ? { ...employee, eligible: false, taken: hasWon(claim) ? 'won' : 'held' }
        : { ...employee, eligible: true };
    })
    .sort(
      (a, b) => a.lottery_serial - b.lottery_serial || compareIds(a.employee_id, b.employee_id),
    );
}

export async function employeesList(
  options: EmployeesListOptions,
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  const employees = await collectEmployees(context);
  const shown = options.eligible ? employees.filter((employee) => employee.eligible) : employees;
  if (options.json) {
    output.json(shown);
    return;
  }
  if (shown.length === 0) {
    output.info(
      options.eligible ? 'Nobody is eligible.' : 'No employees yet: load some with `lottery seed`.',
    );
    return;
  }
  output.result(
    renderTable(
      output.out,
      ['Serial', 'Employee ID', 'Name', 'Department', 'Entry date', 'Eligible'],
      shown.map((employee) => [
        employee.lottery_serial,
        employee.employee_id,
        employee.employee_name,
        employee.department,
        employee.employee_entry_date,
        employee.taken ? styled(employee.taken, output.out.dim) : 'yes',
      ]),
    ),
  );
  output.info(plural(shown.length, 'employee'));
}

/** Counts from what is kept (src/cli/pool.ts): no scan of the employee table. */
export async function employeesCount(
  options: EmployeesCountOptions,
  context: CommandContext,
): Promise<void> {
  const session = await context.session();
  const pool = await countPool(session);
  const counts = {
    total: pool.total,
    eligible: pool.eligible,
    won: pool.won,
    held_by_running_draws: pool.heldByOthers,
  };
  if (options.json) context.output.json(counts);
  else
    context.output.result(
      `${counts.total} employees: ${counts.eligible} eligible, ${counts.won} have won` +
        (pool.heldByOthers > 0 ? `, ${pool.heldByOthers} held by running draws` : ''),
    );
}
