import { LotteryError } from '../core/errors';

/** A file the user named that cannot be read, said in their words rather than Node's. */
export function cannotRead(shown: string, error: unknown, hint?: string): LotteryError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
  return new LotteryError('usage', `cannot read ${shown}: ${reason}`, hint);
}
