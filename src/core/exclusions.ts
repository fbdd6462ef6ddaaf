import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalJson } from './canonical';
import { compareIds } from './selection';

// People who may not win: the organisers, the board, whoever the event leaves out. The backend
// keeps the exclusions in force as numbered versions (Lottery-Draws, src/aws/event-records.ts):
// each change (`employees exclude` or `include`, a seed whose eligible column differs) writes the
// next version whole — who, why, since when, from where — and no version is ever changed. A draw
// reads the latest version (one item, whatever the number of people excluded), leaves their
// serials out of its candidates and keeps the version and its list in its audit record, so that
// `lottery verify` can tell an exclusion recorded before the draw from one added, changed or
// removed after it, or a version dated before the draw that the draw did not use.

/** 'file': the employee file's eligible column said no; 'command': `lottery employees exclude`. */
export type ExclusionSource = 'file' | 'command';

export interface Exclusion {
  employee_id: string;
  /** The person's serial, kept in step by `lottery seed`; absent once they have left the pool. */
  lottery_serial?: number;
  reason: string;
  /** When the person was excluded. */
  since: string;
  source: ExclusionSource;
}

/** One version of the exclusions in force. Version 0 is the empty set before any change. */
export interface ExclusionSet {
  version: number;
  updated_at: string;
  /** What the change was, in words ("excluded S01, S02: board member"). */
  change: string;
  /** By id. */
  exclusions: Exclusion[];
  /** The list as the backend keeps it, when read from there: an audit record takes it as is. */
  stored?: StoredExclusions;
}

/** Before any change: version 0, nobody excluded. */
export function noExclusions(): ExclusionSet {
  return { version: 0, updated_at: '', change: 'none yet', exclusions: [] };
}

function byId(a: Exclusion, b: Exclusion): number {
  return compareIds(a.employee_id, b.employee_id);
}

/** The next version, holding `exclusions`; undefined when they are the same as now. */
export function nextExclusions(
  current: ExclusionSet,
  exclusions: readonly Exclusion[],
  change: string,
  now: string,
): ExclusionSet | undefined {
  const sorted = [...exclusions].sort(byId);
  if (canonicalJson(sorted) === canonicalJson(current.exclusions)) return undefined;
  return { version: current.version + 1, updated_at: now, change, exclusions: sorted };
}

/** The serials the exclusions keep out of a draw's candidates. */
export function excludedSerials(exclusions: readonly Exclusion[]): number[] {
  return exclusions.flatMap((exclusion) =>
    exclusion.lottery_serial === undefined ? [] : [exclusion.lottery_serial],
  );
}

/**
 * The exclusions with each person's serial as the seed leaves it: a new serial, or none once they
 * have left the pool (`serials` maps ids to their serial now, undefined for those removed).
 */
export function withSerialsOf(
  exclusions: readonly Exclusion[],
  serials: ReadonlyMap<string, number | undefined>,
): Exclusion[] {
  return exclusions.map((exclusion) => {
    if (!serials.has(exclusion.employee_id)) return exclusion;
    const { lottery_serial: _old, ...rest } = exclusion;
    const serial = serials.get(exclusion.employee_id);
    return serial === undefined ? rest : { ...rest, lottery_serial: serial };
  });
}

/** Exclusions as an audit record keeps them: the version, and its list deflated in base64. */
export interface StoredExclusions {
  version: number;
  count: number;
  encoding: 'json-deflate-base64';
  data: string;
}

export function storeExclusions(
  set: Pick<ExclusionSet, 'version' | 'exclusions'>,
): StoredExclusions {
  return {
    version: set.version,
    count: set.exclusions.length,
    encoding: 'json-deflate-base64',
    data: deflateRawSync(Buffer.from(canonicalJson(set.exclusions))).toString('base64'),
  };
}

export function loadExclusions(stored: Omit<StoredExclusions, 'version'>): Exclusion[] {
  if (stored.encoding !== 'json-deflate-base64')
    throw new Error(`unknown exclusion encoding ${String(stored.encoding)}`);
  const list = JSON.parse(
    inflateRawSync(Buffer.from(stored.data, 'base64')).toString('utf8'),
  ) as unknown;
  if (!Array.isArray(list) || list.length !== stored.count)
    throw new Error(`the stored exclusions are not a list of ${stored.count}`);
  return list as Exclusion[];
}

