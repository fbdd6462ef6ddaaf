import { fileProblem, LotteryError, type ErrorKind } from '../core/errors';
import { classifyCallError, describeFailure } from '../core/failures';
import { isObject } from '../core/parse';

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

/**
 * Puts a face on errors from the SDK and the network, by the same taxonomy `lottery doctor` uses;
 * anything else is unexpected (undefined).
 */
export function explainError(error: unknown): LotteryError | undefined {
  if (error instanceof LotteryError) return error;
  // The data directory read-only or full, LOTTERY_HOME a file, a parent not ours: the machine, not
  // a bug.
  const file = fileProblem(error);
  if (file?.path)
    return new LotteryError('environment', `cannot use ${file.path}: ${file.reason}`, {
      hint: `${file.hint} (LOTTERY_HOME chooses the data directory: docs/configuration.md)`,
    });
  // LevelDB (the embedded backend's store) says which file it could not write, in its own words.
  const leveldb =
    isObject(error) && error.code === 'LEVEL_IO_ERROR'
      ? /IO error: (.*?): (.*)$/.exec(String(error.message))
      : null;
  if (leveldb)
    return new LotteryError(
      'environment',
      `the embedded backend cannot write ${leveldb[1]}: ${leveldb[2]}`,
      {
        hint: 'free some space on the disk of the data directory (LOTTERY_HOME), or choose another one',
      },
    );
  // LevelDB's native binding comes prebuilt for common platforms only; elsewhere its install script
  // builds it.
  if (error instanceof Error && /No native build was found/.test(error.message)) {
    return new LotteryError(
      'environment',
      `the embedded backend's database (LevelDB, through classic-level) has no build for this machine: ${error.message.split('\n')[0]}`,
      {
        hint: 'install lottery again letting classic-level build it: npm install -g --allow-scripts=classic-level <the package> (docs/install.md)',
      },
    );
  }
  // A JSON document nested thousands deep exhausts the parser's stack: no input of ours is like
  // that.
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return new LotteryError('usage', 'the input is nested too deeply to be read', {
      hint: 'check the file or value you gave: it is not one lottery writes or reads',
    });
  const failure = describeFailure(error);
  const { message } = failure;
  switch (classifyCallError(failure)) {
    case 'credentials':
      return new LotteryError('environment', `no usable AWS credentials: ${message}`, {
        hint: 'run `aws configure` or `aws sso login`, or pass --profile; for the embedded backend use --target local',
      });
    case 'denied':
      return new LotteryError('service', `access denied: ${message}`, {
        hint: 'the credentials in use lack a permission the lottery needs (docs/aws.md)',
      });
    case 'not-found':
      return new LotteryError('environment', message, {
        hint: 'deploy the stack with `lottery deploy` (docs/aws.md), or check --region and the configured names',
      });
    case 'unreachable':
      return new LotteryError('environment', `cannot reach the service: ${message}`, {
        hint: 'check --endpoint-url, --region and the network',
      });
    case 'unsupported':
      return new LotteryError(
        'environment',
        `the endpoint did not answer as the AWS service would: ${message}`,
        {
          hint: 'check --endpoint-url and the AWS_ENDPOINT_URL… variables; `lottery doctor` says which service answered what',
        },
      );
    case 'error':
      // Only an answer of the service is the service's error; anything else is a bug of ours.
      return isObject(error) && '$metadata' in error
        ? new LotteryError('service', `${failure.serviceCode ?? failure.name}: ${message}`)
        : undefined;
  }
}
