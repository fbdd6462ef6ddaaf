import { describe, expect, it } from 'vitest';
import { idHash, needsNewSalt, PoolChain, poolMembers } from '../../src/core/pool-members';
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

describe('the salt', () => {
  it('is made at the first seed', () => expect(needsNewSalt(undefined, [])).toBe(true));
  it('is kept between seeds', () =>
    expect(needsNewSalt('2026-12-05T10:00:00Z', [{ at: '2026-12-05T09:00:00Z' }])).toBe(false));
  it('is made again after a reset', () =>
    expect(needsNewSalt('2026-12-05T10:00:00Z', [{ at: '2026-12-05T11:00:00Z' }])).toBe(true));
});
