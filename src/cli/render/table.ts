import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';

/** A table for people. Headers are styled with our own chalk, so NO_COLOR and pipes are respected. */
export function renderTable(style: ChalkInstance, head: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  const table = new Table({
    head: head.map((title) => style.bold(title)),
    style: { head: [], border: [] },
    // No rule between rows: a list of people reads better compact.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(row.map((cell) => (cell === undefined ? '' : String(cell))));
  return table.toString();
}
