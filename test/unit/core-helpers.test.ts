import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { taskStates } from '../../src/core/definition';
import { fileProblem, LotteryError } from '../../src/core/errors';
import {
  classifyCallError,
  describeFailure,
  type CallError,
  type FailureKind,
} from '../../src/core/failures';
import { IssueList } from '../../src/core/issues';
import { check, checkJson, isObject } from '../../src/core/parse';
import { oneOrMany, plural } from '../../src/core/plural';
import { describeControl, printable, safeJson } from '../../src/core/printable';

// The small helpers every command leans on: how input is read, how an error is worded, how text
// is made safe to show.

describe('isObject', () => {
  it.each<[unknown, boolean]>([
    [{}, true],
    [{ input: 2 }, true],
    [[], false],
    [[{ input: 2 }], false],
    [null, false],
    ['{}', false],
    [2, false],
    [undefined, false],
  ])('%j → %s', (value, expected) => expect(isObject(value)).toBe(expected));
});

describe('check and checkJson', () => {
  const schema = z.object({ name: z.string(), tags: z.array(z.string()) });

  it('gives the value, or the first thing wrong with it', () => {
    expect(check(schema, { name: 'a', tags: [] })).toEqual({
      ok: true,
      value: { name: 'a', tags: [] },
    });
    expect(check(schema, { name: 'a', tags: [1] })).toEqual({
      ok: false,
      error: 'Invalid input: expected string, received number',
    });
  });

  it('names where in the value the problem is, when asked', () => {
    expect(check(schema, { name: 'a', tags: ['x', 1] }, { at: true })).toEqual({
      ok: false,
      error: 'tags.1: Invalid input: expected string, received number',
    });
    // A problem with the value as a whole has no place to name.
    expect(check(schema, 'text', { at: true })).toEqual({
      ok: false,
      error: 'Invalid input: expected object, received string',
    });
  });

  it('lets a message quote the value it refuses', () => {
    const quoting = z.string({ error: (issue) => `got ${JSON.stringify(issue.input)}` });
    expect(check(quoting, 42)).toEqual({ ok: false, error: 'got 42' });
  });

  it('reads JSON, naming the place of a problem; text that is not JSON says so', () => {
    expect(checkJson(schema, '{"name": "a", "tags": ["x"]}')).toEqual({
      ok: true,
      value: { name: 'a', tags: ['x'] },
    });
    expect(checkJson(schema, '{"name": 3, "tags": []}')).toEqual({
      ok: false,
      error: 'name: Invalid input: expected string, received number',
    });
    expect(checkJson(schema, '{"name": ')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not JSON \(.+\)$/),
    });
    expect(checkJson(schema, undefined)).toEqual({
      ok: false,
      error: 'not JSON (Unexpected end of JSON input)',
    });
  });
});

describe('LotteryError', () => {
  it('carries its kind, hint and details, and is named for what it is', () => {
    const plain = new LotteryError('usage', 'bad flag');
    expect(plain).toMatchObject({
      name: 'LotteryError',
      kind: 'usage',
      message: 'bad flag',
      hint: undefined,
      details: [],
      reported: false,
    });
    expect(
      new LotteryError('failed', 'lost', {
        hint: 'try again',
        details: ['line 1'],
        reported: true,
      }),
    ).toMatchObject({
      hint: 'try again',
      details: ['line 1'],
      reported: true,
    });
  });

  it('keeps the error it explains as its cause, as Error does, and has none when given none', () => {
    const low = new Error('EACCES: permission denied');
    const explained = new LotteryError('environment', 'cannot use the data directory', {
      cause: low,
    });
    expect(explained.cause).toBe(low);
    expect('cause' in new LotteryError('usage', 'bad flag')).toBe(false);
  });
});

