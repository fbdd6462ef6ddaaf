import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/core/issues';
import { parsePrizeFile } from '../../src/core/prizes';

// What `lottery prizes load` makes of a plan file: the prizes it reads, or every refusal with its
// line and how to fix it (and then no prizes at all).

const problems = (content: string, file: string) => {
  const parsed = parsePrizeFile(content, file);
  expect(parsed.prizes).toEqual([]);
  return parsed.issues.map(formatIssue);
};

/**
 * A JSON plan of one prize, written as given: `{"prize": "Mug", "count": 2}` is `one('"prize":
 * "Mug", "count": 2')`.
 */
const one = (fields: string) => `[{${fields}}]`;

describe('a plan file: the fields of a prize', () => {
  it.each([
    [
      'a whole number in a string, spaces around it',
      '"prize": "Mug", "count": " 5 "',
      { name: 'Mug', count: 5 },
    ],
    ['a name with spaces around it', '"prize": "  Mug  ", "count": 1', { name: 'Mug', count: 1 }],
    ['a name that is a number', '"prize": 7, "count": 1', { name: '7', count: 1 }],
    [
      'the most winners a prize can have',
      '"prize": "Mug", "count": 100000',
      { name: 'Mug', count: 100_000 },
    ],
    [
      'a name of 100 characters',
      `"prize": "${'x'.repeat(100)}", "count": 1`,
      { name: 'x'.repeat(100), count: 1 },
    ],
    [
      'a per-draw count equal to the count',
      '"prize": "Mug", "count": 3, "per_draw": 3',
      { name: 'Mug', count: 3, per_draw: 3 },
    ],
    [
      'the largest per-draw count',
      '"prize": "Mug", "count": 600, "per_draw": "500"',
      { name: 'Mug', count: 600, per_draw: 500 },
    ],
    [
      'a per-draw count left null',
      '"prize": "Mug", "count": 3, "per_draw": null',
      { name: 'Mug', count: 3 },
    ],
    [
      'a per-draw count left empty',
      '"prize": "Mug", "count": 3, "per_draw": ""',
      { name: 'Mug', count: 3 },
    ],
    [
      'field names in any case, spacing or with dashes',
      '" Prize Name ": "Mug", "QTY": 4, "Winners  per-draw": 2',
      { name: 'Mug', count: 4, per_draw: 2 },
    ],
    [
      'the other names of the fields',
      '"title": "Mug", "quantity": 4, "draw_size": 2',
      { name: 'Mug', count: 4, per_draw: 2 },
    ],
    [
      'a count of winners, and winners per draw',
      '"prize": "Mug", "winners": 4, "winners_per_draw": 2',
      { name: 'Mug', count: 4, per_draw: 2 },
    ],
    [
      'fields the plan does not know, left aside',
      '"prize": "Mug", "count": 1, "colour": "red", "name2": "x"',
      { name: 'Mug', count: 1 },
    ],
  ])('reads %s', (_, fields, expected) => {
    const parsed = parsePrizeFile(one(fields), 'plan.json');
    expect(parsed.issues.map(formatIssue)).toEqual([]);
    // Strict: a prize without a per-draw count has no per_draw field at all.
    expect(parsed.prizes).toStrictEqual([{ ...expected, line: 1, item: 1 }]);
  });

  it.each([
    ['no name', '"count": 1', 'prize: is missing — every line names a prize'],
    [
      'a name of spaces',
      '"prize": "   ", "count": 1',
      'prize: is missing — every line names a prize',
    ],
    [
      'a name that is not text',
      '"prize": true, "count": 1',
      'prize: must be text, got true — every line names a prize',
    ],
    [
      'a name that is null',
      '"prize": null, "count": 1',
      'prize: must be text, got null — every line names a prize',
    ],
    [
      'a name with a tab',
      '"prize": "Mu\\tg", "count": 1',
      'prize: contains a control character (a tab) — remove it: it would act on the terminal or the spreadsheet that shows it',
    ],
    [
      'a name with a C1 control character',
      '"prize": "Mu\\u0085g", "count": 1',
      'prize: contains a control character (U+0085) — remove it: it would act on the terminal or the spreadsheet that shows it',
    ],
    [
      'a name of 101 characters',
      `"prize": "${'x'.repeat(101)}", "count": 1`,
      'prize: is 101 characters long — keep it to 100',
    ],
    ['no count', '"prize": "Mug"', 'count: is missing — say how many people win this prize'],
    [
      'an empty count',
      '"prize": "Mug", "count": ""',
      'count: is missing — say how many people win this prize',
    ],
    [
      'a count of 0',
      '"prize": "Mug", "count": 0',
      'count: 0 is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a count above the most',
      '"prize": "Mug", "count": 100001',
      'count: 100001 is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a count with a fraction',
      '"prize": "Mug", "count": 2.5',
      'count: 2.5 is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a count in exponent notation',
      '"prize": "Mug", "count": "1e3"',
      'count: "1e3" is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a count followed by text',
      '"prize": "Mug", "count": "5 mugs"',
      'count: "5 mugs" is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a count after text',
      '"prize": "Mug", "count": "about 5"',
      'count: "about 5" is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a count in a list',
      '"prize": "Mug", "count": [5]',
      'count: [5] is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a count that is not a number',
      '"prize": "Mug", "count": true',
      'count: true is not a whole number from 1 to 100000 — say how many people win this prize',
    ],
    [
      'a per-draw count of 0',
      '"prize": "Mug", "count": 3, "per_draw": 0',
      'per_draw: 0 is not a whole number from 1 to 500 — leave it empty to draw all the winners of the prize at once',
    ],
    [
      'a per-draw count above the most',
      '"prize": "Mug", "count": 900, "per_draw": 501',
      'per_draw: 501 is not a whole number from 1 to 500 — leave it empty to draw all the winners of the prize at once',
    ],
    [
      'a per-draw count that is text',
      '"prize": "Mug", "count": 3, "per_draw": "all"',
      'per_draw: "all" is not a whole number from 1 to 500 — leave it empty to draw all the winners of the prize at once',
    ],
    [
      'a per-draw count above the count',
      '"prize": "Mug", "count": 3, "per_draw": 4',
      "per_draw: 4 is more than the prize's count, 3 — make it at most 3",
    ],
  ])('refuses %s', (_, fields, message) => {
    expect(problems(one(fields), 'plan.json')).toEqual([`plan.json:1 (item 1): ${message}`]);
  });

  it('reports every problem of a line, each with its field', () => {
    expect(problems('prize,count,per_draw\n,0,0\n', 'plan.csv')).toEqual([
      'plan.csv:2: prize: is missing — every line names a prize',
      'plan.csv:2: count: "0" is not a whole number from 1 to 100000 — say how many people win this prize',
      'plan.csv:2: per_draw: "0" is not a whole number from 1 to 500 — leave it empty to draw all the winners of the prize at once',
    ]);
  });
});

