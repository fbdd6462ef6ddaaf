import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { FileRefused, LotteryError } from '../core/errors';
import { READ_FLAGS, refuse } from '../aws/regular-file';
import type { StaticCredentials } from '../aws/clients';
import { cannotWrite, DATA_FILE } from './paths';

/**
 * The keys that requests to the embedded backend of one data directory are signed with. They are
 * made with the directory, in a file only its user can read: whoever can read them can read and
 * change the draw, so the server (open to every local user and every web page on the loopback
 * interface) answers nobody else.
 */
export function localCredentials(path: string): StaticCredentials {
  return readCredentials(path) ?? createCredentials(path);
}

const REMAKE_HINT =
  'it must be a file of yours that only you can read (mode 600): remove it, and a new one is made at the next start (then restart any `lottery local serve`)';

/**
 * The file is written whole under a name of its own, then linked into place: of two commands making
 * it at once, both use the one linked first.
 */
function createCredentials(path: string): StaticCredentials {
  const draft = `${path}.${process.pid}`;
  rmSync(draft, { force: true });
  try {
    const credentials: StaticCredentials = {
      accessKeyId: `LOTTERY${randomBytes(10).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64url'),
    };
    writeFileSync(draft, `${JSON.stringify(credentials)}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw cannotWrite(path, error);
    }
  } finally {
    rmSync(draft, { force: true });
  }
  const stored = readCredentials(path);
  if (!stored)
    throw new LotteryError('environment', `${path} disappeared as it was made`, {
      hint: REMAKE_HINT,
    });
  return stored;
}

function readCredentials(path: string): StaticCredentials | undefined {
  let descriptor: number;
  try {
    // O_NOFOLLOW: a link planted in the data directory cannot lend its target's keys.
    descriptor = openSync(path, READ_FLAGS | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LotteryError('environment', `cannot read ${path}: ${(error as Error).message}`, {
      hint: REMAKE_HINT,
      cause: error,
    });
  }
  try {
    const stat = fstatSync(descriptor);
    refuse(path, stat, DATA_FILE);
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new LotteryError('environment', `${path} belongs to another user (uid ${stat.uid})`, {
        hint: 'use a data directory of your own (LOTTERY_HOME)',
      });
    }
    if ((stat.mode & 0o077) !== 0) {
      throw new LotteryError(
        'environment',
        `${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)})`,
        { hint: REMAKE_HINT },
      );
    }
    const parsed = JSON.parse(readFileSync(descriptor, 'utf8')) as Partial<StaticCredentials>;
    if (typeof parsed.accessKeyId !== 'string' || typeof parsed.secretAccessKey !== 'string')
      throw new Error('no accessKeyId and secretAccessKey');
    return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
  } catch (error) {
    if (error instanceof LotteryError) throw error;
    if (error instanceof FileRefused)
      throw new LotteryError('environment', `${path}: ${error.reason}`, {
        hint: REMAKE_HINT,
        cause: error,
      });
    throw new LotteryError('environment', `${path} is not valid: ${(error as Error).message}`, {
      hint: REMAKE_HINT,
      cause: error,
    });
  } finally {
    closeSync(descriptor);
  }
}
