import { describe, expect, it } from 'vitest';
import { formatIssue, formatIssues, formatLocation, type Issue } from '../../src/core/issues';

describe('formatIssue', () => {
  it.each<[Issue, string]>([
    [{ message: 'the file is empty' }, 'the file is empty'],
    [{ file: 'staff.csv', message: 'the file is empty' }, 'staff.csv: the file is empty'],
    [
      { file: 'staff.csv', line: 3, message: 'has 2 fields where the header has 3' },
      'staff.csv:3: has 2 fields where the header has 3',
    ],
    [
      { file: 'staff.csv', line: 3, field: 'email', message: '"x" is not an e-mail address' },
      'staff.csv:3: email: "x" is not an e-mail address',
    ],
    [
      {
        file: 'staff.csv',
        line: 4,
        field: 'employee_id',
        message: 'is missing',
        hint: 'every employee needs employee_id',
      },
      'staff.csv:4: employee_id: is missing — every employee needs employee_id',
    ],
    [
      { file: 'staff.json', line: 7, item: 2, message: 'is not an object' },
      'staff.json:7 (item 2): is not an object',
    ],
    [{ item: 2, message: 'is not an object' }, 'item 2: is not an object'],
    [{ line: 9, message: 'bad' }, '9: bad'],
    [{ message: 'bad', hint: 'fix it' }, 'bad — fix it'],
  ])('%j → %s', (issue, expected) => {
    expect(formatIssue(issue)).toBe(expected);
  });
});

describe('formatLocation', () => {
  it.each<[Pick<Issue, 'file' | 'line' | 'item'>, string]>([
    [{}, ''],
    [{ file: 'a.csv' }, 'a.csv'],
    [{ file: 'a.csv', line: 2 }, 'a.csv:2'],
    [{ file: 'a.json', item: 1 }, 'a.json (item 1)'],
    [{ item: 1 }, 'item 1'],
  ])('%j → %j', (issue, expected) => {
    expect(formatLocation(issue)).toBe(expected);
  });
});

describe('formatIssues', () => {
  const issues = (count: number): Issue[] =>
    Array.from({ length: count }, (_, i) => ({
      file: 'f.csv',
      line: i + 2,
      message: `problem ${i + 1}`,
    }));

  it('formats every issue when there are no more than the cap', () => {
    expect(formatIssues(issues(3), 3)).toEqual([
      'f.csv:2: problem 1',
      'f.csv:3: problem 2',
      'f.csv:4: problem 3',
    ]);
  });

  it('shows the first `cap` issues and says how many more there are', () => {
    expect(formatIssues(issues(5), 2)).toEqual([
      'f.csv:2: problem 1',
      'f.csv:3: problem 2',
      '… and 3 more',
    ]);
  });

  it('caps at 50 by default', () => {
    expect(formatIssues(issues(50))).toHaveLength(50);
    const lines = formatIssues(issues(120));
    expect(lines).toHaveLength(51);
    expect(lines[49]).toBe('f.csv:51: problem 50');
    expect(lines[50]).toBe('… and 70 more');
  });

  it('gives no lines for no issues', () => {
    expect(formatIssues([])).toEqual([]);
  });
});
