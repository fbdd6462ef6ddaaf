import { describe, expect, it } from 'vitest';
import { parseEmployeeFile } from '../../src/core/employee-file';
import { formatIssue } from '../../src/core/issues';
import { parsePrizeFile } from '../../src/core/prizes';

// A plan file refuses what --prize and seed refuse, and what would make it ambiguous: a bidi
// override (it reorders what every later screen shows), a name of invisible characters, two names
// that only look different, a column given twice.

const problems = (content: string, file = 'plan.csv') => {
  const parsed = parsePrizeFile(content, file);
  expect(parsed.prizes).toEqual([]);
  return parsed.issues.map(formatIssue);
};

describe('prize names in a plan file', () => {
  it('refuses a bidi override, naming it', () => {
    expect(problems('prize,count\nMug\u202Egub,1\n')).toEqual([
      expect.stringMatching(/^plan\.csv:2: prize: contains a control character \(.*202E.*\)/),
    ]);
  });

  it('refuses a name of invisible characters only', () => {
    expect(problems('prize,count\n\u200B\u2060,1\n')).toEqual([
      'plan.csv:2: prize: holds only invisible characters — every line names a prize',
    ]);
  });

  it.each([
    ['a full-width letter', 'First prize', '\uFF26irst prize'],
    ['a zero-width space', 'First prize', 'First\u200B prize'],
    ['a ligature', 'Office party', 'O\uFB03ce party'],
  ])('takes two names that differ only by %s for one prize', (_what, first, second) => {
    expect(problems(`prize,count\n${first},1\n${second},2\n`)).toEqual([
      expect.stringMatching(/^plan\.csv:3: prize: .* appears again \(first on line 2\)/),
    ]);
  });
});

describe('a header row that names a column twice', () => {
  it('is refused in a plan file, naming both columns', () => {
    expect(problems('prize,count,prize\nMug,1,Cup\n')).toEqual([
      'plan.csv:1: the header row has "prize" as columns 1 and 3: both would fill name — keep one of them',
    ]);
    expect(problems('prize,name,count\nMug,Cup,1\n')).toEqual([
      'plan.csv:1: the header row has "prize" and "name" as columns 1 and 2: both would fill name — keep one of them',
    ]);
  });

  it('is refused in an employee file', () => {
    expect(parseEmployeeFile('id,name,employee_id\n1,Rose,2\n', 'staff.csv').issues).toEqual([
      expect.objectContaining({
        line: 1,
        message:
          'the header row has "id" and "employee_id" as columns 1 and 3: both would fill employee_id',
      }),
    ]);
  });
});
