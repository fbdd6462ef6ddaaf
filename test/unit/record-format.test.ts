import { describe, expect, it } from 'vitest';
import { poolMembers } from '../../src/core/pool-members';
import {
  decodePool,
  decodeSerialDeltas,
  encodePool,
  encodeSerialDeltas,
  indexOfSerial,
  type RecordPool,
} from '../../src/core/record-format';

// How a draw's record keeps its pool (docs/record.md): the serials as varint deltas, the id hashes
// and the ticket counts in base64. scripts/check-record.py and any other reader decode the same
// bytes, so the encoding is checked against Node's own base64, not against itself.

const SALT = '00112233445566778899aabbccddeeff';
const base64 = (bytes: Iterable<number>) => Buffer.from([...bytes]).toString('base64');
/** A hash that says which entry it is: byte j of entry i is (i * 7 + j) mod 256. */
const hashOf = (i: number) => Uint8Array.from({ length: 16 }, (_, j) => (i * 7 + j) % 256);
const entriesOf = (serials: number[], tickets: (i: number) => number = () => 1) =>
  serials.map((serial, i) => ({ serial, hash: hashOf(i), tickets: tickets(i) }));
const members = poolMembers(SALT, []);
const pool = (fields: Partial<RecordPool>): RecordPool => ({
  ...members,
  serials: '',
  id_hashes: '',
  ...fields,
});

describe("the pool's serials", () => {
  it('are the deltas between them, one varint each, in base64', () => {
    expect(encodeSerialDeltas([1, 2, 130, 20_130])).toBe(
      base64([1, 1, 0x80, 0x01, 0xa0, 0x9c, 0x01]),
    );
    expect(decodeSerialDeltas(base64([1, 1, 0x80, 0x01, 0xa0, 0x9c, 0x01]))).toEqual([
      1, 2, 130, 20_130,
    ]);
  });
  it('cut in the middle of a number: refused, saying so', () =>
    expect(() => decodeSerialDeltas(base64([1, 0x80]))).toThrow(
      new Error("the pool's serials end in the middle of a number"),
    ));
  it('that are not base64: refused, naming them', () =>
    expect(() => decodeSerialDeltas('!!')).toThrow(new Error("the pool's serials are not base64")));
});

describe('a pool written and read back', () => {
  it('keeps every serial, hash and ticket count, in base64 a reader can decode', () => {
    const entries = entriesOf([1, 3, 4, 300], (i) => (i === 2 ? 3 : 1));
    const written = encodePool(members, entries);
    expect(written).toEqual({
      ...members,
      serials: base64([1, 2, 1, 0xa8, 0x02]),
      id_hashes: base64(entries.flatMap((entry) => [...entry.hash])),
      tickets: base64([1, 1, 3, 1]),
    });
    expect(decodePool(written)).toEqual({
      serials: [1, 3, 4, 300],
      hashes: Uint8Array.from(entries.flatMap((entry) => [...entry.hash])),
      tickets: Uint8Array.from([1, 1, 3, 1]),
    });
  });
  it('has no ticket counts when everyone has one ticket', () => {
    const written = encodePool(members, entriesOf([5, 6]));
    expect(written).not.toHaveProperty('tickets');
    expect(decodePool(written).tickets).toBeUndefined();
  });
  it('of 2,100 people (hashes longer than one 32 KiB chunk of base64 work): the same bytes', () => {
    const entries = entriesOf(
      Array.from({ length: 2100 }, (_, i) => 2 * i + 1),
      (i) => 1 + (i % 3),
    );
    const written = encodePool(members, entries);
    const hashes = Buffer.concat(entries.map((entry) => entry.hash));
    expect(written.id_hashes).toBe(hashes.toString('base64'));
    expect(written.tickets).toBe(base64(entries.map((entry) => entry.tickets)));
    const read = decodePool(written);
    expect(Buffer.from(read.hashes).equals(hashes)).toBe(true);
    expect(read.serials).toEqual(entries.map((entry) => entry.serial));
  });
});

describe('a pool that does not add up', () => {
  it.each<[string, Partial<RecordPool>, string]>([
    [
      'fewer id hashes than serials',
      { serials: base64([1, 1, 1]), id_hashes: base64(new Uint8Array(32)) },
      'the pool lists 3 serials but 2 id hashes',
    ],
    [
      'fewer ticket counts than serials',
      { serials: base64([1, 1]), id_hashes: base64(new Uint8Array(32)), tickets: base64([2]) },
      'the pool lists 2 serials but 1 ticket counts',
    ],
    ['id hashes that are not base64', { id_hashes: '!!' }, "the pool's id hashes are not base64"],
    ['tickets that are not base64', { tickets: '!!' }, "the pool's tickets are not base64"],
  ])('%s: refused, saying what is wrong', (_, fields, message) =>
    expect(() => decodePool(pool(fields))).toThrow(new Error(message)),
  );
});

describe('finding a serial in the pool', () => {
  it('gives its place in the list, or -1, for lists of 0 to 7 serials', () => {
    for (let length = 0; length <= 7; length++) {
      const serials = Array.from({ length }, (_, i) => 3 * i + 2);
      for (let serial = 0; serial <= 3 * length + 3; serial++)
        expect([length, serial, indexOfSerial(serials, serial)]).toEqual([
          length,
          serial,
          serials.indexOf(serial),
        ]);
    }
  });
});
