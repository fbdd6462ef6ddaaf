import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRoundFile } from '../../src/aws/beacon-relays';
import { formatBytes, readRegularFile, readRegularFileSync } from '../../src/aws/regular-file';
import { TestChain } from '../helpers/beacon';

let directory: string;
let fifo: string;
const rule = { what: 'a test file', maxBytes: 10 };

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'lottery-regular-'));
  fifo = join(directory, 'pipe');
  execFileSync('mkfifo', [fifo]);
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('reading only regular files of a sensible size', () => {
  it('reads a regular file whole, sync or not', async () => {
    const path = join(directory, 'ten');
    writeFileSync(path, '0123456789');
    expect((await readRegularFile(path, rule)).toString()).toBe('0123456789');
    expect(readRegularFileSync(path, rule).toString()).toBe('0123456789');
  });

  it.each([
    ['a FIFO', () => fifo, 'it is a FIFO (a named pipe), not a regular file'],
    ['/dev/zero', () => '/dev/zero', 'it is a character device, not a regular file'],
    ['a directory', () => directory, 'it is a directory, not a regular file'],
  ])('refuses %s without waiting on it', async (_name, path, reason) => {
    await expect(readRegularFile(path(), rule)).rejects.toMatchObject({ reason });
    expect(() => readRegularFileSync(path(), rule)).toThrow(reason);
  });

  it('refuses a file larger than its kind may be, saying both sizes', async () => {
    const path = join(directory, 'eleven');
    writeFileSync(path, '0123456789A');
    await expect(readRegularFile(path, rule)).rejects.toMatchObject({
      reason: 'it is 11 bytes, more than the 10 bytes a test file may hold',
      hint: 'check that it is a test file',
    });
  });

  it('says sizes as people do', () => {
    expect([1, 812, 64_000, 1_000_000, 2_500_000_000].map(formatBytes)).toEqual([
      '1 byte',
      '812 bytes',
      '64 kB',
      '1 MB',
      '2.5 GB',
    ]);
  });
});

describe('a beacon round file', () => {
  it('that is a FIFO is invalid at once, not waited on', async () => {
    const chain = new TestChain();
    const answer = await readRoundFile(chain.info, fifo, 5);
    expect(answer).toEqual({
      kind: 'invalid',
      source: fifo,
      reason: 'it is a FIFO (a named pipe), not a regular file',
    });
  }, 5000);
});
