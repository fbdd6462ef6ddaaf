import { describe, expect, it } from 'vitest';
import { CsvReader, CsvSyntaxError } from '../../src/core/csv-reader';

/** Every record of `text`, fed in chunks of `size` characters. */
function read(text: string, size = text.length || 1, delimiter = ',') {
  const reader = new CsvReader(delimiter, 1000);
  const records = [];
  for (let i = 0; i < text.length; i += size) records.push(...reader.push(text.slice(i, i + size)));
  return [...records, ...reader.end()];
}

describe('CsvReader', () => {
  it.each([1, 2, 3, 100])('reads the same records whatever the chunks (%i)', (size) => {
    const text = '\uFEFFid, name \r\n1,"Rose, ""Mary"""\r\n\r\n 2 ,\t"Ann\nLee"  \r3,Eve,\n,\n4,x';
    expect(read(text, size)).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { fields: ['1', 'Rose, "Mary"'], line: 2 },
      { fields: ['2', 'Ann\nLee'], line: 4 },
      { fields: ['3', 'Eve', ''], line: 6 },
      { fields: ['4', 'x'], line: 8 },
    ]);
  });

  it('keeps a value of spaces inside quotes, and reads the delimiter it is given', () => {
    expect(read('a;b\n"  ";x', 1, ';')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['  ', 'x'], line: 2 },
    ]);
  });

  it.each([
    ['a quote inside a value', 'a,b\n1,Ro"se\n', 2, /a quote inside a value/],
    ['text after a closing quote', 'a,b\n1,"Rose" x\n', 2, /got "x" at line 2/],
    [
      'a quote never closed',
      'a,b\n1,"Rose\n2,Ann\n',
      2,
      /a quote opened at line 2 is never closed/,
    ],
  ])('stops at %s, with the line', (_name, text, line, message) => {
    let error: unknown;
    try {
      read(text, 3);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error).toMatchObject({ line, message: expect.stringMatching(message) });
  });

  it('stops a record longer than its limit', () => {
    expect(() => read(`a\n"${'x'.repeat(2000)}`)).toThrow(
      expect.objectContaining({ tooLong: true, line: 2 }),
    );
  });
});
