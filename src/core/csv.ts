import { printable } from './printable';

// CSV for people who open it in a spreadsheet. A cell that starts with = + - @ (or a tab or
// carriage return) would be run as a formula by Excel, LibreOffice or Google Sheets — "CSV
// injection" — so it gets a leading apostrophe, which spreadsheets show as text (OWASP's advice).

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text =
    value === undefined || value === null ? '' : printable(String(value), { keepNewlines: true });
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: comma-separated, CRLF line ends, quotes doubled inside quoted cells. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
