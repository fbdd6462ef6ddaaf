// Where a traced `lottery` process spent its time (see trace.mjs): named spans between milestones
// of its trace, each summarised by its median over the traced runs.

import { formatMs, formatTable } from './report.mjs';
import { median } from './stats.mjs';

/** Milestone pickers over a traced sample ({ startedAt, endedAt, trace }). */
export const at = {
  spawn: (sample) => sample.startedAt,
  exit: (sample) => sample.endedAt,
  booted: (sample) => sample.trace.find((event) => event.kind === 'preload')?.at,
  /** The first (or last) request received / answered whose X-Amz-Target ends with `operation`. */
  first: (kind, operation) => (sample) =>
    sample.trace.find((event) => event.kind === kind && matches(event, operation))?.at,
  last: (kind, operation) => (sample) =>
    sample.trace.findLast((event) => event.kind === kind && matches(event, operation))?.at,
};

const matches = (event, operation) =>
  operation === '*' ||
  event.target?.endsWith(`.${operation}`) ||
  event.target?.startsWith(`${operation}.`);

/**
 * spans: [label, from, to, what]; from/to pick a time from a sample. Returns the rows' data and
 * an aligned table with each span's median and its share of the median wall time.
 */
export function spanReport(samples, spans, title) {
  const wall = median(samples.map((sample) => sample.endedAt - sample.startedAt));
  const rows = spans.map(([label, from, to, what]) => {
    const lengths = samples.map((sample) => to(sample) - from(sample)).filter(Number.isFinite);
    return { label, what, median: median(lengths), runs: lengths.length };
  });
  const table = formatTable(
    [title, 'median', 'share', 'what happens'],
    [
      ...rows.map((row) => [
        row.label,
        formatMs(row.median),
        Number.isFinite(row.median) ? `${Math.round((100 * row.median) / wall)} %` : '',
        row.what,
      ]),
      [
        'whole process (traced runs)',
        formatMs(wall),
        '100 %',
        `${samples.length} run${samples.length === 1 ? '' : 's'} with bench/support/trace.mjs preloaded, not timed above`,
      ],
    ],
    ['l', 'r', 'r', 'l'],
  );
  return { rows, wall, table };
}
