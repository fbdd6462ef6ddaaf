import { fileProblem, LotteryError, type ErrorKind } from '../core/errors';
import { classifyCallError, describeFailure } from '../core/failures';
import { BACKEND_API_ERRORS } from '../core/names';
import { isObject } from '../core/parse';
import { DAMAGED_STORE_HINT, WRITE_HINT } from '../local/paths';

/** Exit codes, after the AWS CLI's where one fits (docs/troubleshooting.md, "Exit codes"). */
export const EXIT_CODES: Record<'ok' | ErrorKind | 'unexpected', number> = {
  ok: 0,
  failed: 1,
  interrupted: 130,
  usage: 252,
  environment: 253,
  service: 254,
  unexpected: 255,
};

/** How deep --debug follows a chain of causes: further is a loop, or nothing anyone reads. */
const CAUSES_SHOWN = 8;

/**
 * What --debug prints: the error's stack, then the message and stack of each error it explains,
 * down the chain of causes (an explained SDK error, the Node.js error under a file problem).
 */
export function debugTrace(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && !seen.has(current) && seen.size < CAUSES_SHOWN) {
    seen.add(current);
    const text = current instanceof Error ? withMessage(current) : String(current);
    lines.push(seen.size === 1 ? text : `caused by: ${text}`);
    current = isObject(current) ? current.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}

/** An error's stack under its name and message, which a stack of another error's making lacks. */
function withMessage(error: Error): string {
  const head = `${error.name}: ${error.message}`;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [head, ...frames].join('\n');
}

/** What an error means to the person at the keyboard: its kind, in words, and how to fix it. */
interface Explanation {
  kind: ErrorKind;
  message: string;
  hint?: string;
}

/** The embedded backend's data directory, as its API says: full, read-only, a file damaged. */
function backendProblem(error: unknown): Explanation | undefined {
  const { serviceCode, message } = describeFailure(error);
  if (serviceCode === BACKEND_API_ERRORS.cannotWrite)
    return { kind: 'environment', message: `the embedded backend ${message}`, hint: WRITE_HINT };
  if (serviceCode === BACKEND_API_ERRORS.damaged)
    return {
      kind: 'environment',
      message,
      hint: 'the data directory (LOTTERY_HOME) was changed by something other than lottery: restore it from a copy, or move the file named out of the way',
    };
  return undefined;
}

/**
 * Puts a face on errors from the SDK and the network, by the same taxonomy `lottery doctor` uses;
 * anything else is unexpected (undefined). The error explained is kept as the cause, for --debug.
 */
export function explainError(error: unknown): LotteryError | undefined {
  if (error instanceof LotteryError) return error;
  const explained = explainMachine(error) ?? explainCall(error);
  return (
    explained &&
    new LotteryError(explained.kind, explained.message, { hint: explained.hint, cause: error })
  );
}

/** The machine the CLI runs on: its files, its disk, its build of LevelDB. */
function explainMachine(error: unknown): Explanation | undefined {
  // The data directory read-only or full, LOTTERY_HOME a file, a parent not ours: the machine, not
  // a bug.
  const file = fileProblem(error);
  if (file?.path)
    return {
      kind: 'environment',
      message: `cannot use ${file.path}: ${file.reason}`,
      hint: `${file.hint} (LOTTERY_HOME chooses the data directory: docs/configuration.md)`,
    };
  const backend = backendProblem(error);
  if (backend) return backend;
  const leveldb = levelDbProblem(error);
  if (leveldb) return leveldb;
  // LevelDB's native binding comes prebuilt for common platforms only; elsewhere its install script
  // builds it.
  if (error instanceof Error && /No native build was found/.test(error.message)) {
    return {
      kind: 'environment',
      message:
        "the embedded backend's database (LevelDB, through classic-level) has no build for this " +
        `machine: ${error.message.split('\n')[0]}`,
      hint: 'install lottery again letting classic-level build it: npm install -g --allow-scripts=classic-level <the package> (docs/install.md)',
    };
  }
  // A JSON document nested thousands deep exhausts the parser's stack: no input of ours is like
  // that.
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return {
      kind: 'usage',
      message: 'the input is nested too deeply to be read',
      hint: 'check the file or value you gave: it is not one lottery writes or reads',
    };
  return undefined;
}

/**
 * LevelDB (the embedded backend's store) says which file it could not use, in its own words: a
 * disk full or read-only, else a file of the store truncated or overwritten.
 */
function levelDbProblem(error: unknown): Explanation | undefined {
  if (!isObject(error)) return undefined;
  if (error.code === 'LEVEL_CORRUPTION')
    return {
      kind: 'environment',
      message: `the embedded backend's store is damaged: ${String(error.message)}`,
      hint: DAMAGED_STORE_HINT,
    };
  const io =
    error.code === 'LEVEL_IO_ERROR' ? /IO error: (.*?): (.*)$/.exec(String(error.message)) : null;
  if (!io) return undefined;
  const [, path, reason] = io;
  // "File too large": the process's file size limit (ulimit -f), which a full disk looks like.
  if (/space|quota|too large|read-only|permission/i.test(reason ?? ''))
    return {
      kind: 'environment',
      message: `the embedded backend cannot write ${path}: ${reason}`,
      hint: 'free some space on the disk of the data directory (LOTTERY_HOME), or choose another one',
    };
  return {
    kind: 'environment',
    message: `the embedded backend cannot read ${path}, a file of its store: ${reason}`,
    hint: DAMAGED_STORE_HINT,
  };
}

/** A call to a service, by the taxonomy of src/core/failures.ts. */
function explainCall(error: unknown): Explanation | undefined {
  const failure = describeFailure(error);
  const { message } = failure;
  switch (classifyCallError(failure)) {
    case 'credentials':
      return {
        kind: 'environment',
        message: `no usable AWS credentials: ${message}`,
        hint: 'run `aws configure` or `aws sso login`, or pass --profile; for the embedded backend use --target local',
      };
    case 'denied':
      return {
        kind: 'service',
        message: `access denied: ${message}`,
        hint: 'the credentials in use lack a permission the lottery needs (docs/aws.md)',
      };
    case 'not-found':
      return {
        kind: 'environment',
        message,
        hint: 'deploy the stack with `lottery deploy` (docs/aws.md), or check --region and the configured names',
      };
    case 'unreachable':
      return {
        kind: 'environment',
        message: `cannot reach the service: ${message}`,
        hint: 'check --endpoint-url, --region and the network',
      };
    case 'unsupported':
      return {
        kind: 'environment',
        message: `the endpoint did not answer as the AWS service would: ${message}`,
        hint: 'check --endpoint-url and the AWS_ENDPOINT_URL… variables; `lottery doctor` says which service answered what',
      };
    case 'error':
      // Only an answer of the service is the service's error; anything else is a bug of ours.
      return isObject(error) && '$metadata' in error
        ? { kind: 'service', message: `${failure.serviceCode ?? failure.name}: ${message}` }
        : undefined;
  }
}
