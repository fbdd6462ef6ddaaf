import { describe, expect, it } from 'vitest';
import type { DrawRecordFile } from '../../src/core/record-format';
import { lookUpPerson, verifyRecord } from '../../src/core/record-verify';
import { beaconRecord, due, members, people } from '../helpers/record-fixtures';

// The record's verifier on a beacon draw seeded by quicknet round 123 (test/helpers).

const failure = (record: DrawRecordFile) =>
  verifyRecord(record).draws[0]?.checks.find((check) => !check.ok);

describe('a beacon draw seeded by quicknet round 123', () => {
  const record = beaconRecord();
  it('verifies, with no warning about the chain', () => {
    const verdict = verifyRecord(record);
    expect(verdict.ok).toBe(true);
    expect(verdict.draws[0]?.checks.find((c) => c.name === 'beacon')).toMatchObject({
      ok: true,
      detail: expect.stringContaining("drand's quicknet chain"),
    });
  });
  it('never draws the excluded serial', () =>
    expect(record.draws[0]?.winners.map((w) => w.lottery_serial)).not.toContain(2));
  it('fails when the commitment was made after its round could exist', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.beacon!.commitment.committed_at = new Date(due * 1000).toISOString();
    expect(failure(copy)?.name).toBe('commitment');
  });
  it('fails when the committed pool is not the listed one', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.members = { ...members, digest: '00'.repeat(32) };
    const failed = verifyRecord(copy).draws[0]?.checks.filter((check) => !check.ok);
    expect(failed?.map((check) => check.name)).toEqual(['commitment', 'selection']);
  });
  it('fails when the excluded serial is let back in', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.excluded = [];
    expect(failure(copy)).toMatchObject({ name: 'candidates' });
  });
  it('fails with a name that is not the winner hash', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.winners[0]!.employee_id = 'E99';
    expect(failure(copy)).toMatchObject({
      name: 'winners',
      detail: expect.stringContaining('E99'),
    });
  });
  it('fails on anything that is not a record, without throwing', () => {
    expect(verifyRecord(null as unknown as DrawRecordFile).ok).toBe(false);
    expect(verifyRecord({ ...record, pool: { ...record.pool, id_hashes: '!!' } }).ok).toBe(false);
    expect(verifyRecord({ ...record, draws: [{} as never] }).ok).toBe(false);
  });
});

describe('the id box', () => {
  const record = beaconRecord();
  const winner = record.draws[0]!.winners[0]!.employee_id;
  it('says a winner won', () => expect(lookUpPerson(record, winner).draws[0]?.status).toBe('won'));
  it('says an excluded person was excluded', () =>
    expect(lookUpPerson(record, 'E2')).toMatchObject({
      inPool: true,
      serial: 2,
      draws: [{ status: 'excluded' }],
    }));
  it('says someone who did not win was in the draw', () => {
    const other = people.find(
      (p) =>
        p.lottery_serial !== 2 &&
        !record.draws[0]!.winners.some((w) => w.employee_id === p.employee_id),
    )!;
    expect(lookUpPerson(record, other.employee_id).draws[0]?.status).toBe('entered');
  });
  it('says an unknown id is not in the pool', () =>
    expect(lookUpPerson(record, 'X1')).toEqual({ inPool: false, draws: [] }));
  it('reads tickets', () => expect(lookUpPerson(record, 'E4').tickets).toBe(2));
});
