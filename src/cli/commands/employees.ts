import type { Employee } from '../../core/employees';
import { LotteryError } from '../../core/errors';
import { nextExclusions, type Exclusion } from '../../core/exclusions';
import { hasWon, type WinnerClaim } from '../../core/pool';
import { compareIds } from '../../core/selection';
import { getEmployees, scanEmployees } from '../../aws/employees-table';
import { changeExclusions } from '../../aws/event-records';
import type { CommandContext } from '../context';
import { countPool, currentClaims, currentExclusions } from '../pool';
import { renderTable, styled } from '../render/table';
import type {
  EmployeesCountOptions,
  EmployeesExcludeOptions,
  EmployeesIncludeOptions,
  EmployeesListOptions,
} from '../options';
import { plural } from '../../core/plural';

export interface EmployeeRow extends Employee {
  eligible: boolean;
  /**
   * Why someone is not eligible: they have won, a running draw holds them, they forfeited a win,
   * or they are excluded from the event.
   */
  taken?: 'won' | 'held' | 'forfeited' | 'excluded';
  /** Why they are excluded, or why they forfeited. */
  reason?: string;
}

function whyNotEligible(
  claim: (WinnerClaim & { forfeit_reason?: string }) | undefined,
  exclusion: Exclusion | undefined,
): Pick<EmployeeRow, 'taken' | 'reason'> | undefined {
  if (claim?.status === 'forfeited' && !claim.eligible_again)
    return {
      taken: 'forfeited',
      ...(claim.forfeit_reason ? { reason: claim.forfeit_reason } : {}),
    };
  if (claim && claim.status !== 'forfeited') return { taken: hasWon(claim) ? 'won' : 'held' };
  if (exclusion) return { taken: 'excluded', reason: exclusion.reason };
  return undefined;
}

