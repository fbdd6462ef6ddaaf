import { TextDecoder } from 'node:util';
import {
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { CsvReader, CsvSyntaxError, type CsvRecord } from './csv-reader';
import { canonicalField, type RawRecord } from './employees';
import type { IssueList } from './issues';
import { type Issue } from './issues';
import { EMPLOYEE_TABLE, WINNERS_TABLE, DRAWS_TABLE } from './names';

export type EmployeeFileFormat = 'csv' | 'json' | 'batch-write';

export interface ParsedEmployeeFile {
  format: EmployeeFileFormat;
  records: RawRecord[];
  /** Problems with the file as a whole or its structure; the records found are still returned. */
  issues: Issue[];
  warnings: Issue[];
}

/** Where a file's problems go as it is read: the first ones kept, the rest counted. */
export interface FileFindings {
  issues: IssueList;
  warnings: Issue[];
}

/**
 * Reads the three formats we accept: CSV with a header row, a JSON array, the workshop's
 * batch-write JSON.
 */
export function parseEmployeeFile(content: string, file: string): ParsedEmployeeFile {
  const body = content.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    return {
      format: 'csv',
      records: [],
      issues: [{ file, message: 'the file is empty', hint: 'export the employee list again' }],
      warnings: [],
    };
  }
  if (!isJson(file, body)) return parseCsvFile(body, file);
  try {
    return parseJson(body, file);
  } catch (error) {
    // A document nested thousands deep exhausts the parser's stack: no employee list is like that.
    if (!(error instanceof RangeError)) throw error;
    return {
      format: 'json',
      records: [],
      issues: [{ file, line: 1, message: 'the JSON is nested too deeply to be an employee list' }],
      warnings: [],
    };
  }
}

/** A file that is not text in an encoding we read, and the line where that shows. */
class NotText extends Error {
  constructor(readonly line: number) {
    super('not UTF-8 text');
  }
}

/**
 * UTF-16 text without a byte order mark still shows itself: every other byte of its ASCII is zero.
 */
function utf16Without(bom: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const sample = bom.subarray(0, Math.min(bom.length, 512) & ~1);
  if (sample.length < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) zeroEven++;
    if (sample[i + 1] === 0) zeroOdd++;
  }
  const pairs = sample.length / 2;
  if (zeroOdd > pairs * 0.4 && zeroEven === 0) return 'utf-16le';
  if (zeroEven > pairs * 0.4 && zeroOdd === 0) return 'utf-16be';
  return undefined;
}

/**
 * The text of a file's chunks, decoded as a whole even where a chunk ends inside a character:
 * UTF-8 (with or without a byte order mark), or UTF-16 (with one, or recognised without). Bytes
 * that are not UTF-8 (a Latin-1 or Windows-1252 export) stop the reading with NotText: they would
 * otherwise turn into U+FFFD in people's names without a word.
 */