describe('fileProblem', () => {
  it('reads a file system error by its code, with the path when the error names one', () => {
    expect(fileProblem(Object.assign(new Error('x'), { code: 'ENOSPC', path: '/data/x' }))).toEqual(
      {
        path: '/data/x',
        reason: 'no space left on the device',
        hint: 'free some space on that disk, or use a path on another',
      },
    );
    expect(fileProblem(Object.assign(new Error('x'), { code: 'EACCES' }))).toEqual({
      reason: 'permission denied',
      hint: 'check the permissions of the path and the directories above it',
    });
    expect(fileProblem({ code: 'EISDIR', path: 42 })).toEqual({
      reason: 'it is a directory',
      hint: 'name a file',
    });
  });

  it.each<[string, unknown]>([
    ['an error of another kind', new TypeError('x')],
    ['an unknown code', Object.assign(new Error('x'), { code: 'EWEIRD', path: '/x' })],
    ['a code that is not text', { code: 28 }],
    ['a string', 'ENOENT'],
    ['null', null],
    [
      'a code on something that is not an object',
      Object.assign(() => undefined, { code: 'ENOENT' }),
    ],
  ])('knows nothing of %s', (_what, error) => {
    expect(fileProblem(error)).toBeUndefined();
  });
});

describe('IssueList.concat', () => {
  it('counts the problems of both lists, kept or not', () => {
    const first = new IssueList();
    first.push(...Array.from({ length: 60 }, (_, i) => ({ message: `a${i}` })));
    const second = new IssueList();
    second.push({ message: 'b' }, { message: 'c' });
    const joined = first.concat(second);
    expect(joined.length).toBe(62);
    expect([...joined]).toHaveLength(50);
  });
});

describe('describeControl', () => {
  it.each([
    ['a\tb', 'a tab'],
    ['a\nb', 'a line break'],
    ['a\rb', 'a carriage return'],
    ['\u001b[2J', 'ESC'],
    ['ding\u0007', 'BEL'],
    ['\u202eevil', 'U+202E'],
    ['\u0000', 'U+0000'],
    ['x\u009b', 'U+009B'],
    ['Rose', 'no control character'],
    ['', 'no control character'],
  ])('%j holds %s', (value, expected) => expect(describeControl(value)).toBe(expected));
});

describe('printable and safeJson', () => {
  it('spells control characters as \\x under U+0100 and as \\u from there on', () => {
    expect(printable('a\u001bb\u00ffc\u009bd\u2028e\u202ef')).toBe(
      'a\\x1Bb\u00ffc\\x9Bd\\u2028e\\u202Ef',
    );
    expect(printable('\u0100')).toBe('\u0100');
  });

  it('keeps line breaks when asked, and only them', () => {
    expect(printable('a\nb\tc', { keepNewlines: true })).toBe('a\nb\\x09c');
  });

  it('writes JSON that any reader reads back the same, with no raw control or reordering character', () => {
    const value = { name: 'Rose\u009b2J\u202e', note: 'line\nbreak' };
    const text = safeJson(value);
    expect(text).toBe('{"name":"Rose\\u009B2J\\u202E","note":"line\\nbreak"}');
    expect(JSON.parse(text)).toEqual(value);
    expect(safeJson({ a: 1 }, 2)).toBe('{\n  "a": 1\n}');
  });
});

describe('taskStates', () => {
  it('lists the Task states that have a resource, inside branches too', () => {
    const asl = {
      States: {
        Start: { Type: 'Task', Resource: 'arn:one' },
        Choose: { Type: 'Choice' },
        Pass: { Type: 'Pass', Resource: 'not a task' },
        Broken: { Type: 'Task' },
        Both: {
          Type: 'Parallel',
          Branches: [{ States: { Inner: { Type: 'Task', Resource: 'arn:two' } } }],
        },
      },
    };
    expect(taskStates(asl as never)).toEqual([
      { name: 'Start', resource: 'arn:one' },
      { name: 'Inner', resource: 'arn:two' },
    ]);
  });
});

