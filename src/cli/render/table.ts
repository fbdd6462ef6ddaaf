import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import stringWidth from 'string-width';
import { printable } from '../../core/printable';

/** A cell shown in a style of ours: the text is made printable first, then styled. */
export interface StyledCell {
  text: string;
  style: (text: string) => string;
}

export const styled = (text: string, style: (text: string) => string): StyledCell => ({
  text,
  style,
});

type Cell = string | number | null | undefined | StyledCell;

function show(cell: Cell): string {
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'object') return cell.style(printable(cell.text));
  return printable(String(cell));
}

/**
 * cli-table3 spends tens of microseconds on every cell (it builds its regular expressions again
 * for each): past this many rows, the rest are laid out here, the same way.
 */
const ROWS_BY_CLI_TABLE = 200;
/** cli-table3's padding, one space either side, and its default rule between columns. */
const PADDING = 2;
const RULE = '│';

/**
 * A table for people. Headers are styled with our own chalk, so NO_COLOR and pipes are respected;
 * a column that is empty on every row is left out; every cell is shown printable. In a long list,
 * the rows past the first ROWS_BY_CLI_TABLE are laid out as cli-table3 lays them out, at a
 * fraction of its cost (test/unit/table.test.ts holds the two to the same output).
 */
export function renderTable(
  style: ChalkInstance,
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const empty = (cell: Cell) =>
    cell === undefined ||
    cell === null ||
    cell === '' ||
    (typeof cell === 'object' && cell.text === '');
  const kept = head.map((_, column) => rows.some((row) => !empty(row[column])));
  const cells = rows.map((row) => row.filter((_, column) => kept[column]).map(show));
  const titles = head.filter((_, column) => kept[column]);
  const options = (colWidths?: number[]) => ({
    style: { head: [], border: [] },
    // No rule between rows: a list of people reads better compact.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    ...(colWidths ? { colWidths } : {}),
  });
  if (cells.length <= ROWS_BY_CLI_TABLE) {
    const table = new Table({ head: titles.map((title) => style.bold(title)), ...options() });
    table.push(...cells);
    return table.toString();
  }
  // A loop, not Math.max(...): a list of 100,000 people would be too many arguments.
  const widths = titles.map((title) => stringWidth(title) + PADDING);
  for (const row of cells)
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column]!, stringWidth(cell) + PADDING);
    });
  const table = new Table({ head: titles.map((title) => style.bold(title)), ...options(widths) });
  table.push(...cells.slice(0, ROWS_BY_CLI_TABLE));
  const lines = table.toString().split('\n');
  const bottom = lines.pop();
  const line = (row: readonly string[]) =>
    RULE +
    row
      .map(
        (cell, column) => ` ${cell}${' '.repeat(widths[column]! - PADDING - stringWidth(cell))} `,
      )
      .join(RULE) +
    RULE;
  return [...lines, ...cells.slice(ROWS_BY_CLI_TABLE).map(line), bottom].join('\n');
}
