import type { WinnerDetail } from './draw';

/** A row of Lottery-Winners as far as eligibility is concerned. */
export interface WinnerClaim {
  employee_id: string;
  draw_id: string;
  status: 'claimed' | 'won';
}

export interface EligiblePool<T> {
  eligible: T[];
  total: number;
  won: number;
  /** People claimed by other draws that are still running: they may come back if those draws fail. */
  heldByOthers: number;
}

/** Everyone who has not won and is not claimed by another draw. This draw's own claims stay eligible. */
export function eligiblePool<T extends { employee_id: string }>(
  employees: readonly T[],
  claims: readonly WinnerClaim[],
  drawId: string,
): EligiblePool<T> {
  const taken = new Map(claims.map((claim) => [claim.employee_id, claim]));
  const eligible: T[] = [];
  let won = 0;
  let heldByOthers = 0;
  for (const employee of employees) {
    const claim = taken.get(employee.employee_id);
    if (!claim || claim.draw_id === drawId) eligible.push(employee);
    else if (claim.status === 'won') won++;
    else heldByOthers++;
  }
  return { eligible, total: employees.length, won, heldByOthers };
}

export type SelectionDecision = { kind: 'select' } | { kind: 'wait' } | { kind: 'fail'; message: string };

/**
 * Whether a draw can pick `wanted` people now. When only claims of running draws stand in the way,
 * waiting a moment lets those draws finish or give their claims back.
 */
export function decideSelection(pool: EligiblePool<unknown>, wanted: number, waitsLeft: number): SelectionDecision {
  if (pool.eligible.length >= wanted) return { kind: 'select' };
  if (pool.eligible.length + pool.heldByOthers >= wanted && waitsLeft > 0) return { kind: 'wait' };
  return { kind: 'fail', message: notEnoughEligibleMessage(pool, wanted) };
}

export function notEnoughEligibleMessage(pool: EligiblePool<unknown>, wanted: number): string {
  const held = pool.heldByOthers > 0 ? `, ${pool.heldByOthers} held by draws still running` : '';
  const people = pool.total === 1 ? 'employee' : 'employees';
  return (
    `only ${pool.eligible.length} of ${pool.total} ${people} ${pool.eligible.length === 1 ? 'is' : 'are'} eligible ` +
    `(${pool.won} already won${held}); asked for ${wanted} winner${wanted === 1 ? '' : 's'}`
  );
}

export function winnerDetail(employee: WinnerDetail): WinnerDetail {
  const detail: WinnerDetail = { employee_id: employee.employee_id, employee_name: employee.employee_name };
  if (employee.lottery_serial !== undefined) detail.lottery_serial = employee.lottery_serial;
  if (employee.department !== undefined) detail.department = employee.department;
  if (employee.email !== undefined) detail.email = employee.email;
  return detail;
}
