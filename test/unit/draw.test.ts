import { describe, expect, it } from 'vitest';
import {
  MAX_PRIZE_LENGTH,
  MAX_WINNERS_PER_DRAW,
  announcementMessage,
  describeCause,
  drawIdSchema,
  drawNameSchema,
  drawRequestSchema,
  drawResultSchema,
  isValidExecutionName,
  prizeSchema,
  requestDifferences,
  seedSchema,
  winnersCountSchema,
} from '../../src/core/draw';
import { check, checkJson } from '../../src/core/parse';

const checkWinnersCount = (raw: unknown) => check(winnersCountSchema, raw);
const checkPrize = (raw: unknown) =>
  raw === undefined || raw === null ? { ok: true, value: null } : check(prizeSchema, raw);
const checkSeed = (raw: unknown) =>
  raw === undefined || raw === null ? { ok: true, value: null } : check(seedSchema, raw);
const checkDrawRequest = (raw: unknown) => check(drawRequestSchema, raw);

const WHOLE = (raw: string) => ({
  ok: false,
  error: `the number of winners must be a whole number, got ${raw}`,
});
const RANGE = (value: number) => ({
  ok: false,
  error: `the number of winners must be between 1 and 500, got ${value}`,
});

describe('checkWinnersCount', () => {
  it.each<[unknown, unknown]>([
    [1, { ok: true, value: 1 }],
    [3, { ok: true, value: 3 }],
    [500, { ok: true, value: 500 }],
    [501, RANGE(501)],
    [0, RANGE(0)],
    [-1, RANGE(-1)],
    ['3', { ok: true, value: 3 }],
    [' 3 ', { ok: true, value: 3 }],
    ['+7', { ok: true, value: 7 }],
    ['007', { ok: true, value: 7 }],
    ['500', { ok: true, value: 500 }],
    ['501', RANGE(501)],
    ['0', RANGE(0)],
    ['-1', RANGE(-1)],
    ['abc', WHOLE('"abc"')],
    ['1.5', WHOLE('"1.5"')],
    ['1e2', WHOLE('"1e2"')],
    ['', WHOLE('""')],
    [1.5, WHOLE('1.5')],
    [true, WHOLE('true')],
    [null, WHOLE('null')],
    [[2], WHOLE('[2]')],
  ])('%j → %j', (raw, expected) => {
    expect(checkWinnersCount(raw)).toEqual(expected);
  });

  it('refuses a missing count and Infinity', () => {
    expect(checkWinnersCount(undefined).ok).toBe(false);
    expect(checkWinnersCount(Number.POSITIVE_INFINITY).ok).toBe(false);
  });

  it('accepts MAX_WINNERS_PER_DRAW and refuses one more', () => {
    expect(checkWinnersCount(MAX_WINNERS_PER_DRAW)).toEqual({
      ok: true,
      value: MAX_WINNERS_PER_DRAW,
    });
    expect(checkWinnersCount(MAX_WINNERS_PER_DRAW + 1).ok).toBe(false);
  });
});

describe('checkPrize', () => {
  it.each<[unknown, unknown]>([
    [undefined, { ok: true, value: null }],
    [null, { ok: true, value: null }],
    ['iPhone', { ok: true, value: 'iPhone' }],
    ['  Gold watch  ', { ok: true, value: 'Gold watch' }],
    ['x'.repeat(100), { ok: true, value: 'x'.repeat(100) }],
    ['x'.repeat(101), { ok: false, error: 'the prize must be at most 100 characters, got 101' }],
    ['', { ok: false, error: 'the prize must not be empty' }],
    ['   ', { ok: false, error: 'the prize must not be empty' }],
    [42, { ok: false, error: 'the prize must be text, got 42' }],
    [{ name: 'car' }, { ok: false, error: 'the prize must be text, got {"name":"car"}' }],
  ])('%j → %j', (raw, expected) => {
    expect(checkPrize(raw)).toEqual(expected);
  });

  it('measures the length after trimming', () => {
    expect(checkPrize(`  ${'y'.repeat(MAX_PRIZE_LENGTH)}  `)).toEqual({
      ok: true,
      value: 'y'.repeat(MAX_PRIZE_LENGTH),
    });
  });
});