async function* decodeChunks(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let lines = 1;
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    if (!decoder) {
      const bom =
        chunk[0] === 0xff && chunk[1] === 0xfe
          ? 'utf-16le'
          : chunk[0] === 0xfe && chunk[1] === 0xff
            ? 'utf-16be'
            : undefined;
      decoder = new TextDecoder(bom ?? utf16Without(chunk) ?? 'utf-8', {
        fatal: true,
        ignoreBOM: false,
      });
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const shown = new TextDecoder(decoder.encoding).decode(chunk);
      throw new NotText(lines + countLines(shown.slice(0, Math.max(0, shown.indexOf('\uFFFD')))));
    }
    lines += countLines(text);
    yield text;
  }
  if (decoder) {
    try {
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch {
      throw new NotText(lines);
    }
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

const notText = (file: string, line: number): Issue => ({
  file,
  line,
  message: 'is not UTF-8 text (a spreadsheet saved it in another encoding, such as Latin-1)',
  hint: 'save it again as "CSV UTF-8" (or as UTF-16 text); names would be garbled otherwise',
});

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

/**
 * Longer than any real employee's line: a quote never closed would otherwise read the rest of the
 * file into one field.
 */
const MAX_RECORD_CHARS = 100_000;
const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The separator the header row uses: a spreadsheet set to a European locale writes ";" instead of
 * ",".
 */
export function detectDelimiter(head: string): (typeof DELIMITERS)[number] {
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = DELIMITERS.map((delimiter) => firstLine.split(delimiter).length - 1);
  const best = counts.indexOf(Math.max(...counts));
  return counts[best] === 0 ? ',' : (DELIMITERS[best] ?? ',');
}

/** The header names each required column may go by. */
const HEADER_NAMES = {
  employee_id: '"employee_id" or "id"',
  employee_name: '"employee_name" or "name"',
} as const;

/**
 * Columns of the header row that mean the same field ("prize" twice, or "prize" and "name"): which
 * one's value would count is anybody's guess, so the file is refused.
 */
export function repeatedColumns(
  header: readonly string[],
  field: (name: string) => string | undefined,
  file: string,
): Issue[] {
  const first = new Map<string, number>();
  return header.flatMap((name, index) => {
    const key = field(name) ?? name;
    const before = first.get(key);
    if (before === undefined) {
      first.set(key, index);
      return [];
    }
    const same = header[before] === name ? `"${name}"` : `"${header[before]}" and "${name}"`;
    return [
      {
        file,
        line: 1,
        message: `the header row has ${same} as columns ${before + 1} and ${index + 1}: both would fill ${field(name) ?? name}`,
        hint: 'keep one of them',
      },
    ];
  });
}

function headerIssues(header: readonly string[], file: string): Issue[] {
  const repeated = repeatedColumns(header, canonicalField, file);
  if (repeated.length > 0) return repeated;
  const fields = header.map(canonicalField);
  return (['employee_id', 'employee_name'] as const)
    .filter((required) => !fields.includes(required))
    .map((required) => ({
      file,
      line: 1,
      message: `the header row has no ${required} column`,
      hint: `name one of the columns ${HEADER_NAMES[required]}`,
    }));
}

function csvRow(
  row: CsvRecord,
  header: readonly string[],
  file: string,
): { record: RawRecord } | { issue: Issue } {
  const { fields, line } = row;
  if (fields.length === header.length) {
    // A column named "__proto__" is a column like any other, not the object's prototype.
    if (header.includes('__proto__'))
      return {
        record: { value: Object.fromEntries(header.map((name, i) => [name, fields[i]])), line },
      };
    const value: Record<string, string> = {};
    for (let i = 0; i < fields.length; i++) value[header[i] as string] = fields[i] as string;
    return { record: { value, line } };
  }
  const fewer = fields.length < header.length;
  return {
    issue: {
      file,
      line,
      message: `has ${fewer ? 'fewer' : 'more'} fields than the header's ${header.length}`,
      hint: fewer
        ? 'add the missing values, or leave them empty between commas'
        : 'put quotes around values that contain a comma',
    },
  };
}

function unreadableCsv(error: unknown, file: string): Issue {
  if (error instanceof NotText) return notText(file, error.line);
  if (!(error instanceof CsvSyntaxError)) throw error;
  if (error.tooLong) {
    return {
      file,
      line: error.line,
      message: `a record is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`,
      hint: 'a quote that is opened but never closed reads on to the end of the file: check the quotes above that line',
    };
  }
  return {
    file,
    line: error.line,
    message: `the CSV cannot be read: ${error.message}`,
    hint: 'check the quotes on that line',
  };
}

const noEmployees = (file: string): Issue => ({
  file,
  message: 'the file has a header row but no employees',
});

/**
 * The records of a CSV file with a header row, each with its line. `checkHeader` says what the
 * header lacks (nothing is read then); `empty` is the issue of a file with a header and no rows.
 */
export function readCsvRecords(
  body: string,
  file: string,
  checkHeader: (header: readonly string[]) => Issue[],
  empty: Issue,
): { records: RawRecord[]; issues: Issue[] } {
  let rows: CsvRecord[];
  try {
    const reader = new CsvReader(detectDelimiter(body), MAX_RECORD_CHARS);
    rows = [...reader.push(body), ...reader.end()];
  } catch (error) {
    return { records: [], issues: [unreadableCsv(error, file)] };
  }
  const header = rows.shift()?.fields ?? [];
  const issues = checkHeader(header);
  if (issues.length > 0) return { records: [], issues };
  const records: RawRecord[] = [];
  for (const row of rows) {
    const parsed = csvRow(row, header, file);
    if ('issue' in parsed) issues.push(parsed.issue);
    else records.push(parsed.record);
  }
  if (records.length === 0 && issues.length === 0) issues.push(empty);
  return { records, issues };
}

function parseCsvFile(body: string, file: string): ParsedEmployeeFile {
  return {
    format: 'csv',
    ...readCsvRecords(body, file, (header) => headerIssues(header, file), noEmployees(file)),
    warnings: [],
  };
}

export const isJson = (file: string, start: string) =>
  /\.json$/i.test(file) || (!/\.csv$/i.test(file) && /^\s*[[{]/.test(start.replace(/^\uFEFF/, '')));

/**
 * The records of a file read as a stream of chunks, in order. CSV is parsed as it streams, so a
 * file of any size is read in constant memory; JSON is read whole. Problems with the file's
 * structure are added to `found.issues` as they are met.
 */
export async function* streamEmployeeRecords(
  chunks: AsyncIterable<string | Buffer>,
  file: string,
  found: FileFindings,
): AsyncGenerator<RawRecord> {
  const iterator = decodeChunks(chunks);
  let first: IteratorResult<string>;
  try {
    first = await iterator.next();
  } catch (error) {
    if (!(error instanceof NotText)) throw error;
    found.issues.push(notText(file, error.line));
    return;
  }
  const head = first.done ? '' : first.value;
  const rest = async function* () {
    if (!first.done) yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value;
  };
  if (head.replace(/^\uFEFF/, '').trim() === '' || isJson(file, head)) {
    let text = '';
    try {
      for await (const chunk of rest()) text += chunk;
    } catch (error) {
      if (!(error instanceof NotText)) throw error;
      found.issues.push(notText(file, error.line));
      return;
    }
    const parsed = parseEmployeeFile(text, file);
    found.issues.push(...parsed.issues);
    found.warnings.push(...parsed.warnings);
    yield* parsed.records;
    return;
  }
  let header: string[] | undefined;
  let count = 0;
  const reader = new CsvReader(detectDelimiter(head), MAX_RECORD_CHARS);
  const rows = async function* () {
    for await (const chunk of rest()) yield* reader.push(chunk);
    yield* reader.end();
  };
  try {
    for await (const row of rows()) {
      if (!header) {
        header = row.fields;
        const problems = headerIssues(header, file);
        if (problems.length > 0) return void found.issues.push(...problems);
        continue;
      }
      count++;
      const parsed = csvRow(row, header, file);
      if ('issue' in parsed) found.issues.push(parsed.issue);
      else yield parsed.record;
    }
  } catch (error) {
    // A file that cannot be read at all is not a problem of its CSV: it goes up as it came.
    if (!(error instanceof NotText) && !(error instanceof CsvSyntaxError)) throw error;
    found.issues.push(unreadableCsv(error, file));
    return;
  }
  if (count === 0) {
    const problems = headerIssues(header ?? [], file);
    found.issues.push(...(problems.length > 0 ? problems : [noEmployees(file)]));
  }
}

/**
 * A JSON document's tree and where its lines start, or why it cannot be read (with the line). A
 * document nested thousands deep throws a RangeError here or when its values are read: callers
 * catch it around both.
 */
export function readJsonTree(
  body: string,
  file: string,
): { tree: Node; starts: number[] } | { issue: Issue } {
  const errors: ParseError[] = [];
  const tree = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
  const starts = lineStarts(body);
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const line = first ? lineAt(starts, first.offset) : 1;
    const reason = first
      ? printParseErrorCode(first.error)
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toLowerCase()
      : 'no JSON value';
    return { issue: { file, line, message: `the JSON cannot be read: ${reason}` } };
  }
  return { tree, starts };
}

function parseJson(body: string, file: string): ParsedEmployeeFile {
  const read = readJsonTree(body, file);
  if ('issue' in read) return { format: 'json', records: [], issues: [read.issue], warnings: [] };
  const { tree, starts } = read;
  if (tree.type === 'array')
    return {
      format: 'json',
      ...arrayRecords(tree, file, starts, {
        item: 'is not an object with employee fields',
        empty: 'the array holds no employees',
      }),
      warnings: [],
    };
  if (tree.type === 'object') return batchWriteRecords(tree, file, starts);
  return {
    format: 'json',
    records: [],
    issues: [
      {
        file,
        line: 1,
        message: 'expected a JSON array of employees or a batch-write request file',
      },
    ],
    warnings: [],
  };
}

/**
 * The objects of a JSON array, each with its line and item number; `messages` name what they should
 * be.
 */
export function arrayRecords(
  array: Node,
  file: string,
  starts: number[],
  messages: { item: string; empty: string },
) {
  const records: RawRecord[] = [];
  const issues: Issue[] = [];
  (array.children ?? []).forEach((node, index) => {
    const line = lineAt(starts, node.offset);
    if (node.type !== 'object')
      issues.push({ file, line, item: index + 1, message: messages.item });
    else
      records.push({ value: getNodeValue(node) as Record<string, unknown>, line, item: index + 1 });
  });
  if (records.length === 0 && issues.length === 0) issues.push({ file, message: messages.empty });
  return { records, issues };
}

/** `{"Lottery-Employee": [{"PutRequest": {"Item": {"employee_id": {"S": "001"}, …}}}]}` */
function batchWriteRecords(object: Node, file: string, starts: number[]): ParsedEmployeeFile {
  const tables = (object.children ?? []).map((property) => ({
    name: String(property.children?.[0]?.value),
    value: property.children?.[1],
  }));
  const warnings: Issue[] = [];
  const fail = (message: string, hint?: string): ParsedEmployeeFile => ({
    format: 'batch-write',
    records: [],
    issues: [{ file, line: 1, message, ...(hint ? { hint } : {}) }],
    warnings,
  });
  if (tables.length > 1) {
    const names = tables.map((table) => `"${table.name}"`).join(', ');
    return fail(
      `the request file holds lists for ${tables.length} tables (${names}); seed loads only the employee list`,
      'put the employees in a file of their own',
    );
  }
  const chosen = tables[0];
  // A stack deployed with a ResourcePrefix names its table "<prefix>Lottery-Employee".
  if (chosen && !chosen.name.endsWith(EMPLOYEE_TABLE)) {
    const other = [WINNERS_TABLE, DRAWS_TABLE].find((name) => chosen.name.endsWith(name));
    const notEmployees = other ? ', not for employees' : '';
    return fail(
      `the request file is for the table "${chosen.name}"${notEmployees}: seed loads employees into ${EMPLOYEE_TABLE}`,
      other
        ? "load the workshop's employee file (request-items.json), not its winners"
        : `name the list "${EMPLOYEE_TABLE}"`,
    );
  }
  if (!chosen?.value || chosen.value.type !== 'array') {
    return fail(
      `expected a batch-write request file with a "${EMPLOYEE_TABLE}" list of PutRequest entries`,
    );
  }
  const records: RawRecord[] = [];
  const issues: Issue[] = [];
  (chosen.value.children ?? []).forEach((node, index) => {
    const line = lineAt(starts, node.offset);
    const entry = getNodeValue(node) as { PutRequest?: { Item?: Record<string, unknown> } } | null;
    const item = entry?.PutRequest?.Item;
    if (typeof item !== 'object' || item === null) {
      issues.push({
        file,
        line,
        item: index + 1,
        message: 'is not a {"PutRequest": {"Item": …}} entry',
        hint: 'only PutRequest entries can be loaded',
      });
      return;
    }
    const value: Record<string, unknown> = {};
    for (const [name, attribute] of Object.entries(item)) {
      const typed = attribute as { S?: unknown; N?: unknown; BOOL?: unknown } | null;
      if (typed && typeof typed.S === 'string') value[name] = typed.S;
      else if (typed && typeof typed.N === 'string') value[name] = typed.N;
      else if (typed && typeof typed.BOOL === 'boolean') value[name] = typed.BOOL;
      else
        issues.push({
          file,
          line,
          item: index + 1,
          field: name,
          message: `has type ${Object.keys(typed ?? {}).join(',') || 'none'}`,
          hint: 'use {"S": "…"} or {"N": "…"}',
        });
    }
    records.push({ value, line, item: index + 1 });
  });
  if (records.length === 0 && issues.length === 0)
    issues.push({ file, message: 'the request file holds no employees' });
  return { format: 'batch-write', records, issues, warnings };
}
