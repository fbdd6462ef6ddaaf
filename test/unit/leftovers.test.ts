import { describe, expect, it } from 'vitest';
import { endedWithoutSuccess, leftovers, rowsByDraw } from '../../src/core/leftovers';
import { unsucceededVerdict } from '../../src/core/verify';

describe('rowsByDraw', () => {
  it('groups the rows of each draw but one, claims apart from wins, leaving out the workshop’s', () => {
    const draws = rowsByDraw(
      [
        { employee_id: '1', draw_id: 'a', status: 'claimed', execution_arn: 'arn:a' },
        { employee_id: '2', draw_id: 'a', status: 'won' },
        { employee_id: '3', draw_id: 'b', status: 'won' },
        { employee_id: '4' },
        { employee_id: '5', draw_id: 'me', status: 'claimed' },
        { employee_id: '6', draw_id: 'a', status: 'won', execution_arn: 'arn:a' },
      ],
      'me',
    );
    expect([...draws]).toEqual([
      ['a', { executionArn: 'arn:a', claimed: ['1'], won: ['2', '6'] }],
      ['b', { claimed: [], won: ['3'] }],
    ]);
    expect([...rowsByDraw([{ employee_id: '5', draw_id: 'me' }])]).toEqual([
      ['me', { claimed: [], won: ['5'] }],
    ]);
  });
});

describe('leftovers', () => {
  const rows = { claimed: ['1'], won: ['2'] };
  it('keeps everything of a draw that runs or succeeded', () => {
    expect(leftovers(rows, 'RUNNING')).toEqual([]);
    expect(leftovers(rows, 'SUCCEEDED')).toEqual([]);
  });
  it('removes everything of a draw that ended without success', () => {
    for (const status of ['FAILED', 'ABORTED', 'TIMED_OUT'])
      expect(leftovers(rows, status)).toEqual(['1', '2']);
  });
  it('removes only the claims of a draw Step Functions does not know, or being redriven', () => {
    expect(leftovers(rows, undefined)).toEqual(['1']);
    expect(leftovers(rows, 'PENDING_REDRIVE')).toEqual(['1']);
  });
  it('knows which statuses ended without success', () => {
    expect(['FAILED', 'ABORTED', 'TIMED_OUT'].every(endedWithoutSuccess)).toBe(true);
    expect([undefined, 'RUNNING', 'SUCCEEDED', 'PENDING_REDRIVE'].some(endedWithoutSuccess)).toBe(
      false,
    );
  });
});

describe('unsucceededVerdict', () => {
  const base = { drawId: 'd', status: 'ABORTED', rows: [], rollbacks: [] };
  it('says a draw that recorded nobody has nothing to check', () => {
    expect(unsucceededVerdict(base)).toEqual({
      recorded: [],
      held: [],
      takenBack: [],
      message: 'draw d did not succeed (ABORTED): it recorded no winners, and has none to check',
    });
  });

  it('says a draw still running is to be checked later', () => {
    expect(unsucceededVerdict({ ...base, status: 'RUNNING' }).message).toBe(
      'draw d is still running: check it once it has ended',
    );
  });

  it('names who were taken back, when and by whom, in id order', () => {
    const verdict = unsucceededVerdict({
      ...base,
      rollbacks: [
        { at: 'T1', by: 'Record Winner Queue', removed: ['b', 'a'] },
        { at: 'T2', by: 'draw e', removed: ['c'] },
      ],
    });
    expect(verdict).toEqual({
      recorded: [],
      held: [],
      takenBack: [
        { at: 'T1', by: 'Record Winner Queue', ids: ['a', 'b'] },
        { at: 'T2', by: 'draw e', ids: ['c'] },
      ],
      message:
        'draw d did not succeed (ABORTED): the wins it recorded of a, b were taken back at T1 by Record Winner Queue; the wins it recorded of c were taken back at T2 by draw e',
    });
  });

  it('names who are still recorded or held, with how to remove them', () => {
    const verdict = unsucceededVerdict({
      ...base,
      status: 'TIMED_OUT',
      rows: [
        { employee_id: 'y', status: 'won' },
        { employee_id: 'x', status: 'won' },
        { employee_id: 'z', status: 'claimed' },
      ],
      rollbacks: [{ at: 'T', by: 'draw e', removed: ['w'] }],
    });
    expect(verdict).toMatchObject({
      recorded: ['x', 'y'],
      held: ['z'],
      message:
        'draw d did not succeed (TIMED_OUT), yet the winners table has x, y as its winners, who did not win; it still holds z; the wins it recorded of w were taken back at T by draw e',
      hint: '`lottery doctor --fix` removes them (so does the next draw)',
    });
    expect(
      unsucceededVerdict({ ...base, rows: [{ employee_id: 'x', status: 'won' }] }).message,
    ).toBe(
      'draw d did not succeed (ABORTED), yet the winners table has x as its winner, who did not win',
    );
    expect(
      unsucceededVerdict({ ...base, rows: [{ employee_id: 'z', status: 'claimed' }] }).message,
    ).toBe('draw d did not succeed (ABORTED), it still holds z');
  });
});
