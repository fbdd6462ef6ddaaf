import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/core/csv';

describe('csvCell', () => {
  it.each<[unknown, string]>([
    ['Rose', 'Rose'],
    ['Doe, Jane', '"Doe, Jane"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    // A tab or carriage return is spelled out: it neither starts a formula nor acts on a terminal.
    ['\tcmd', '\\x09cmd'],
    ['\rcmd', '\\x0Dcmd'],
    ['Rose\u001b[2J', 'Rose\\x1B[2J'],
    ['Rose\u009b2J', 'Rose\\x9B2J'],
    [7, '7'],
    // A number is written as a number, even a negative one: only text can smuggle in a formula.
    [-5, '-5'],
    ['Rose-Marie', 'Rose-Marie'],
    ['a=b', 'a=b'],
    [null, ''],
    [undefined, ''],
    [' padded ', '" padded "'],
    ['李雷', '李雷'],
  ])('%j → %s', (value, expected) => expect(csvCell(value)).toBe(expected));
});

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(
      toCsv(
        ['id', 'name'],
        [
          ['001', 'Rose'],
          ['002', '=1+1'],
        ],
      ),
    ).toBe("id,name\r\n001,Rose\r\n002,'=1+1\r\n");
  });
});