describe('describeFailure: any error reduced to what the taxonomy reads', () => {
  it.each<[string, unknown, CallError]>([
    [
      'a JSON-protocol service error',
      Object.assign(new Error('no table\nDeserialization hints…'), {
        name: 'ResourceNotFoundException',
        __type: 'com.amazonaws.dynamodb#ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
      {
        name: 'ResourceNotFoundException',
        message: 'no table',
        status: 400,
        serviceCode: 'ResourceNotFoundException',
      },
    ],
    [
      'a Query-protocol service error (Error.Code)',
      {
        name: 'AuthorizationError',
        message: 'no',
        Error: { Code: 'AuthorizationError' },
        $metadata: { httpStatusCode: 403 },
      },
      { name: 'AuthorizationError', message: 'no', status: 403, serviceCode: 'AuthorizationError' },
    ],
    [
      'an error with its own Code',
      { name: 'X', message: 'm', Code: 'Throttling' },
      { name: 'X', message: 'm', serviceCode: 'Throttling' },
    ],
    [
      'a network error wrapped in a cause',
      Object.assign(new Error('socket hang up'), { cause: { code: 'ECONNREFUSED' } }),
      { name: 'Error', message: 'socket hang up', networkCode: 'ECONNREFUSED' },
    ],
    [
      'an error with empty fields',
      { name: '', message: '', code: '', __type: '' },
      { name: 'Error', message: '[object Object]' },
    ],
    ['a string', 'boom', { name: 'Error', message: 'boom' }],
    ['null', null, { name: 'Error', message: 'null' }],
    [
      'a status that is not a number',
      { name: 'E', message: 'm', $metadata: { httpStatusCode: '500' } },
      { name: 'E', message: 'm' },
    ],
  ])('%s', (_what, error, expected) => {
    expect(describeFailure(error)).toEqual(expected);
  });
});

describe('classifyCallError at its edges', () => {
  const call = (fields: Partial<CallError>): CallError => ({
    name: 'Error',
    message: 'm',
    ...fields,
  });
  it.each<[string, CallError, FailureKind]>([
    [
      'a network code it does not know, without an answer',
      call({ networkCode: 'EWEIRD' }),
      'error',
    ],
    [
      'a network code it does not know, with an answer',
      call({ networkCode: 'EWEIRD', status: 500, serviceCode: 'InternalFailure' }),
      'error',
    ],
    ['a timeout', call({ name: 'TimeoutError' }), 'unreachable'],
    ['an abort', call({ name: 'AbortError' }), 'unreachable'],
    [
      'no credentials, whatever code came with it',
      call({ name: 'CredentialsProviderError', serviceCode: 'Other', status: 400 }),
      'credentials',
    ],
    [
      'a credentials code named only by the error name',
      call({ name: 'ExpiredToken', status: 403 }),
      'credentials',
    ],
    [
      'an answer with a status below 500 and no code: not this service',
      call({ name: 'NotFound', status: 404 }),
      'unsupported',
    ],
    [
      'an answer with a status of 500 and no code: this service failing',
      call({ name: 'InternalError', status: 500 }),
      'error',
    ],
    [
      'a code of this service with status 400',
      call({ name: 'ThrottlingException', serviceCode: 'ThrottlingException', status: 400 }),
      'error',
    ],
  ])('%s: %s', (_what, error, kind) => {
    expect(classifyCallError(error)).toBe(kind);
  });
});

describe('plural and oneOrMany', () => {
  it('say one for 1 and many for anything else, with an irregular plural when given', () => {
    expect([0, 1, 2].map((count) => plural(count, 'winner'))).toEqual([
      '0 winners',
      '1 winner',
      '2 winners',
    ]);
    expect(plural(1, 'person', 'people')).toBe('1 person');
    expect(plural(3, 'person', 'people')).toBe('3 people');
    expect([1, 2].map((count) => oneOrMany(count, 'is', 'are'))).toEqual(['is', 'are']);
    expect(oneOrMany(2, 'setting')).toBe('settings');
  });
});