describe('checkSeed', () => {
  const SEED_ERROR = {
    ok: false,
    error: 'the seed must be 32 to 128 hexadecimal digits (an even number of them)',
  };
  const hex32 = '0123456789abcdef'.repeat(2);

  it.each<[unknown, unknown]>([
    [undefined, { ok: true, value: null }],
    [null, { ok: true, value: null }],
    [hex32, { ok: true, value: hex32 }],
    [hex32.toUpperCase(), { ok: true, value: hex32 }],
    [`  ${hex32}\n`, { ok: true, value: hex32 }],
    ['a'.repeat(64), { ok: true, value: 'a'.repeat(64) }],
    ['a'.repeat(128), { ok: true, value: 'a'.repeat(128) }],
    ['a'.repeat(30), SEED_ERROR],
    ['a'.repeat(31), SEED_ERROR],
    ['a'.repeat(33), SEED_ERROR],
    ['a'.repeat(130), SEED_ERROR],
    ['g'.repeat(32), SEED_ERROR],
    [`0x${'a'.repeat(32)}`, SEED_ERROR],
    ['', SEED_ERROR],
    [1234567890, SEED_ERROR],
  ])('%j → %j', (raw, expected) => {
    expect(checkSeed(raw)).toEqual(expected);
  });
});

describe('checkDrawRequest', () => {
  const seed = 'AB'.repeat(16);

  it.each<[unknown, unknown]>([
    [{ input: 2 }, { ok: true, value: { input: 2 } }],
    [
      { input: 2, prize: null, seed: null },
      { ok: true, value: { input: 2, prize: null, seed: null } },
    ],
    [
      { input: '2', prize: ' Car ', seed },
      { ok: true, value: { input: 2, prize: 'Car', seed: seed.toLowerCase() } },
    ],
    [{ input: 0 }, RANGE(0)],
    [{}, WHOLE('undefined')],
    [
      { input: 1, prize: '' },
      { ok: false, error: 'the prize must not be empty' },
    ],
    [
      { input: 1, seed: 'abc' },
      {
        ok: false,
        error: 'the seed must be 32 to 128 hexadecimal digits (an even number of them)',
      },
    ],
    [
      { input: 1, beacon: 'yes' },
      { ok: false, error: '"beacon" must be true or false, got "yes"' },
    ],
    [
      { input: 1, beacon: true, beacon_round_file: '/tmp/round.json' },
      { ok: true, value: { input: 1, beacon: true, beacon_round_file: '/tmp/round.json' } },
    ],
    [
      { input: 1, beacon: true, beacon_round_file: `/${'r'.repeat(4095)}` },
      { ok: true, value: { input: 1, beacon: true, beacon_round_file: `/${'r'.repeat(4095)}` } },
    ],
    [
      { input: 1, beacon: true, beacon_round_file: 'round.json' },
      { ok: false, error: 'the beacon round file must be an absolute path' },
    ],
    [
      { input: 1, beacon: true, beacon_round_file: `/${'r'.repeat(4096)}` },
      { ok: false, error: 'the beacon round file must be an absolute path' },
    ],
    [
      { input: 1, beacon_round_file: '/tmp/round.json' },
      { ok: false, error: 'a beacon round file goes with a beacon draw ("beacon": true)' },
    ],
    [
      { input: 1, beacon: true, seed },
      { ok: false, error: 'a beacon draw takes its seed from the beacon: leave out the seed' },
    ],
  ])('%j → %j', (raw, expected) => {
    expect(checkDrawRequest(raw)).toEqual(expected);
  });

  it.each<[unknown]>([[null], [[2]], [2], ['{"input": 2}'], [undefined]])(
    'refuses %j: not a JSON object',
    (raw) => {
      expect(checkDrawRequest(raw)).toEqual({
        ok: false,
        error: 'the draw input must be a JSON object such as {"input": 2}',
      });
    },
  );

  it('reports the winners count before the prize and the seed', () => {
    expect(checkDrawRequest({ input: 'x', prize: 3, seed: 'z' })).toEqual(WHOLE('"x"'));
    expect(checkDrawRequest({ input: 1, prize: 3, seed: 'z' })).toEqual({
      ok: false,
      error: 'the prize must be text, got 3',
    });
  });
});

describe('announcementMessage', () => {
  const rose = { employee_id: '001', employee_name: 'Rose' };
  const tracy = { employee_id: '002', employee_name: 'Tracy' };
  const aaron = { employee_id: '003', employee_name: 'Aaron' };

  it.each([
    [[rose], null, 'Congrats! [Rose] You have been selected as the Lucky Champ!'],
    [[rose], 'an iPad', 'Congrats! [Rose] You have been selected as the Lucky Champ for an iPad!'],
    [[rose, tracy], null, 'Congrats! [Rose, Tracy] You have been selected as the Lucky Champs!'],
    [
      [rose, tracy, aaron],
      'dinner',
      'Congrats! [Rose, Tracy, Aaron] You have been selected as the Lucky Champs for dinner!',
    ],
  ])('%j with prize %j', (winners, prize, expected) => {
    expect(announcementMessage(winners, prize)).toBe(expected);
  });
});

