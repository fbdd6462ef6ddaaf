import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idHash, needsNewSalt, newSalt, PoolChain, poolMembers } from '../../src/core/pool-members';
import { bytesToHex } from '@noble/hashes/utils';

const SALT = '00112233445566778899aabbccddeeff';
const people = [
  { employee_id: 'E2', lottery_serial: 2, tickets: 3 },
  { employee_id: 'E1', lottery_serial: 1 },
  { employee_id: 'E5', lottery_serial: 5 },
];

describe('the pool digest', () => {
  it('does not depend on the order people are given in', () =>
    expect(poolMembers(SALT, people)).toEqual(poolMembers(SALT, [...people].reverse())));
  it('covers everyone, and says how many', () => expect(poolMembers(SALT, people).count).toBe(3));
  it('changes when someone moves to another serial', () =>
    expect(poolMembers(SALT, people).digest).not.toBe(
      poolMembers(SALT, [people[0]!, people[1]!, { employee_id: 'E5', lottery_serial: 4 }]).digest,
    ));
  it('changes when two people swap serials', () =>
    expect(poolMembers(SALT, people).digest).not.toBe(
      poolMembers(SALT, [
        { employee_id: 'E1', lottery_serial: 2, tickets: 3 },
        { employee_id: 'E2', lottery_serial: 1 },
        people[2]!,
      ]).digest,
    ));
  it('changes with tickets', () =>
    expect(poolMembers(SALT, people).digest).not.toBe(
      poolMembers(SALT, [{ ...people[0]!, tickets: 2 }, people[1]!, people[2]!]).digest,
    ));
  it('changes with the salt', () =>
    expect(poolMembers(SALT, people).digest).not.toBe(
      poolMembers(SALT.replace('00', '01'), people).digest,
    ));
  it('can be extended from where it is: the same as making it whole', () => {
    const chain = new PoolChain(SALT);
    chain.add(1, idHash(SALT, 'E1'), 1);
    chain.add(2, idHash(SALT, 'E2'), 3);
    chain.add(5, idHash(SALT, 'E5'), 1);
    expect(chain.members()).toEqual(poolMembers(SALT, people));
  });
  it('refuses serials out of order', () => {
    const chain = new PoolChain(SALT);
    chain.add(2, idHash(SALT, 'E2'), 1);
    expect(() => chain.add(2, idHash(SALT, 'E1'), 1)).toThrow(/not above 2/);
  });
  it('hashes an id with the salt into 16 bytes', () => {
    expect(idHash(SALT, 'E1')).toHaveLength(16);
    expect(bytesToHex(idHash(SALT, 'E1'))).not.toBe(bytesToHex(idHash(SALT, 'E2')));
  });
});

// The digest as docs/record.md defines it, step by step with Node's own SHA-256: what a reader's
// own code (scripts/check-record.py) reproduces from the record.
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const idHashOf = (salt: string, id: string) =>
  sha256(Buffer.from(salt, 'hex'), Buffer.from(id, 'utf8')).subarray(0, 16);
function chainDigest(salt: string, sorted: { id: string; serial: number; tickets: number }[]) {
  let state = sha256(Buffer.from('lottery-pool-v1'), Buffer.from(salt, 'hex'));
  for (const { id, serial, tickets } of sorted) {
    const serialBytes = Buffer.alloc(4);
    serialBytes.writeUInt32BE(serial);
    state = sha256(state, serialBytes, idHashOf(salt, id), Buffer.from([tickets]));
  }
  return state.toString('hex');
}

describe('the pool digest, as a reader reproduces it', () => {
  it('is the SHA-256 chain of docs/record.md, exactly', () =>
    expect(poolMembers(SALT, people)).toEqual({
      algorithm: 'sha256-chain-v1',
      salt: SALT,
      digest: chainDigest(SALT, [
        { id: 'E1', serial: 1, tickets: 1 },
        { id: 'E2', serial: 2, tickets: 3 },
        { id: 'E5', serial: 5, tickets: 1 },
      ]),
      count: 3,
    }));
  it('of nobody: the salted start of the chain, covering 0 people', () =>
    expect(poolMembers(SALT, [])).toMatchObject({ digest: chainDigest(SALT, []), count: 0 }));
  it('hashes an id as the first 16 bytes of SHA-256(salt, UTF-8 id)', () =>
    expect(bytesToHex(idHash(SALT, 'Zoë-7'))).toBe(idHashOf(SALT, 'Zoë-7').toString('hex')));
  it('takes the highest serial four bytes can hold', () => {
    const chain = new PoolChain(SALT);
    chain.add(0xffff_ffff, idHash(SALT, 'E1'), 1);
    expect(chain.members().digest).toBe(
      chainDigest(SALT, [{ id: 'E1', serial: 0xffff_ffff, tickets: 1 }]),
    );
  });
  it.each([
    [0, 'serial 0 is not above 0'],
    [1.5, 'serial 1.5 is not above 0'],
    [2 ** 32, 'serial 4294967296 is not above 0'],
  ])('refuses serial %s, naming it', (serial, message) =>
    expect(() => new PoolChain(SALT).add(serial, idHash(SALT, 'E1'), 1)).toThrow(
      new RangeError(message),
    ),
  );
  it.each([15, 17])('refuses an id hash of %s bytes', (length) =>
    expect(() => new PoolChain(SALT).add(1, new Uint8Array(length), 1)).toThrow(
      new RangeError('an id hash is 16 bytes'),
    ),
  );
  it('counts the people added one at a time', () => {
    const chain = new PoolChain(SALT);
    chain.add(3, idHash(SALT, 'E3'), 1);
    chain.add(9, idHash(SALT, 'E9'), 2);
    expect(chain.members()).toEqual({
      algorithm: 'sha256-chain-v1',
      salt: SALT,
      digest: chainDigest(SALT, [
        { id: 'E3', serial: 3, tickets: 1 },
        { id: 'E9', serial: 9, tickets: 2 },
      ]),
      count: 2,
    });
  });
});

describe('the salt', () => {
  it('is 16 random bytes of hex, new each time', () => {
    const [a, b] = [newSalt(), newSalt()];
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
  });
  it('is kept when the reset was at the very moment it was made', () =>
    expect(needsNewSalt('2026-12-05T10:00:00Z', [{ at: '2026-12-05T10:00:00Z' }])).toBe(false));
  it('is made again when any reset came after it, not only the first', () =>
    expect(
      needsNewSalt('2026-12-05T10:00:00Z', [
        { at: '2026-12-05T09:00:00Z' },
        { at: '2026-12-05T11:00:00Z' },
      ]),
    ).toBe(true));
  it('is made at the first seed', () => expect(needsNewSalt(undefined, [])).toBe(true));
  it('is kept between seeds', () =>
    expect(needsNewSalt('2026-12-05T10:00:00Z', [{ at: '2026-12-05T09:00:00Z' }])).toBe(false));
  it('is made again after a reset', () =>
    expect(needsNewSalt('2026-12-05T10:00:00Z', [{ at: '2026-12-05T11:00:00Z' }])).toBe(true));
});