describe('a plan file: its shape', () => {
  it.each([
    [
      'a JSON object, not an array',
      '{"prize": "Mug", "count": 1}',
      'plan.json',
      'plan.json:1: expected a JSON array of prizes such as [{"prize": "First prize", "count": 1}]',
    ],
    [
      'a JSON array of something else than prizes',
      '[\n"Mug"\n]',
      'plan.json',
      'plan.json:2 (item 1): is not an object with a prize and a count',
    ],
    ['an empty JSON array', '[]', 'plan.json', 'plan.json: the array holds no prizes'],
    [
      'JSON that cannot be read',
      '[\n{"prize": "Mug",\n}]',
      'plan.json',
      'plan.json:3: the JSON cannot be read: property name expected',
    ],
    [
      'JSON nested too deeply to be a plan',
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      'plan.json',
      'plan.json:1: the JSON is nested too deeply to be a prize plan',
    ],
    [
      'a CSV header row and nothing else',
      'prize,count\n',
      'plan.csv',
      'plan.csv: the file has a header row but no prizes',
    ],
    [
      'a CSV header without a prize column',
      'count\n1\n',
      'plan.csv',
      'plan.csv:1: the header row has no prize column — start the file with the header row prize,count (and per_draw, if you like)',
    ],
    [
      'an empty file with a byte-order mark',
      '\uFEFF\n',
      'plan.csv',
      'plan.csv: the file is empty — list the prizes, one a line: prize,count',
    ],
  ])('refuses %s', (_, content, file, message) => {
    expect(problems(content, file)).toEqual([message]);
  });

  it('names both missing columns of a CSV header', () => {
    expect(problems('colour,size\nred,2\n', 'plan.csv')).toEqual([
      'plan.csv:1: the header row has no prize column — start the file with the header row prize,count (and per_draw, if you like)',
      'plan.csv:1: the header row has no count column — start the file with the header row prize,count (and per_draw, if you like)',
    ]);
  });

  it('reads a JSON plan with a byte-order mark', () => {
    expect(parsePrizeFile('\uFEFF[{"prize": "Mug", "count": 1}]', 'plan.json').prizes).toEqual([
      { name: 'Mug', count: 1, line: 1, item: 1 },
    ]);
  });

  it('refuses a prize twice in a JSON plan, with the line of the first', () => {
    expect(
      problems('[\n{"prize": "Mug", "count": 1},\n{"prize": "MUG ", "count": 2}\n]', 'plan.json'),
    ).toEqual([
      'plan.json:3 (item 2): prize: "MUG" appears again (first on line 2) — list each prize once, with its whole count',
    ]);
  });

  it('tells apart prizes whose names differ by a space', () => {
    expect(parsePrizeFile('prize,count\nGift card,1\nGiftcard,2\n', 'plan.csv').prizes).toEqual([
      { name: 'Gift card', count: 1, line: 2 },
      { name: 'Giftcard', count: 2, line: 3 },
    ]);
  });

  it('keeps the names as written: U+FEFF is a byte-order mark only where it starts the file', () => {
    expect(parsePrizeFile('prize,count\nMug\uFEFFs,1\n', 'plan.csv').prizes).toEqual([
      { name: 'Mug\uFEFFs', count: 1, line: 2 },
    ]);
  });

  it('takes up to 200 prizes, and refuses more', () => {
    const csv = (count: number) =>
      `prize,count\n${Array.from({ length: count }, (_, index) => `Prize ${index + 1},1`).join('\n')}\n`;
    const most = parsePrizeFile(csv(200), 'plan.csv');
    expect(most.issues).toEqual([]);
    expect(most.prizes).toHaveLength(200);
    expect(problems(csv(201), 'plan.csv')).toEqual([
      'plan.csv: the plan has 201 prizes — keep it to 200',
    ]);
  });
});
