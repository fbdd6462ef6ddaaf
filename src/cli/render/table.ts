import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';

type Cell = string | number | null | undefined;

/**
 * A table for people. Headers are styled with our own chalk, so NO_COLOR and pipes are respected;
 * a column that is empty on every row is left out.
 */
export function renderTable(style: ChalkInstance, head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const empty = (cell: Cell) => cell === undefined || cell === null || cell === '';
  const kept = head.map((_, column) => rows.some((row) => !empty(row[column])));
  const table = new Table({
    head: head.filter((_, column) => kept[column]).map((title) => style.bold(title)),
    style: { head: [], border: [] },
    // No rule between rows: a list of people reads better compact.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(row.filter((_, column) => kept[column]).map((cell) => (empty(cell) ? '' : String(cell))));
  return table.toString();
}
