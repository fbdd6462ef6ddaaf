import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { StoredExclusions } from './exclusions';
import type { Forfeit } from './forfeits';
import type { PoolMembers } from './pool-members';
import { candidateSpaceDigest, type CandidateSpace } from './selection';
import { deltaVarints, fromDeltaVarints } from './serial-deltas';

// How an audit record keeps a draw's candidates: the serials it excluded (or the serial list it
// drew from), compactly, with the digest that the draw's output and a beacon commitment carry.

/** A sorted list of serials, stored compactly: deltas as LEB128 varints, deflated, in base64. */
export interface EncodedSerials {
  count: number;
  encoding: 'delta-varint-deflate-base64';
  data: string;
}

export function encodeSerials(sorted: readonly number[]): EncodedSerials {
  return {
    count: sorted.length,
    encoding: 'delta-varint-deflate-base64',
    data: deflateRawSync(deltaVarints(sorted)).toString('base64'),
  };
}

export function decodeSerials(encoded: EncodedSerials): number[] {
  if (encoded.encoding !== 'delta-varint-deflate-base64')
    throw new Error(`unknown serial encoding ${String(encoded.encoding)}`);
  const { serials, whole } = fromDeltaVarints(inflateRawSync(Buffer.from(encoded.data, 'base64')));
  if (!whole || serials.length !== encoded.count)
    throw new Error(`the encoded serials hold ${serials.length} values, not ${encoded.count}`);
  return serials;
}

/** The candidates of a draw as the record keeps them. */
export type StoredCandidateSpace =
  | { mode: 'serial-space'; serial_space: number; excluded: EncodedSerials }
  | { mode: 'serial-list'; serials: EncodedSerials };

export interface PoolDefinition {
  candidates: StoredCandidateSpace;
  /** candidateSpaceDigest() of the candidates. */
  digest: string;
  /** Employees in the pool, and how many of them could win, when the draw was made. */
  total: number;
  eligible: number;
  /**
   * The version of the pool statistics the draw used; null when it read the index's keys instead.
   */
  stats_version: number | null;
  /** Why the draw read the index's keys, when it did. */
  list_reason?: string;
  /**
   * v3: the largest ticket count in the pool (T), which every proposal's ticket number is below.
   */
  max_tickets?: number;
  /** v3: the people excluded from the event when the draw ran (src/core/exclusions.ts). */
  exclusions?: StoredExclusions;
  /** v3: the forfeits since the last reset when the draw ran (src/core/forfeits.ts). */
  forfeits?: Forfeit[];
  /**
   * Who sits at each serial, as the pool statistics' digest fixed it (src/core/pool-members.ts);
   * absent on draws made before pools were committed, or from a pool never loaded by `seed`.
   */
  members?: PoolMembers;
}

export function storeCandidateSpace(space: CandidateSpace): StoredCandidateSpace {
  return space.mode === 'serial-list'
    ? { mode: 'serial-list', serials: encodeSerials(space.serials) }
    : {
        mode: 'serial-space',
        serial_space: space.serialSpace,
        excluded: encodeSerials(space.excluded),
      };
}

export function loadCandidateSpace(stored: StoredCandidateSpace): CandidateSpace {
  return stored.mode === 'serial-list'
    ? { mode: 'serial-list', serials: decodeSerials(stored.serials) }
    : {
        mode: 'serial-space',
        serialSpace: stored.serial_space,
        excluded: decodeSerials(stored.excluded),
      };
}

export function poolDefinition(
  space: CandidateSpace,
  facts: Omit<PoolDefinition, 'candidates' | 'digest'>,
): PoolDefinition {
  return { candidates: storeCandidateSpace(space), digest: candidateSpaceDigest(space), ...facts };
}
