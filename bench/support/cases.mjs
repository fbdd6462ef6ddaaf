// Measured cases and their baseline, run side by side: every round runs each case once, in an
// order that rotates from round to round, so that a noisy neighbour hits all cases alike and
// no case always runs first (with cold caches) or last.

import { formatMs, formatRatio, formatTable, targetCell } from './report.mjs';
import { summarize } from './stats.mjs';

/**
 * Runs `rounds` measured rounds after `warmup` unmeasured ones. Each case's `run(round)` returns
 * a sample object with at least `ms`. Returns the samples of each case by name.
 */
export async function interleaved(cases, { rounds, warmup = 1, progress }) {
  const samples = Object.fromEntries(cases.map((one) => [one.name, []]));
  for (let round = -warmup; round < rounds; round++) {
    const shift = ((round % cases.length) + cases.length) % cases.length;
    const order = [...cases.slice(shift), ...cases.slice(0, shift)];
    for (const one of order) {
      const sample = await one.run(round);
      if (round >= 0) samples[one.name].push(sample);
    }
    progress?.(round + 1, rounds);
  }
  return samples;
}

/** A target on a ratio, e.g. { op: '<=', value: 2, of: 'baseline' }. */
export function checkRatio(ratio, target) {
  const pass =
    target.op === '<='
      ? ratio <= target.value
      : target.op === '<'
        ? ratio < target.value
        : target.op === '>='
          ? ratio >= target.value
          : ratio > target.value;
  const symbol = { '<=': '≤', '<': '<', '>=': '≥', '>': '>' }[target.op];
  return { pass, target: `${symbol} ${target.value}×${target.of ? ` ${target.of}` : ''}` };
}

/**
 * Summaries of timed cases against the baseline case: median, min, max, median ÷ baseline
 * median, and the case's target when it has one.
 */
export function timingResults(cases, samples, baselineName) {
  const baseline = summarize(samples[baselineName].map((sample) => sample.ms));
  return cases.map((one) => {
    const summary = summarize(samples[one.name].map((sample) => sample.ms));
    const ratio = summary.median / baseline.median;
    const check = one.target ? checkRatio(ratio, one.target) : undefined;
    return {
      name: one.name,
      baseline: one.name === baselineName,
      unit: 'ms',
      ...summary,
      ratio,
      ...(check ? { target: check.target, pass: check.pass } : {}),
      samples: samples[one.name].map((sample) => Math.round(sample.ms * 100) / 100),
    };
  });
}

export function timingTable(results) {
  return formatTable(
    ['case', 'runs', 'median', 'min', 'max', '÷ baseline', 'target'],
    results.map((result) => [
      result.baseline ? `${result.name} (baseline)` : result.name,
      result.runs,
      formatMs(result.median),
      formatMs(result.min),
      formatMs(result.max),
      formatRatio(result.ratio),
      result.target ? targetCell(result) : '',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}