describe('describeCause', () => {
  it.each<[string | undefined, string]>([
    [
      JSON.stringify({
        errorMessage: 'only 2 of 10 employees are eligible',
        errorType: 'NotEnoughEligible',
        trace: [],
      }),
      'only 2 of 10 employees are eligible',
    ],
    [JSON.stringify({ errorType: 'X' }), '{"errorType":"X"}'],
    [JSON.stringify({ errorMessage: 42 }), '{"errorMessage":42}'],
    [
      'Validate Winners returned a status other than 0',
      'Validate Winners returned a status other than 0',
    ],
    ['{not json', '{not json'],
    ['null', 'null'],
    ['"quoted"', '"quoted"'],
    ['', ''],
    [undefined, ''],
  ])('%j → %j', (cause, expected) => {
    expect(describeCause(cause)).toBe(expected);
  });
});

describe('requestDifferences and beacon draws', () => {
  it('names a beacon draw started again as an ordinary one, and the other way round', () => {
    expect(requestDifferences('{"input":2,"beacon":true}', { input: 2 })).toEqual([
      'a beacon draw, not an ordinary one',
    ]);
    expect(requestDifferences('{"input":2}', { input: 2, beacon: true })).toEqual([
      'an ordinary draw, not a beacon draw',
    ]);
    expect(requestDifferences('{"input":2,"beacon":true}', { input: 2, beacon: true })).toEqual([]);
  });
});

describe('requestDifferences: a --name started again with another request', () => {
  const seed = 'ab'.repeat(16);
  it.each<[string | undefined, Parameters<typeof requestDifferences>[1], string[]]>([
    ['{"input":2}', { input: 2 }, []],
    ['{"input":2,"prize":"Car","seed":null}', { input: 2, prize: 'Car' }, []],
    ['{"input":1}', { input: 3 }, ['1 winner, not 3']],
    ['{"input":"2"}', { input: 3 }, ['2 winners, not 3']],
    ['{"input":2,"prize":"Car"}', { input: 2, prize: 'Bike' }, ['the prize "Car", not "Bike"']],
    ['{"input":2,"prize":"Car"}', { input: 2 }, ['the prize "Car", not none']],
    ['{"input":2}', { input: 2, prize: 'Bike' }, ['no prize, not "Bike"']],
    [`{"input":2,"seed":"${seed}"}`, { input: 2, seed: 'cd'.repeat(16) }, ['another seed']],
    [`{"input":2,"seed":"${seed}"}`, { input: 2 }, ['a seed of its own']],
    ['{"input":2}', { input: 2, seed }, ['a fresh random seed']],
    [
      `{"input":1,"prize":"Car","seed":"${seed}"}`,
      { input: 2, prize: null, seed: null },
      ['1 winner, not 2', 'the prize "Car", not none', 'a seed of its own'],
    ],
    ['not json', { input: 2 }, ['an input that cannot be read']],
    [undefined, { input: 2 }, ['an input that cannot be read']],
  ])('%s against %j: %j', (earlier, now, expected) => {
    expect(requestDifferences(earlier, now)).toEqual(expected);
  });
});

describe('drawIdSchema: a past draw named by its id or its execution ARN', () => {
  it.each([
    'draw-20261129-051916-12ee',
    ' second-prize ',
    'arn:aws:states:eu-west-1:123456789012:execution:Lottery:second-prize',
  ])('takes %j', (id) => {
    expect(check(drawIdSchema, id)).toEqual({ ok: true, value: id.trim() });
  });

  it.each([
    '',
    'two words',
    'a/b',
    'arn:aws:states:eu-west-1:123456789012:execution:Lottery:bad name',
  ])('refuses %j', (id) => {
    expect(check(drawIdSchema, id)).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^not a draw id: a draw name is 1 to 80 characters.*, or an execution ARN$/,
      ),
    });
  });
});

describe('prizes with control characters', () => {
  it('are refused, naming the character', () => {
    expect(check(prizeSchema, 'Car\u001b[2J')).toEqual({
      ok: false,
      error: 'the prize must not contain control characters; it holds ESC',
    });
  });
});

