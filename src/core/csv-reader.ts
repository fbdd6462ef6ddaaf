// A CSV reader of our own, fed text chunk by chunk. csv-parse (which we used before) builds an
// Error for every record whose field count differs from the header's, with its stack and a JSON
// copy of every option: a file whose every line is short of a field was read about six times more
// slowly than a good one, and no option turns that off. The streaming CSV parsers that avoid it
// (papaparse, fast-csv) do not say where a record starts, which every message of ours names.
//
// What it reads, as csv-parse read our files: a byte order mark is dropped; records end with LF,
// CRLF or CR; spaces and tabs around a value are trimmed; a value may be quoted, with "" for a
// quote inside, and then may hold the delimiter and line breaks; blank lines and records whose
// values are all empty are skipped. A quote inside an unquoted value, anything but the delimiter
// or the end of the line after a closing quote, a quote never closed and a record longer than
// `maxRecordChars` stop the reading with a CsvSyntaxError.

export interface CsvRecord {
  fields: string[];
  /** The line the record starts on, as an editor counts. */
  line: number;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
    readonly tooLong = false,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

const enum State {
  /** Before a value: spaces and tabs are skipped. */
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted value: the end of the value, or the first of "". */
  QuoteInQuoted,
  /** After a closing quote: only spaces and tabs until the delimiter or the line's end. */
  AfterQuote,
}

export class CsvReader {
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private recordChars = 0;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  /** A CR ended the last chunk: an LF first in the next one belongs to it. */
  private afterCr = false;
  private started = false;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The records this text completes. */
  push(text: string): CsvRecord[] {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const records: CsvRecord[] = [];
    let i = 0;
    if (this.afterCr && text.charCodeAt(0) === LF) i = 1;
    this.afterCr = false;
    const length = text.length;
    while (i < length) {
      const code = text.charCodeAt(i);
      switch (this.state) {
        case State.FieldStart:
          if (code === SPACE || code === TAB) i++;
          else if (code === QUOTE) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            i++;
          } else this.state = State.Unquoted;
          break;
        case State.Unquoted: {
          // The common case, a run of ordinary characters, is taken in one slice.
          let end = i;
          let next = code;
          while (
            next !== this.delimiter &&
            next !== LF &&
            next !== CR &&
            next !== QUOTE &&
            end < length
          )
            next = text.charCodeAt(++end);
          this.append(text, i, end);
          i = end;
          if (end === length) break;
          if (next === QUOTE)
            throw new CsvSyntaxError(
              this.line,
              `a quote inside a value that does not start with one, at line ${this.line}`,
            );
          this.field = this.field.trimEnd();
          i = this.endField(text, i, records);
          break;
        }
        case State.Quoted: {
          let end = text.indexOf('"', i);
          if (end === -1) end = length;
          for (
            let at = text.indexOf('\n', i);
            at !== -1 && at < end;
            at = text.indexOf('\n', at + 1)
          )
            this.line++;
          this.append(text, i, end);
          i = end;
          if (end < length) {
            this.state = State.QuoteInQuoted;
            i++;
          }
          break;
        }
        case State.QuoteInQuoted:
          if (code === QUOTE) {
            this.append(text, i, i + 1);
            this.state = State.Quoted;
            i++;
          } else this.state = State.AfterQuote;
          break;
        case State.AfterQuote:
          if (code === SPACE || code === TAB) i++;
          else if (code === this.delimiter || code === LF || code === CR)
            i = this.endField(text, i, records);
          else
            throw new CsvSyntaxError(
              this.line,
              `got "${text[i]}" at line ${this.line} instead of a delimiter or the end of the line after a closing quote`,
            );
          break;
      }
    }
    return records;
  }

  /** The last record, when the text does not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === State.Quoted)
      throw new CsvSyntaxError(
        this.quoteLine,
        `a quote opened at line ${this.quoteLine} is never closed`,
      );
    const records: CsvRecord[] = [];
    if (this.state === State.FieldStart && this.fields.length === 0) return records;
    this.fields.push(this.state === State.Unquoted ? this.field.trimEnd() : this.field);
    this.endRecord(records);
    return records;
  }

  private append(text: string, start: number, end: number): void {
    if (end === start) return;
    this.recordChars += end - start;
    if (this.recordChars > this.maxRecordChars)
      throw new CsvSyntaxError(
        this.line,
        `a record is longer than ${this.maxRecordChars} characters`,
        true,
      );
    this.field += text.slice(start, end);
  }

  /** Ends the value at `i` (a delimiter or a line break) and returns where reading goes on. */
  private endField(text: string, i: number, records: CsvRecord[]): number {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
    const code = text.charCodeAt(i);
    if (code === this.delimiter) return i + 1;
    this.endRecord(records);
    this.recordLine = ++this.line;
    if (code !== CR) return i + 1;
    if (i + 1 === text.length) this.afterCr = true;
    return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  }

  /** Passes the record on unless all its values are empty (a blank line, a line of commas). */
  private endRecord(records: CsvRecord[]): void {
    const fields = this.fields;
    this.fields = [];
    this.field = '';
    this.recordChars = 0;
    if (fields.some((field) => field !== '')) records.push({ fields, line: this.recordLine });
  }
}
