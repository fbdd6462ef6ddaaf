import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

// Who sits at each serial, committed before any seed is known (docs/record.md). `lottery seed`
// keeps in the pool statistics a digest of the pool in serial order; a draw copies it into its
// beacon commitment and its audit record, so a draw's record can later show, by reproducing the
// digest from a list of salted hashes, that nobody was moved onto a winning serial afterwards.
//
//   id hash   the first 16 bytes of SHA-256(salt ‖ UTF-8 employee id)
//   d_0       SHA-256("lottery-pool-v1" ‖ salt)
//   d_i       SHA-256(d_(i−1) ‖ uint32be(serial_i) ‖ id hash_i ‖ uint8(tickets_i)), serials up
//   digest    d_n, with n (the count it covers)
//
// A chain rather than a tree: it is read front to back by the verifier anyway, and a seed that only
// adds people above the highest serial could extend it from d_n alone. The salt is random, made at
// the first seed after a reset, so hashes from one event say nothing about another's. No
// Node-only module here: the record's verifier runs this code in a browser.

export const POOL_DIGEST_ALGORITHM = 'sha256-chain-v1';
export const ID_HASH_BYTES = 16;
const SALT_BYTES = 16;

/** The pool's digest as the statistics, a commitment and an audit record carry it. */
export interface PoolMembers {
  algorithm: typeof POOL_DIGEST_ALGORITHM;
  salt: string;
  digest: string;
  /** People the digest covers. */
  count: number;
}

/** One person of the pool as the digest sees them. */
export interface PoolMember {
  employee_id: string;
  lottery_serial: number;
  tickets?: number;
}

export function newSalt(): string {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
}

export function idHash(salt: string, employeeId: string): Uint8Array {
  return sha256(concatBytes(hexToBytes(salt), utf8ToBytes(employeeId))).subarray(0, ID_HASH_BYTES);
}

/** The chain, one person at a time, in ascending serials. */
export class PoolChain {
  private state: Uint8Array;
  private readonly link = new Uint8Array(32 + 4 + ID_HASH_BYTES + 1);
  private readonly view = new DataView(this.link.buffer);
  private lastSerial = 0;
  count = 0;

  constructor(readonly salt: string) {
    this.state = sha256(concatBytes(utf8ToBytes('lottery-pool-v1'), hexToBytes(salt)));
  }

  add(serial: number, hash: Uint8Array, tickets: number): void {
    if (!(Number.isInteger(serial) && serial > this.lastSerial && serial <= 0xffff_ffff))
      throw new RangeError(`serial ${serial} is not above ${this.lastSerial}`);
    if (hash.length !== ID_HASH_BYTES) throw new RangeError('an id hash is 16 bytes');
    this.link.set(this.state, 0);
    this.view.setUint32(32, serial);
    this.link.set(hash, 36);
    this.link[36 + ID_HASH_BYTES] = tickets;
    this.state = sha256(this.link);
    this.lastSerial = serial;
    this.count++;
  }

  members(): PoolMembers {
    return {
      algorithm: POOL_DIGEST_ALGORITHM,
      salt: this.salt,
      digest: bytesToHex(this.state),
      count: this.count,
    };
  }
}

/** The digest of a whole pool, in any order given. */
export function poolMembers(salt: string, people: Iterable<PoolMember>): PoolMembers {
  const chain = new PoolChain(salt);
  const sorted = [...people].sort((a, b) => a.lottery_serial - b.lottery_serial);
  for (const person of sorted)
    chain.add(person.lottery_serial, idHash(salt, person.employee_id), person.tickets ?? 1);
  return chain.members();
}

/**
 * Whether the salt should be made afresh: there is none yet, or a reset came after it was made.
 */
export function needsNewSalt(
  saltedAt: string | undefined,
  resets: readonly { at: string }[],
): boolean {
  return saltedAt === undefined || resets.some((reset) => reset.at > saltedAt);
}
