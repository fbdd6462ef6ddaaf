#!/usr/bin/env node
// The benchmark suite: `npm run bench` runs every scenario; `node bench/run.mjs NAME…` runs some;
// `--quick` runs fewer repetitions (a smoke run, not numbers to quote). Each scenario measures its
// cases next to a baseline taken in the same run and reports medians and ratios: the machines
// this runs on are shared and noisy, so no absolute timing is ever a pass or a fail.
// Results: printed as tables, and written to bench/results/<timestamp>.json and latest.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import draw from './scenarios/draw-latency.mjs';
import event from './scenarios/event-scale.mjs';
import exhaustion from './scenarios/exhaustion.mjs';
import list from './scenarios/list.mjs';
import record from './scenarios/record.mjs';
import refuse from './scenarios/refuse.mjs';
import scale from './scenarios/scale.mjs';
import seed from './scenarios/seed-throughput.mjs';
import show from './scenarios/show.mjs';
import startup from './scenarios/startup.mjs';
import { cleanupTemp, epochNow, ROOT } from './support/proc.mjs';
import { formatCheck, formatMs } from './support/report.mjs';
import { buildDist, formatMachine, loadLib, machineInfo } from './support/setup.mjs';

// The AWS SDK (loaded later, with bench/lib.ts) warns on Node 20 about its future releases; the
// CLI silences it the same way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SCENARIOS = [startup, draw, scale, event, seed, exhaustion, show, refuse, record, list];

const USAGE = `usage: node bench/run.mjs [--quick] [scenario…]
scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')} (default: all)
  --quick   fewer repetitions: checks that everything runs; the numbers are not to be quoted`;

function parseArgs(argv) {
  const options = { quick: false, names: [] };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else if (!SCENARIOS.some((scenario) => scenario.name === arg))
      throw new Error(`unknown scenario ${arg}\n${USAGE}`);
    else options.names.push(arg);
  }
  return options;
}

const log = (scope) => (message) => process.stderr.write(`[${scope}] ${message}\n`);

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    return 2;
  }
  const selected = options.names.length
    ? SCENARIOS.filter((scenario) => options.names.includes(scenario.name))
    : SCENARIOS;
  const started = epochNow();
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  console.log(formatMachine(machine));
  console.log(
    `scenarios: ${selected.map((scenario) => scenario.name).join(', ')}${options.quick ? ' (--quick: fewer repetitions, smoke run only)' : ''}`,
  );

  log('bench')(buildDist());
  const { lib, libPath } = await loadLib();
  log('bench')(`bundled bench/lib.ts in ${formatMs(epochNow() - started)} (with the build)`);

  const results = {};
  const checks = [];
  let failed = false;
  for (const scenario of selected) {
    const scenarioStarted = epochNow();
    log(scenario.name)('running');
    console.log(`\n== ${scenario.title}`);
    try {
      const result = await scenario.run({
        lib,
        libPath,
        quick: options.quick,
        log: log(scenario.name),
      });
      const ms = epochNow() - scenarioStarted;
      console.log(result.text);
      for (const check of result.checks) console.log(formatCheck(check));
      console.log(`(${scenario.name}: ${formatMs(ms)})`);
      results[scenario.name] = { wall_ms: Math.round(ms), checks: result.checks, ...result.data };
      checks.push(...result.checks.map((check) => ({ scenario: scenario.name, ...check })));
    } catch (error) {
      failed = true;
      console.log(
        `✖ ${scenario.name} did not complete: ${error instanceof Error ? error.stack : String(error)}`,
      );
      results[scenario.name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }

  const wallMs = epochNow() - started;
  const held = checks.filter((check) => check.pass).length;
  console.log(`\n== summary`);
  console.log(formatMachine(machine));
  console.log(
    `targets held: ${held}/${checks.length}${
      checks.some((check) => !check.pass)
        ? ` — not held: ${checks
            .filter((check) => !check.pass)
            .map((check) => `${check.scenario}: ${check.name}`)
            .join('; ')}`
        : ''
    }`,
  );
  console.log(`total wall time: ${formatMs(wallMs)}`);

  const report = {
    started_at: startedAt,
    wall_ms: Math.round(wallMs),
    quick: options.quick,
    machine,
    scenarios: results,
  };
  const directory = join(ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${startedAt.replace(/:/g, '-')}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(join(directory, 'latest.json'), json);
  console.log(`results: ${file.slice(ROOT.length + 1)} (and bench/results/latest.json)`);
  // Targets are reported, not enforced: a noisy machine must not turn a run red. Only a scenario
  // that could not run makes the exit code non-zero.
  return failed ? 1 : 0;
}

// Ctrl-C: the `lottery` children get the signal too; remove the temporary directories and stop.
process.once('SIGINT', () => {
  cleanupTemp();
  process.exit(130);
});

let code = 1;
try {
  code = await main();
} finally {
  cleanupTemp();
}
process.exit(code);
