import { describe, expect, it } from 'vitest';
import {
  decideSelection,
  eligiblePool,
  notEnoughEligibleMessage,
  winnerDetail,
  type EligiblePool,
  type WinnerClaim,
} from '../../src/core/pool';

const employees = ['001', '002', '003', '004', '005', '006'].map((employee_id) => ({ employee_id, employee_name: `n${employee_id}` }));

function pool(eligible: number, total: number, won: number, heldByOthers: number): EligiblePool<unknown> {
  return { eligible: Array.from({ length: eligible }, (_, i) => i), total, won, heldByOthers };
}

describe('eligiblePool', () => {
  it('everyone is eligible when nobody has won or been claimed', () => {
    expect(eligiblePool(employees, [], 'draw-1')).toEqual({ eligible: employees, total: 6, won: 0, heldByOthers: 0 });
  });

  it("keeps this draw's own claims eligible, counts past winners and other draws' claims apart", () => {
    const claims: WinnerClaim[] = [
      { employee_id: '001', draw_id: 'draw-old', status: 'won' },
      { employee_id: '002', draw_id: 'draw-other', status: 'won' },
      { employee_id: '003', draw_id: 'draw-running', status: 'claimed' },
      { employee_id: '004', draw_id: 'draw-1', status: 'claimed' },
    ];
    const result = eligiblePool(employees, claims, 'draw-1');
    expect(result.eligible.map((employee) => employee.employee_id)).toEqual(['004', '005', '006']);
    expect(result).toMatchObject({ total: 6, won: 2, heldByOthers: 1 });
  });

  it("a person this draw already recorded as won stays in this draw's pool (its retries see the same pool)", () => {
    const claims: WinnerClaim[] = [{ employee_id: '005', draw_id: 'draw-1', status: 'won' }];
    const result = eligiblePool(employees, claims, 'draw-1');
    expect(result.eligible).toHaveLength(6);
    expect(result.won).toBe(0);
  });

  it('ignores claims on people who are not in the employee list', () => {
    const claims: WinnerClaim[] = [{ employee_id: 'gone', draw_id: 'draw-0', status: 'won' }];
    expect(eligiblePool(employees, claims, 'draw-1')).toMatchObject({ total: 6, won: 0, heldByOthers: 0 });
  });

  it('keeps the order of the employee list and does not copy the members', () => {
    const result = eligiblePool(employees, [{ employee_id: '003', draw_id: 'x', status: 'won' }], 'draw-1');
    expect(result.eligible[2]).toBe(employees[3]);
  });
});

describe('decideSelection', () => {
  it.each([
    ['enough eligible', pool(5, 10, 5, 0), 5, 3, { kind: 'select' }],
    ['more than enough', pool(9, 10, 0, 1), 2, 0, { kind: 'select' }],
    ['enough only with claims of running draws, waits left', pool(2, 10, 5, 3), 4, 1, { kind: 'wait' }],
  ] as const)('%s → %j', (_label, eligible, wanted, waitsLeft, expected) => {
    expect(decideSelection(eligible, wanted, waitsLeft)).toEqual(expected);
  });

  it('fails once it has no waits left, even if running draws might give people back', () => {
    expect(decideSelection(pool(2, 10, 5, 3), 4, 0)).toEqual({
      kind: 'fail',
      message: 'only 2 of 10 employees are eligible (5 already won, 3 held by draws still running); asked for 4 winners',
    });
  });

  it('fails at once when even the claimed people would not be enough', () => {
    expect(decideSelection(pool(2, 10, 7, 1), 4, 5)).toEqual({
      kind: 'fail',
      message: 'only 2 of 10 employees are eligible (7 already won, 1 held by draws still running); asked for 4 winners',
    });
  });
});

describe('notEnoughEligibleMessage', () => {
  it.each([
    [pool(0, 5, 5, 0), 2, 'only 0 of 5 employees are eligible (5 already won); asked for 2 winners'],
    [pool(1, 5, 4, 0), 2, 'only 1 of 5 employees is eligible (4 already won); asked for 2 winners'],
    [pool(0, 1, 1, 0), 1, 'only 0 of 1 employee are eligible (1 already won); asked for 1 winner'],
    [pool(3, 10, 5, 2), 6, 'only 3 of 10 employees are eligible (5 already won, 2 held by draws still running); asked for 6 winners'],
    [pool(0, 0, 0, 0), 1, 'only 0 of 0 employees are eligible (0 already won); asked for 1 winner'],
  ])('%j, asked for %d → %s', (eligible, wanted, expected) => {
    expect(notEnoughEligibleMessage(eligible, wanted)).toBe(expected);
  });
});

describe('winnerDetail', () => {
  it('keeps the announced fields and drops the rest', () => {
    const employee = { employee_id: '001', employee_name: 'Rose', lottery_serial: 1, department: 'Ops', email: 'rose@example.com', employee_entry_date: '20190924' };
    expect(winnerDetail(employee)).toEqual({ employee_id: '001', employee_name: 'Rose', lottery_serial: 1, department: 'Ops', email: 'rose@example.com' });
  });

  it('leaves out optional fields that are not set', () => {
    const detail = winnerDetail({ employee_id: '002', employee_name: 'Tracy' });
    expect(detail).toEqual({ employee_id: '002', employee_name: 'Tracy' });
    expect(Object.keys(detail)).toEqual(['employee_id', 'employee_name']);
  });
});