describe('draw names (--name), as Step Functions takes execution names', () => {
  const NAME_RULE = {
    ok: false,
    error:
      'a draw name is 1 to 80 characters, without spaces or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /',
  };

  it.each([
    'second-prize',
    'a',
    'x'.repeat(80),
    '🎉'.repeat(80),
    '抽奖_2026.1',
    "it's(+=@!)",
    '\u00a1',
    '\u00ff',
  ])('takes %j', (name) => {
    expect(check(drawNameSchema, name)).toEqual({ ok: true, value: name });
  });

  it('counts the length in characters (code points), not in UTF-16 units', () => {
    // 80 emoji are 160 UTF-16 units: still 80 characters.
    expect(isValidExecutionName('🎉'.repeat(80))).toBe(true);
    expect(isValidExecutionName('🎉'.repeat(81))).toBe(false);
    expect(isValidExecutionName('x'.repeat(81))).toBe(false);
  });

  it('refuses an empty name', () => {
    expect(check(drawNameSchema, '')).toEqual(NAME_RULE);
  });

  it.each([
    ...' \t\n\r\u000b\u00a0\u3000<>{}[]?*"#%\\^|~`$&,;:/',
    '\u0000',
    '\u0001',
    '\u001f',
    '\u007f',
    '\u0080',
    '\u009f',
  ])('refuses %j anywhere in a name', (forbidden) => {
    for (const name of [`${forbidden}draw`, `draw${forbidden}2`, `draw${forbidden}`])
      expect(check(drawNameSchema, name)).toEqual(NAME_RULE);
  });
});

describe('drawResultSchema: the output of a past draw, as read back', () => {
  const audit = {
    seed: 'ab'.repeat(32),
    seed_source: 'generated',
    attempt: 1,
    pool: {},
    record_digest: 'cd'.repeat(32),
  };
  const result = {
    draw_id: 'draw-1',
    prize: null,
    winners: [
      {
        employee_id: '001',
        employee_name: 'Rose',
        lottery_serial: 1,
        department: 'Ops',
        email: 'rose@example.com',
      },
    ],
    recorded_at: '2026-11-29T10:00:01.000Z',
    audit,
    message: 'Congrats! [Rose] You have been selected as the Lucky Champ!',
    announcement: { status: 'FAILED', error: 'SNS.Throttled', cause: 'slow down' },
  };

  it('reads a draw result, keeping fields it does not know', () => {
    expect(checkJson(drawResultSchema, JSON.stringify({ ...result, extra: 1 }))).toEqual({
      ok: true,
      value: { ...result, extra: 1 },
    });
    expect(
      checkJson(
        drawResultSchema,
        JSON.stringify({
          ...result,
          prize: 'Car',
          announcement: { status: 'SENT', message_id: 'm-1' },
        }),
      ).ok,
    ).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no draw id', { draw_id: undefined }, 'draw_id: '],
    ['a prize that is not text', { prize: 3 }, 'prize: '],
    ['winners that are not a list', { winners: {} }, 'winners: '],
    ['a winner without a name', { winners: [{ employee_id: '001' }] }, 'winners.0.employee_name: '],
    [
      'a winner whose serial is text',
      { winners: [{ employee_id: '001', employee_name: 'Rose', lottery_serial: '1' }] },
      'winners.0.lottery_serial: ',
    ],
    [
      'a winner whose department is not text',
      { winners: [{ employee_id: '001', employee_name: 'Rose', department: 1 }] },
      'winners.0.department: ',
    ],
    [
      'a winner whose e-mail is not text',
      { winners: [{ employee_id: '001', employee_name: 'Rose', email: 1 }] },
      'winners.0.email: ',
    ],
    ['no time of recording', { recorded_at: 1 }, 'recorded_at: '],
    ['an audit that is not an object', { audit: 'x' }, 'audit: '],
    ['an audit that is null', { audit: null }, 'audit: '],
    ['no message', { message: undefined }, 'message: '],
    [
      'an announcement of unknown status',
      { announcement: { status: 'LOST' } },
      'announcement.status: ',
    ],
    [
      'an announcement error that is not text',
      { announcement: { status: 'FAILED', error: 1 } },
      'announcement.error: ',
    ],
    [
      'an announcement cause that is not text',
      { announcement: { status: 'FAILED', cause: 1 } },
      'announcement.cause: ',
    ],
    [
      'a message id that is not text',
      { announcement: { status: 'SENT', message_id: 1 } },
      'announcement.message_id: ',
    ],
  ])('refuses %s, naming the field', (_what, change, at) => {
    const parsed = checkJson(drawResultSchema, JSON.stringify({ ...result, ...change }));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(new RegExp(`^${at.replace(/\./g, '\\.')}`));
  });
});
