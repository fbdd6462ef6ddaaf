import { parse as parseCsv } from 'csv-parse/sync';
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { canonicalField, type RawRecord } from './employees';
import type { Issue } from './issues';
import { EMPLOYEE_TABLE } from './names';

export type EmployeeFileFormat = 'csv' | 'json' | 'batch-write';

export interface ParsedEmployeeFile {
  format: EmployeeFileFormat;
  records: RawRecord[];
  /** Problems with the file as a whole or its structure; the records found are still returned. */
  issues: Issue[];
  warnings: Issue[];
}

/** Reads the three formats we accept: CSV with a header row, a JSON array, the workshop's batch-write JSON. */
export function parseEmployeeFile(content: string, file: string): ParsedEmployeeFile {
  const body = content.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    return { format: 'csv', records: [], issues: [{ file, message: 'the file is empty', hint: 'export the employee list again' }], warnings: [] };
  }
  const looksJson = /\.json$/i.test(file) || (!/\.csv$/i.test(file) && /^\s*[[{]/.test(body));
  return looksJson ? parseJson(body, file) : parseCsvFile(body, file);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

function parseCsvFile(body: string, file: string): ParsedEmployeeFile {
  const issues: Issue[] = [];
  let rows: { record: Record<string, string>; info: { lines: number; error?: { code: string } } }[];
  let header: string[] = [];
  try {
    rows = parseCsv(body, {
      columns: (names: string[]) => (header = names.map((name) => name.trim())),
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      info: true,
      relax_column_count: true,
    });
  } catch (error) {
    const where = error as { lines?: number; message?: string };
    const reason = (where.message ?? String(error)).replace(/^Invalid [^:]*: /, '');
    return { format: 'csv', records: [], issues: [{ file, line: where.lines, message: `the CSV cannot be read: ${reason}`, hint: 'check the quotes on that line' }], warnings: [] };
  }
  const fields = header.map(canonicalField);
  for (const required of ['employee_id', 'employee_name'] as const) {
    if (!fields.includes(required)) {
      const names = required === 'employee_id' ? '"employee_id" or "id"' : '"employee_name" or "name"';
      issues.push({ file, line: 1, message: `the header row has no ${required} column`, hint: `name one of the columns ${names}` });
    }
  }
  if (issues.length > 0) return { format: 'csv', records: [], issues, warnings: [] };
  const records: RawRecord[] = [];
  for (const row of rows) {
    if (row.info.error?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') {
      const fewer = Object.keys(row.record).length < header.length;
      issues.push({
        file,
        line: row.info.lines,
        message: `has ${fewer ? 'fewer' : 'more'} fields than the header's ${header.length}`,
        hint: fewer ? 'add the missing values, or leave them empty between commas' : 'put quotes around values that contain a comma',
      });
      continue;
    }
    records.push({ value: row.record, line: row.info.lines });
  }
  if (records.length === 0 && issues.length === 0) issues.push({ file, message: 'the file has a header row but no employees' });
  return { format: 'csv', records, issues, warnings: [] };
}

function parseJson(body: string, file: string): ParsedEmployeeFile {
  const errors: ParseError[] = [];
  const tree = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
  const starts = lineStarts(body);
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const line = first ? lineAt(starts, first.offset) : 1;
    const reason = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'no JSON value';
    return { format: 'json', records: [], issues: [{ file, line, message: `the JSON cannot be read: ${reason}` }], warnings: [] };
  }
  if (tree.type === 'array') return { format: 'json', ...arrayRecords(tree, file, starts), warnings: [] };
  if (tree.type === 'object') return batchWriteRecords(tree, file, starts);
  return { format: 'json', records: [], issues: [{ file, line: 1, message: 'expected a JSON array of employees or a batch-write request file' }], warnings: [] };
}

function arrayRecords(array: Node, file: string, starts: number[]) {
  const records: RawRecord[] = [];
  const issues: Issue[] = [];
  (array.children ?? []).forEach((node, index) => {
    const line = lineAt(starts, node.offset);
    if (node.type !== 'object') issues.push({ file, line, item: index + 1, message: 'is not an object with employee fields' });
    else records.push({ value: getNodeValue(node) as Record<string, unknown>, line, item: index + 1 });
  });
  if (records.length === 0 && issues.length === 0) issues.push({ file, message: 'the array holds no employees' });
  return { records, issues };
}

/** `{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "001"}, …}}}]}` */
function batchWriteRecords(object: Node, file: string, starts: number[]): ParsedEmployeeFile {
  const tables = (object.children ?? []).map((property) => ({
    name: String(property.children?.[0]?.value),
    value: property.children?.[1],
  }));
  const warnings: Issue[] = [];
  const chosen = tables.find((table) => table.name === EMPLOYEE_TABLE) ?? (tables.length === 1 ? tables[0] : undefined);
  if (!chosen?.value || chosen.value.type !== 'array') {
    return {
      format: 'batch-write',
      records: [],
      issues: [{ file, line: 1, message: `expected a batch-write request file with a "${EMPLOYEE_TABLE}" list of PutRequest entries` }],
      warnings,
    };
  }
  if (chosen.name !== EMPLOYEE_TABLE) warnings.push({ file, line: 1, message: `loading the "${chosen.name}" list into ${EMPLOYEE_TABLE}` });
  const records: RawRecord[] = [];
  const issues: Issue[] = [];
  (chosen.value.children ?? []).forEach((node, index) => {
    const line = lineAt(starts, node.offset);
    const entry = getNodeValue(node) as { PutRequest?: { Item?: Record<string, unknown> } } | null;
    const item = entry?.PutRequest?.Item;
    if (typeof item !== 'object' || item === null) {
      issues.push({ file, line, item: index + 1, message: 'is not a {"PutRequest": {"Item": …}} entry', hint: 'only PutRequest entries can be loaded' });
      return;
    }
    const value: Record<string, unknown> = {};
    for (const [name, attribute] of Object.entries(item)) {
      const typed = attribute as { S?: unknown; N?: unknown } | null;
      if (typed && typeof typed.S === 'string') value[name] = typed.S;
      else if (typed && typeof typed.N === 'string') value[name] = typed.N;
      else issues.push({ file, line, item: index + 1, field: name, message: `has type ${Object.keys(typed ?? {}).join(',') || 'none'}`, hint: 'use {"S": "…"} or {"N": "…"}' });
    }
    records.push({ value, line, item: index + 1 });
  });
  if (records.length === 0 && issues.length === 0) issues.push({ file, message: 'the request file holds no employees' });
  return { format: 'batch-write', records, issues, warnings };
}
