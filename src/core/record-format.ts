import type { BeaconRound, PublicCommitment } from './beacon';
import type { SeedSource } from './draw';
import { ID_HASH_BYTES, type PoolMembers } from './pool-members';
import { deltaVarints, fromDeltaVarints } from './serial-deltas';

// A draw's record (docs/record.md): what `lottery draws record` writes, as JSON or inside an HTML
// page, and what `lottery verify --record`, the page's own verifier and the Python reference
// check. It names only the winners; everyone else is a salted hash at a serial. No Node-only
// module here: the page's verifier decodes it in a browser.

export const RECORD_FORMAT = 'lottery-draw-record-v1';

/** The pool in serial order, compactly: 100,000 people take about 2.3 MB. */
export interface RecordPool extends PoolMembers {
  /** The serials, ascending, as deltas in LEB128 varints, in base64. */
  serials: string;
  /** The salted hash of each person's id (src/core/pool-members.ts), 16 bytes each, in base64. */
  id_hashes: string;
  /** Each person's tickets, one byte each, in base64; absent when everyone has one. */
  tickets?: string;
}

export interface RecordWinner {
  employee_id: string;
  employee_name: string;
  lottery_serial: number;
}

export interface RecordDraw {
  draw_id: string;
  prize: string | null;
  attempt: number;
  algorithm: string;
  seed: string;
  seed_source: SeedSource;
  selected_at: string;
  recorded_at: string;
  /**
   * The candidates as src/core/selection.ts defines them: serial space 1..serial_space less the
   * excluded serials, or the pool's serials less them (serial list).
   */
  candidates: { mode: 'serial-space'; serial_space: number } | { mode: 'serial-list' };
  /** Serials nobody could win in this draw: won, held, forfeited or excluded; ascending. */
  excluded: number[];
  /** Of those, the serials of people excluded from the event (no names, no reasons). */
  event_excluded: number[];
  /** candidateSpaceDigest() of the candidates, as the draw recorded it. */
  candidates_digest: string;
  max_tickets: number;
  /** The pool's digest as the draw carried it. */
  members: PoolMembers;
  /** Serials the draw passed over because another draw had taken their person meanwhile. */
  taken: number[];
  winners: RecordWinner[];
  /** A replacement draw: whom it replaces. */
  replaces?: { draw_id: string; employee_id: string };
  beacon?: { commitment: PublicCommitment; commitment_digest: string; round: BeaconRound };
}

export interface RecordForfeit {
  draw_id: string;
  employee_id: string;
  employee_name: string;
  prize: string | null;
  reason: string;
  forfeited_at: string;
  eligible_again: boolean;
  replacement_draw_id: string;
}

export interface DrawRecordFile {
  format: typeof RECORD_FORMAT;
  made_at: string;
  title: string;
  pool: RecordPool;
  draws: RecordDraw[];
  forfeits: RecordForfeit[];
}

/** The pool's people in serial order, decoded. */
export interface PoolEntries {
  serials: number[];
  /** ID_HASH_BYTES per person. */
  hashes: Uint8Array;
  tickets: Uint8Array | undefined;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK)
    text += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(text);
}

function fromBase64(text: string, what: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`the pool's ${what} are not base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const encodeSerialDeltas = (sorted: readonly number[]): string =>
  toBase64(deltaVarints(sorted));

export function decodeSerialDeltas(text: string): number[] {
  const { serials, whole } = fromDeltaVarints(fromBase64(text, 'serials'));
  if (!whole) throw new Error("the pool's serials end in the middle of a number");
  return serials;
}

export function encodePool(
  members: PoolMembers,
  entries: readonly { serial: number; hash: Uint8Array; tickets: number }[],
): RecordPool {
  const hashes = new Uint8Array(entries.length * ID_HASH_BYTES);
  entries.forEach((entry, index) => hashes.set(entry.hash, index * ID_HASH_BYTES));
  const tickets = Uint8Array.from(entries.map((entry) => entry.tickets));
  return {
    ...members,
    serials: encodeSerialDeltas(entries.map((entry) => entry.serial)),
    id_hashes: toBase64(hashes),
    ...(tickets.every((count) => count === 1) ? {} : { tickets: toBase64(tickets) }),
  };
}

export function decodePool(pool: RecordPool): PoolEntries {
  const serials = decodeSerialDeltas(pool.serials);
  const hashes = fromBase64(pool.id_hashes, 'id hashes');
  if (hashes.length !== serials.length * ID_HASH_BYTES)
    throw new Error(
      `the pool lists ${serials.length} serials but ${hashes.length / ID_HASH_BYTES} id hashes`,
    );
  const tickets = pool.tickets === undefined ? undefined : fromBase64(pool.tickets, 'tickets');
  if (tickets && tickets.length !== serials.length)
    throw new Error(`the pool lists ${serials.length} serials but ${tickets.length} ticket counts`);
  return { serials, hashes, tickets };
}

/** The index of `serial` in the ascending `serials`, or -1. */
export function indexOfSerial(serials: readonly number[], serial: number): number {
  let low = 0;
  let high = serials.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = serials[middle] as number;
    if (at === serial) return middle;
    if (at < serial) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
