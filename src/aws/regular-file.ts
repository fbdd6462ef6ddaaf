import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FileRefused } from '../core/errors';

// Every file we read is one somebody named or could replace: a setting, a flag, a file in the data
// directory. Opening a FIFO for reading waits for a writer (for ever, holding one of libuv's four
// threads, so that even the exit hangs); /dev/zero never ends. So a file is opened without
// waiting (O_NONBLOCK: no effect on a regular file), its type and size are checked on the open
// descriptor (no race with a rename), and only a regular file of a sensible size is read.

/** The flags every read of ours opens a file with: see above. */
export const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * A read of a regular file that takes longer than this is stuck (a network file system gone away):
 * the command says so instead of waiting with it.
 */
export const READ_TIMEOUT_MS = 30_000;

const NAMES: [(stats: Stats) => boolean, string][] = [
  [(stats) => stats.isDirectory(), 'a directory'],
  [(stats) => stats.isFIFO(), 'a FIFO (a named pipe)'],
  [(stats) => stats.isCharacterDevice(), 'a character device'],
  [(stats) => stats.isBlockDevice(), 'a block device'],
  [(stats) => stats.isSocket(), 'a socket'],
];

/** A size as people read it: 1 MB, 64 kB, 812 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const [unit, size] = bytes < 1e6 ? ['kB', 1e3] : bytes < 1e9 ? ['MB', 1e6] : ['GB', 1e9];
  return `${Number((bytes / size).toPrecision(3))} ${unit}`;
}

/** What a file may be: `what` names it in messages ("a prize plan file"). */
export interface FileRule {
  what: string;
  maxBytes: number;
}

/** Refuses what is not a regular file of at most `rule.maxBytes`, naming what it is. */
export function refuse(path: string, stats: Stats, rule: FileRule): void {
  const kind = NAMES.find(([is]) => is(stats))?.[1];
  if (kind || !stats.isFile())
    throw new FileRefused(
      path,
      `it is ${kind ?? 'not a regular file'}, not a regular file`,
      `name ${rule.what}, a regular file`,
    );
  if (stats.size > rule.maxBytes) throw tooLarge(path, rule, stats.size);
}

const tooLarge = (path: string, rule: FileRule, size?: number) =>
  new FileRefused(
    path,
    `it is ${size === undefined ? 'larger than that' : formatBytes(size)}, more than the ${formatBytes(rule.maxBytes)} ${rule.what} may hold`,
    `check that it is ${rule.what}`,
  );

/** Reads a regular file whole, after checking its type and size; stops if the read hangs. */
export async function readRegularFile(
  path: string,
  rule: FileRule,
  timeoutMs = READ_TIMEOUT_MS,
): Promise<Buffer> {
  const handle = await openRegularFile(path, rule);
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FileRefused(
            path,
            `reading it took more than ${timeoutMs / 1000} s`,
            'check the disk or network file system it is on',
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([readAtMost(handle, path, rule), stuck]);
  } finally {
    clearTimeout(timer);
    void handle.close().catch(() => undefined);
  }
}

const CHUNK_BYTES = 64 * 1024;

/** The bytes read so far, refused once there are more than the rule allows (a file that grew). */
class Collected {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  constructor(
    private readonly path: string,
    private readonly rule: FileRule,
  ) {}

  /** Keeps a chunk; false at the end of the file. */
  add(chunk: Buffer, bytesRead: number): boolean {
    if (bytesRead === 0) return false;
    this.total += bytesRead;
    if (this.total > this.rule.maxBytes) throw tooLarge(this.path, this.rule);
    this.chunks.push(chunk.subarray(0, bytesRead));
    return true;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks, this.total);
  }
}

async function readAtMost(handle: FileHandle, path: string, rule: FileRule): Promise<Buffer> {
  const collected = new Collected(path, rule);
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    if (!collected.add(chunk, (await handle.read(chunk, 0, CHUNK_BYTES, null)).bytesRead))
      return collected.bytes;
  }
}

/** Opens a regular file to stream it, after checking its type and size. */
export async function openRegularFile(path: string, rule: FileRule): Promise<FileHandle> {
  const handle = await open(path, READ_FLAGS);
  try {
    refuse(path, await handle.stat(), rule);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The same, in one go, for the few files read before anything else can run (settings, locks). */
export function readRegularFileSync(path: string, rule: FileRule, flags = 0): Buffer {
  const descriptor = openSync(path, READ_FLAGS | flags);
  try {
    refuse(path, fstatSync(descriptor), rule);
    const collected = new Collected(path, rule);
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      if (!collected.add(chunk, readSync(descriptor, chunk, 0, CHUNK_BYTES, null)))
        return collected.bytes;
    }
  } finally {
    closeSync(descriptor);
  }
}
