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
 * cli-table3 lays out a table in time that grows faster than its rows: long lists go in pieces of
 * this many.
 */
const ROWS_PER_PIECE = 200;
/** cli-table3's padding, one space either side. */
const PADDING = 2;

/**
 * A table for people. Headers are styled with our own chalk, so NO_COLOR and pipes are respected;
 * a column that is empty on every row is left out; every cell is shown printable. A long list is
 * laid out in pieces with the same column widths, joined without their inner borders, so that
 * 20,000 rows cost twenty times 1,000.
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
  if (cells.length <= ROWS_PER_PIECE) {
    const table = new Table({ head: titles.map((title) => style.bold(title)), ...options() });
    table.push(...cells);
    return table.toString();
  }
  const widths = titles.map(
    (title, column) =>
      Math.max(stringWidth(title), ...cells.map((row) => stringWidth(row[column] ?? ''))) + PADDING,
  );
  const pieces: string[] = [];
  for (let start = 0; start < cells.length; start += ROWS_PER_PIECE) {
    const table = new Table({
      ...(start === 0 ? { head: titles.map((title) => style.bold(title)) } : {}),
      ...options(widths),
    });
    table.push(...cells.slice(start, start + ROWS_PER_PIECE));
    const lines = table.toString().split('\n');
    const last = start + ROWS_PER_PIECE >= cells.length;
    pieces.push(...lines.slice(start === 0 ? 0 : 1, last ? lines.length : -1));
  }
  return pieces.join('\n');
}
