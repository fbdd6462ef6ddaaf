// How the room's screen fits its text, as pure functions of sizes: unit-tested without a browser.

/**
 * Columns and rows for `count` names in a box of `width` × `height`: the shape whose cells are
 * largest while keeping about the shape of a name on one line (`aspect` times wider than tall).
 */
export function gridShape(
  count: number,
  width: number,
  height: number,
  aspect = 4,
): { columns: number; rows: number } {
  let best = { columns: 1, rows: Math.max(1, count), score: -1 };
  for (let columns = 1; columns <= Math.max(1, count); columns++) {
    const rows = Math.ceil(count / columns);
    const score = Math.min(width / columns / aspect, height / Math.max(1, rows));
    if (score > best.score) best = { columns, rows, score };
  }
  return { columns: best.columns, rows: best.rows };
}

/**
 * The largest whole size from `min` to `max` for which `fits` holds, by bisection (text that fits
 * at a size fits at every smaller one); `min` when none does.
 */
export function largestFitting(fits: (size: number) => boolean, min: number, max: number): number {
  let low = Math.floor(min);
  let high = Math.floor(max);
  if (high <= low || fits(high)) return Math.max(low, high);
  // fits(low) is assumed: nothing is shown smaller than `min`.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}
