// Plain-text rendering: aligned tables and target marks. No colours: the output is meant to be
// pasted into issues and compared between runs.

const width = (text) => [...String(text)].length;

/** An aligned table; `align` holds 'l' or 'r' per column (numbers read best right-aligned). */
export function formatTable(headers, rows, align = []) {
  const cells = [headers, ...rows].map((row) =>
    row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))),
  );
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => width(row[column] ?? ''))),
  );
  const line = (row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column] - width(cell));
        return (align[column] ?? 'l') === 'r' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms === 0) return '0 ms';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return '—';
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

export const formatInt = (value) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';

export function formatBig(value) {
  if (!Number.isFinite(value)) return '∞';
  if (value < 1e6) return formatInt(value);
  return value.toExponential(1).replace('e+', 'e');
}

export const mark = (pass) => (pass ? '✔' : '✖');

/** "✔ ≤ 2×" — the mark and the target it was checked against. */
export const targetCell = (check) => (check ? `${mark(check.pass)} ${check.target}` : '');

/** A check line under a table: "✔ what: value (target …)". */
export function formatCheck(check) {
  return `${mark(check.pass)} ${check.name}: ${check.value} (target ${check.target})`;
}