/** The pool, by serial, each with whether they can still win and why not. */
export async function collectEmployees(context: CommandContext): Promise<EmployeeRow[]> {
  const session = await context.session();
  const [employees, claims, exclusions] = await Promise.all([
    scanEmployees(session.clients.doc, context.config.employeeTable),
    currentClaims(session),
    currentExclusions(session),
  ]);
  const claimed = new Map(claims.map((claim) => [claim.employee_id, claim]));
  const excluded = new Map(exclusions.map((exclusion) => [exclusion.employee_id, exclusion]));
  return employees
    .map((employee): EmployeeRow => {
      const why = whyNotEligible(
        claimed.get(employee.employee_id),
        excluded.get(employee.employee_id),
      );
      return why ? { ...employee, eligible: false, ...why } : { ...employee, eligible: true };
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
      ['Serial', 'Employee ID', 'Name', 'Department', 'Entry date', 'Tickets', 'Eligible'],
      shown.map((employee) => [
        employee.lottery_serial,
        employee.employee_id,
        employee.employee_name,
        employee.department,
        employee.employee_entry_date,
        employee.tickets ?? 1,
        employee.taken
          ? styled(
              employee.reason ? `${employee.taken}: ${employee.reason}` : employee.taken,
              output.out.dim,
            )
          : 'yes',
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
    forfeited: pool.forfeited,
    excluded: pool.barred,
  };
  if (options.json) context.output.json(counts);
  else {
    const others = [
      pool.forfeited > 0 ? `${pool.forfeited} forfeited` : '',
      pool.barred > 0 ? `${pool.barred} excluded` : '',
      pool.heldByOthers > 0 ? `${pool.heldByOthers} held by running draws` : '',
    ].filter(Boolean);
    context.output.result(
      `${counts.total} employees: ${counts.eligible} eligible, ${counts.won} have won${others.map((part) => `, ${part}`).join('')}`,
    );
  }
}

const listed = (ids: readonly string[]) => ids.join(', ');

/** The people named, every one of them in the pool: an unknown id writes nothing. */
async function namedPeople(context: CommandContext, ids: readonly string[]): Promise<Employee[]> {
  const session = await context.session();
  const wanted = [...new Set(ids)];
  const found = await getEmployees(session.clients.doc, context.config.employeeTable, wanted);
  const known = new Set(found.map((employee) => employee.employee_id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new LotteryError(
      'usage',
      `${unknown.length === 1 ? 'there is no employee' : 'there are no employees'} ${listed(unknown)} in the pool; nothing was changed`,
      { hint: 'check the ids with `lottery employees list`' },
    );
  return wanted.map((id) => found.find((employee) => employee.employee_id === id) as Employee);
}

/**
 * `employees exclude`: these people may not win in any draw from now on. Each exclusion is kept
 * with its reason and time before the command returns, so before any draw that depends on it.
 */
export async function employeesExclude(
  options: EmployeesExcludeOptions,
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  const people = await namedPeople(context, options.ids);
  const session = await context.session();
  const claims = await currentClaims(session);
  const since = new Date().toISOString();
  const { added, already } = await changeExclusions(
    session.clients.doc,
    context.config.drawsTable,
    context.config.employeeTable,
    (set) => {
      const excluded = new Set(set.exclusions.map((exclusion) => exclusion.employee_id));
      const fresh: Exclusion[] = people
        .filter((person) => !excluded.has(person.employee_id))
        .map((person) => ({
          employee_id: person.employee_id,
          lottery_serial: person.lottery_serial,
          reason: options.reason,
          since,
          source: 'command',
        }));
      const next = nextExclusions(
        set,
        [...set.exclusions, ...fresh],
        `excluded ${listed(fresh.map((each) => each.employee_id))}: ${options.reason}`,
        since,
      );
      return { ...(next ? { next } : {}), value: { added: fresh, already: excluded } };
    },
  );
  const skipped = people.filter((person) => already.has(person.employee_id));
  const winners = claims
    .filter(
      (claim) => hasWon(claim) && added.some((each) => each.employee_id === claim.employee_id),
    )
    .map((claim) => claim.employee_id);
  if (winners.length > 0)
    output.warn(
      `${listed(winners)} ${winners.length === 1 ? 'has' : 'have'} won already: an exclusion does not take a win back (\`lottery redraw DRAW ID --reason …\` does)`,
    );
  if (options.json) {
    output.json({
      excluded: added.map((each) => each.employee_id),
      already_excluded: skipped.map((person) => person.employee_id),
      reason: options.reason,
      since,
    });
    return;
  }
  if (added.length > 0)
    output.result(
      `Excluded ${listed(added.map((each) => each.employee_id))} (${JSON.stringify(options.reason)}): they are not drawn from now on.`,
    );
  if (skipped.length > 0)
    output.info(
      `${listed(skipped.map((person) => person.employee_id))} ${skipped.length === 1 ? 'was' : 'were'} excluded already.`,
    );
}

/**
 * `employees include`: ends their exclusions with a new version of the exclusions; the versions
 * before keep them on record.
 */
export async function employeesInclude(
  options: EmployeesIncludeOptions,
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  const people = await namedPeople(context, options.ids);
  const session = await context.session();
  const until = new Date().toISOString();
  const named = new Set(people.map((person) => person.employee_id));
  const ending = await changeExclusions(
    session.clients.doc,
    context.config.drawsTable,
    context.config.employeeTable,
    (set) => {
      const ended = set.exclusions.filter((exclusion) => named.has(exclusion.employee_id));
      const next = nextExclusions(
        set,
        set.exclusions.filter((exclusion) => !named.has(exclusion.employee_id)),
        `included again ${listed(ended.map((each) => each.employee_id))}`,
        until,
      );
      return { ...(next ? { next } : {}), value: ended };
    },
  );
  const included = ending.map((exclusion) => exclusion.employee_id);
  const notExcluded = people
    .map((person) => person.employee_id)
    .filter((id) => !included.includes(id));
  const fromFile = ending.filter((exclusion) => exclusion.source === 'file');
  if (fromFile.length > 0)
    output.warn(
      `${listed(fromFile.map((each) => each.employee_id))}: the employee file said not eligible (${fromFile[0]?.reason}); seeding that file again excludes them again unless it changes`,
    );
  if (options.json) {
    output.json({ included, not_excluded: notExcluded, until });
    return;
  }
  if (included.length > 0)
    output.result(`Included ${listed(included)} again: they can be drawn from now on.`);
  if (notExcluded.length > 0)
    output.info(
      `${listed(notExcluded)} ${notExcluded.length === 1 ? 'was' : 'were'} not excluded.`,
    );
}
