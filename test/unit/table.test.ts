import Table from 'cli-table3';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderTable, styled } from '../../src/cli/render/table';

const plain = new Chalk({ level: 0 });
const head = ['Serial', 'Employee ID', 'Name', 'Department'];
const people = (count: number) =>
  Array.from({ length: count }, (_, i) => [
    i + 1,
    `E${i + 1}`,
    i % 7 === 0 ? `李雷 ${i}` : `Person ${i}`,
    i % 3 === 0 ? 'Engineering' : undefined,
  ]);

describe('renderTable', () => {
  it('lays out a long list in pieces exactly as cli-table3 lays it out whole', () => {
    const rows = people(450);
    const whole = new Table({
      head,
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    whole.push(...rows.map((row) => row.map((cell) => (cell === undefined ? '' : String(cell)))));
    expect(renderTable(plain, head, rows)).toBe(whole.toString());
  });

  it('lays out styled cells of a long list by their visible width, as cli-table3 does', () => {
    const colour = new Chalk({ level: 1 });
    const rows = people(300).map((row, i) =>
      i % 5 === 0 ? [...row.slice(0, 3), styled(`won ${i}`, colour.dim)] : row,
    );
    const whole = new Table({
      head: head.map((title) => colour.bold(title)),
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    whole.push(
      ...rows.map((row) =>
        row.map((cell) =>
          cell === undefined ? '' : typeof cell === 'object' ? cell.style(cell.text) : String(cell),
        ),
      ),
    );
    expect(renderTable(colour, head, rows)).toBe(whole.toString());
  });

  it('shows control characters in cells instead of sending them to the terminal', () => {
    const table = renderTable(
      plain,
      ['Name'],
      [['Rose\u001b[2J'], ['Evil\u202eesoR'], ['Bell\u0007']],
    );
    expect(table).toContain('Rose\\x1B[2J');
    expect(table).toContain('Evil\\u202EesoR');
    expect(table).toContain('Bell\\x07');
    // eslint-disable-next-line no-control-regex
    expect(table).not.toMatch(/[\u0000-\u0008\u001b\u007f-\u009f\u202e]/);
  });

  it('leaves out a column that is empty on every row', () => {
    expect(
      renderTable(
        plain,
        ['A', 'B'],
        [
          ['x', ''],
          ['y', undefined],
        ],
      ),
    ).not.toContain('B');
  });
});
