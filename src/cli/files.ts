import { chmod, lstat, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { fstat, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileProblem, LotteryError } from '../core/errors';

/** A file the user named that cannot be read, said in their words rather than Node's. */
export function cannotRead(shown: string, error: unknown, hint?: string): LotteryError {
  return new LotteryError(
    'usage',
    `cannot read ${shown}: ${fileProblem(error)?.reason ?? (error as Error).message}`,
    { hint, cause: error },
  );
}

/** A file the user named that cannot be written: nothing was written, and why in their words. */
export function cannotWrite(shown: string, error: unknown): LotteryError {
  const problem = fileProblem(error);
  return new LotteryError(
    'usage',
    `cannot write ${shown}: ${problem?.reason ?? (error as Error).message}; nothing was written`,
    { hint: problem?.hint, cause: error },
  );
}

/**
 * Writes a file the user named, as they would expect of any tool:
 * - a regular file is replaced whole (written beside it, then renamed over it, so that an
 *   interrupted write never leaves half a file), keeping its permissions;
 * - a symbolic link is written through: its target changes, the link stays;
 * - a FIFO or a device (/dev/stdout, a named pipe) is written to, not replaced;
 * - a directory is refused.
 * Errors name the user's path, never the temporary file's.
 */
export async function writeUserFile(shown: string, content: string): Promise<void> {
  let draft: string | undefined;
  try {
    // What the path leads to, asked of the system: /dev/stdout leads through /proc/self/fd/1 to
    // "pipe:[…]", a link no path lookup of ours can follow, but which the system opens.
    const existing = await stat(shown).catch(ifMissing(undefined));
    if (existing?.isDirectory())
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR', path: shown });
    if (existing && !existing.isFile()) {
      await writeFile(shown, content);
      return;
    }
    const target = await realTarget(shown);
    draft = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    await writeFile(draft, content, { flag: 'wx' });
    // The new file takes the old one's permissions: an export kept private (600) stays private.
    if (existing) await chmod(draft, existing.mode & 0o7777);
    await rename(draft, target);
  } catch (error) {
    if (draft) await rm(draft, { force: true });
    throw cannotWrite(shown, error);
  }
}

/**
 * Whether a path leads to this process's standard output (/dev/stdout, /proc/self/fd/1, or the
 * file the shell redirected it to): what goes there is written to the stream, which works whatever
 * the output is. Opening /dev/stdout again fails when it is a socket (ENXIO), as a parent process's
 * pipe often is.
 */
export async function isStandardOutput(path: string): Promise<boolean> {
  const [target, stdout] = await Promise.all([
    stat(path).catch(() => undefined),
    new Promise<Stats | undefined>((resolve) =>
      fstat(1, (error, stats) => resolve(error ? undefined : stats)),
    ),
  ]);
  return Boolean(target && stdout && target.dev === stdout.dev && target.ino === stdout.ino);
}

/** Where a path leads: through any symbolic links, even to a file that does not exist yet. */
async function realTarget(path: string): Promise<string> {
  for (let hops = 0; hops < 40; hops++) {
    const link = await lstat(path).catch(ifMissing(undefined));
    if (!link?.isSymbolicLink()) return path;
    path = resolve(dirname(path), await readlink(path));
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP', path });
}

const ifMissing =
  <T>(value: T) =>
  (error: unknown): T => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw error;
  };
