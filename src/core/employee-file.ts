import { Readable } from 'node:stream';
import { parse as parseCsvStream } from 'csv-parse';
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
  return isJson(file, body) ? parseJson(body, file) : parseCsvFile(body, file);
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

interface CsvRow {
  record: Record<string, string>;
  info: { lines: number; error?: { code: string } };
}

/** csv-parse's options for our CSV: header row, BOM, CRLF, quoted fields, blank lines skipped. */
function csvOptions(onHeader: (names: string[]) => void) {
  return {
    bom: true,
    columns: (names: string[]) => {
      const header = names.map((name) => name.trim());
      onHeader(header);
      return header;
    },
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    trim: true,
    info: true,
    relax_column_count: true,
  } as const;
}

function headerIssues(header: readonly string[], file: string): Issue[] {
  const fields = header.map(canonicalField);
  return (['employee_id', 'employee_name'] as const)
    .filter((required) => !fields.includes(required))
    .map((required) => ({
      file,
      line: 1,
      message: `the header row has no ${required} column`,
      hint: `name one of the columns ${required === 'employee_id' ? '"employee_id" or "id"' : '"employee_name" or "name"'}`,
    }));
}

function csvRow(row: CsvRow, header: readonly string[], file: string): { record: RawRecord } | { issue: Issue } {
  if (row.info.error?.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS') return { record: { value: row.record, line: row.info.lines } };
  const fewer = Object.keys(row.record).length < header.length;
  return {
    issue: {
      file,
      line: row.info.lines,
      message: `has ${fewer ? 'fewer' : 'more'} fields than the header's ${header.length}`,
      hint: fewer ? 'add the missing values, or leave them empty between commas' : 'put quotes around values that contain a comma',
    },
  };
}

function unreadableCsv(error: unknown, file: string): Issue {
  const where = error as { lines?: number; message?: string };
  const reason = (where.message ?? String(error)).replace(/^Invalid [^:]*: /, '');
  return { file, line: where.lines, message: `the CSV cannot be read: ${reason}`, hint: 'check the quotes on that line' };
}

const noEmployees = (file: string): Issue => ({ file, message: 'the file has a header row but no employees' });

function parseCsvFile(body: string, file: string): ParsedEmployeeFile {
  let header: string[] = [];
  let rows: CsvRow[];
  try {
    rows = parseCsv(body, csvOptions((names) => (header = names)));
  } catch (error) {
    return { format: 'csv', records: [], issues: [unreadableCsv(error, file)], warnings: [] };
  }
  const issues = headerIssues(header, file);
  if (issues.length > 0) return { format: 'csv', records: [], issues, warnings: [] };
  const records: RawRecord[] = [];
  for (const row of rows) {
    const parsed = csvRow(row, header, file);
    if ('issue' in parsed) issues.push(parsed.issue);
    else records.push(parsed.record);
  }
  if (records.length === 0 && issues.length === 0) issues.push(noEmployees(file));
  return { format: 'csv', records, issues, warnings: [] };
}

const isJson = (file: string, start: string) => /\.json$/i.test(file) || (!/\.csv$/i.test(file) && /^\s*[[{]/.test(start.replace(/^\uFEFF/, '')));

/**
 * The records of a file read as a stream of chunks, in order. CSV is parsed as it streams, so a
 * file of any size is read in constant memory; JSON is read whole. Problems with the file's
 * structure are added to `found.issues` as they are met.
 */
export async function* streamEmployeeRecords(chunks: AsyncIterable<string | Buffer>, file: string, found: { issues: Issue[]; warnings: Issue[] }): AsyncGenerator<RawRecord> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? '' : String(first.value);
  const rest = async function* () {
    if (!first.done) yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  };
  if (head.replace(/^\uFEFF/, '').trim() === '' || isJson(file, head)) {
    let text = '';
    for await (const chunk of rest()) text += String(chunk);
    const parsed = parseEmployeeFile(text, file);
    found.issues.push(...parsed.issues);
    found.warnings.push(...parsed.warnings);
    yield* parsed.records;
    return;
  }
  let header: string[] = [];
  let count = 0;
  const parser = Readable.from(rest()).pipe(parseCsvStream(csvOptions((names) => (header = names))));
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) {
      if (count === 0) {
        const problems = headerIssues(header, file);
        if (problems.length > 0) {
          found.issues.push(...problems);
          parser.destroy();
          return;
        }
      }
      count++;
      const parsed = csvRow(row, header, file);
      if ('issue' in parsed) found.issues.push(parsed.issue);
      else yield parsed.record;
    }
  } catch (error) {
    found.issues.push(unreadableCsv(error, file));
    return;
  }
  if (count === 0) {
    const problems = headerIssues(header, file);
    found.issues.push(...(problems.length > 0 ? problems : [noEmployees(file)]));
  }
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