function described(exclusion: Exclusion): string {
  const serial =
    exclusion.lottery_serial === undefined ? '' : `serial ${exclusion.lottery_serial}, `;
  return `${exclusion.employee_id} (${serial}${JSON.stringify(exclusion.reason)}, since ${exclusion.since})`;
}

/** A version of the exclusions as `verify` reads the backend: its time, and perhaps its list. */
export interface KeptVersion {
  version: number;
  updated_at: string;
  change: string;
  /** Read for the version a draw used. */
  exclusions?: readonly Exclusion[];
}

/**
 * How the exclusions a draw used differ from what the backend keeps now: the version it used must
 * still be there, exactly as it was, and no later version may be dated before the draw selected.
 * Empty when they agree.
 */
export function exclusionDifferences(
  used: { version: number; exclusions: readonly Exclusion[] },
  versions: readonly KeptVersion[],
  selectedAt: string,
): string[] {
  const problems: string[] = [];
  const kept = versions.find((each) => each.version === used.version);
  if (used.version > 0 && !kept)
    problems.push(
      `version ${used.version} of the exclusions, which the draw used, is gone from the backend`,
    );
  const now = new Map(
    (kept?.exclusions ?? []).map((exclusion) => [exclusion.employee_id, exclusion]),
  );
  const then = new Map(used.exclusions.map((exclusion) => [exclusion.employee_id, exclusion]));
  if (kept?.exclusions)
    for (const [id, exclusion] of then) {
      const later = now.get(id);
      if (!later)
        problems.push(
          `the exclusion of ${described(exclusion)} was removed from version ${used.version} after the draw`,
        );
      else if (canonicalJson(later) !== canonicalJson(exclusion))
        problems.push(
          `the exclusion of ${described(exclusion)} was changed in version ${used.version} after the draw: it now says ${described(later)}`,
        );
    }
  for (const [id, exclusion] of now)
    if (!then.has(id))
      problems.push(
        `the exclusion of ${described(exclusion)} was added to version ${used.version} after the draw`,
      );
  for (const version of versions)
    if (version.version > used.version && version.updated_at <= selectedAt)
      problems.push(
        `version ${version.version} of the exclusions (${version.change}) is dated ${version.updated_at}, before the draw, but the draw used version ${used.version}: it was recorded after the fact`,
      );
  return problems;
}

/** What an employee file says of someone's eligibility, and their serial. */
export interface FileEligibility {
  excluded: boolean;
  lottery_serial: number;
}

/**
 * The exclusions after a seed: the file's `eligible` column governs the exclusions it made
 * (source 'file'); an exclusion made by `employees exclude` stays until `employees include`.
 */
export function fileExclusionChanges(
  eligibility: ReadonlyMap<string, FileEligibility>,
  current: readonly Exclusion[],
  file: string,
  now: string,
): { exclusions: Exclusion[]; opened: number; ended: number } {
  const kept = new Map(current.map((exclusion) => [exclusion.employee_id, exclusion]));
  let opened = 0;
  let ended = 0;
  for (const [employeeId, { excluded, lottery_serial }] of eligibility) {
    const exclusion = kept.get(employeeId);
    if (excluded && !exclusion) {
      opened++;
      kept.set(employeeId, {
        employee_id: employeeId,
        lottery_serial,
        reason: `not eligible in ${file}`,
        since: now,
        source: 'file',
      });
    } else if (!excluded && exclusion?.source === 'file') {
      ended++;
      kept.delete(employeeId);
    }
  }
  return { exclusions: [...kept.values()], opened, ended };
}

/** How many exclusions a seed's file made and ended. */
export interface ExclusionsChanged {
  opened: number;
  ended: number;
}

/** A seed's changes to the exclusions, in words. */
export function exclusionsSummary(changed: ExclusionsChanged, file: string): string {
  const parts = [
    changed.opened > 0 ? `${changed.opened} excluded (not eligible in ${file})` : '',
    changed.ended > 0 ? `${changed.ended} eligible again` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'serials kept in step';
}
