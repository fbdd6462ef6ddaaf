import { describe, expect, it } from 'vitest';
import { debugTrace, explainError, type EXIT_CODES } from '../../src/cli/errors';
import { LotteryError } from '../../src/core/errors';
import { classifyCallError, describeFailure, type FailureKind } from '../../src/core/failures';

/**
 * Errors as the SDK and Node.js throw them: a service's answer carries $metadata, a network failure
 * a code.
 */
const serviceError = (name: string, status: number, message = `${name} says no`) =>
  Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status },
    __type: `com.amazonaws#${name}`,
  });
const networkError = (code: string) =>
  Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

const cases: [string, unknown, FailureKind, keyof typeof EXIT_CODES][] = [
  [
    'no credentials',
    Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    }),
    'credentials',
    'environment',
  ],
  [
    'a bad signature (S3-style name)',
    serviceError('SignatureDoesNotMatch', 403),
    'credentials',
    'environment',
  ],
  ['an expired token', serviceError('ExpiredTokenException', 400), 'credentials', 'environment'],
  ['an unreachable host', networkError('EHOSTUNREACH'), 'unreachable', 'environment'],
  [
    'a refused connection, as the SDK wraps it',
    Object.assign(new Error('socket hang up'), { cause: { code: 'ECONNREFUSED' } }),
    'unreachable',
    'environment',
  ],
  ['a missing permission', serviceError('AccessDeniedException', 400), 'denied', 'service'],
  ['a missing table', serviceError('ResourceNotFoundException', 400), 'not-found', 'environment'],
  [
    'an endpoint that is another service',
    serviceError('UnknownOperationException', 400),
    'unsupported',
    'environment',
  ],
  ['throttling', serviceError('ThrottlingException', 400), 'error', 'service'],
];

describe('one error taxonomy for doctor and every other command', () => {
  it.each(cases)('%s: doctor calls it %s, the CLI exits as an %s error', (_, error, kind, exit) => {
    expect(classifyCallError(describeFailure(error))).toBe(kind);
    const explained = explainError(error);
    expect(explained).toBeInstanceOf(LotteryError);
    expect(explained?.kind).toBe(exit);
    // --debug prints what the explanation hides: the error as it came.
    expect(explained?.cause).toBe(error);
  });

  it("takes a service's error name for its verdict only when a service answered", () => {
    const thrownLocally = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    expect(classifyCallError(describeFailure(thrownLocally))).toBe('error');
  });

  it('reads only text from the fields of an error', () => {
    expect(describeFailure({ name: 404, message: 7, code: 'E' })).toEqual({
      name: 'Error',
      message: '[object Object]',
      networkCode: 'E',
    });
    expect(
      describeFailure({ name: 'X', message: 'm', code: 1, $metadata: { httpStatusCode: '500' } }),
    ).toEqual({ name: 'X', message: 'm' });
  });

  it('leaves an error that is no answer of a service unexplained: it is a bug, exit 255', () => {
    expect(
      explainError(new TypeError("Cannot read properties of undefined (reading 'x')")),
    ).toBeUndefined();
  });
});

describe('explainError: the machine, not a bug', () => {
  it('names LevelDB and the one command that builds it, when its binding has no build for the machine', () => {
    const error = new Error(
      'No native build was found for platform=freebsd arch=arm64 runtime=node abi=115 uv=1 libc=glibc node=20.20.2\n    loaded from: /x',
    );
    expect(explainError(error)).toMatchObject({
      kind: 'environment',
      message: expect.stringContaining(
        'has no build for this machine: No native build was found for platform=freebsd',
      ),
      hint: expect.stringContaining('--allow-scripts=classic-level'),
    });
  });

  it('reads a file system error by its code and path', () => {
    const error = Object.assign(new Error('EROFS: read-only file system, open'), {
      code: 'EROFS',
      path: '/data/lottery/lock.json',
    });
    expect(explainError(error)).toMatchObject({
      kind: 'environment',
      message: 'cannot use /data/lottery/lock.json: the file system is read-only',
    });
  });

  it.each(['No space left on device', 'File too large'])(
    'reads LevelDB failing to write its log: %s',
    (reason) => {
      const error = Object.assign(
        new Error(`IO error: /data/lottery/dynamodb/000003.log: ${reason}`),
        { code: 'LEVEL_IO_ERROR' },
      );
      expect(explainError(error)).toMatchObject({
        kind: 'environment',
        message: `the embedded backend cannot write /data/lottery/dynamodb/000003.log: ${reason}`,
        hint: expect.stringContaining('free some space'),
      });
    },
  );

  it('reads LevelDB failing to read a file of its store as a damaged store, not a full disk', () => {
    const error = Object.assign(
      new Error('IO error: /data/lottery/dynamodb/000010.ldb: Invalid argument'),
      { code: 'LEVEL_IO_ERROR' },
    );
    const explained = explainError(error);
    expect(explained).toMatchObject({
      kind: 'environment',
      message:
        'the embedded backend cannot read /data/lottery/dynamodb/000010.ldb, a file of its store: Invalid argument',
    });
    expect(explained?.hint).toContain('restore the data directory (LOTTERY_HOME) from a copy');
  });
});

describe('debugTrace: what --debug prints', () => {
  it('follows the chain of causes, each with its message and stack', () => {
    const low = Object.assign(new Error('EACCES: permission denied, open /data/x'), {
      code: 'EACCES',
    });
    const wrapped = new LotteryError('environment', 'cannot use /data/x: permission denied', {
      cause: low,
    });
    const trace = debugTrace(wrapped);
    expect(trace).toMatch(/^LotteryError: cannot use \/data\/x: permission denied\n\s+at /);
    expect(trace).toMatch(/\ncaused by: Error: EACCES: permission denied, open \/data\/x\n\s+at /);
  });

  it('shows a cause that is not an Error as it is, and stops at a loop', () => {
    const looped = new Error('outer', { cause: 'a plain string' });
    expect(debugTrace(looped)).toMatch(/\ncaused by: a plain string\n$/);
    const self: Error & { cause?: unknown } = new Error('me');
    self.cause = self;
    expect(debugTrace(self)).not.toContain('caused by');
  });
});
