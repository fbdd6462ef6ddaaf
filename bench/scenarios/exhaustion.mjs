// The draw-engine issue: draw 10 winners at a time from 1,000 people until everyone has won, and
// watch whether a draw costs more as the share of past winners grows. Ours runs for real on the
// embedded backend, in this process; the workshop's algorithm is simulated on the same pool
// states, its per-loop DynamoDB work measured for real on the same backend.

import { createHash } from 'node:crypto';
import { removeDir, tempDir } from '../support/proc.mjs';
import { formatBig, formatInt, formatMs, formatRatio, formatTable } from '../support/report.mjs';
import { median, sum } from '../support/stats.mjs';
import { SeededRandom, workshopLoop } from '../support/workshop.mjs';

const EMPLOYEES = 1_000;
const PER_DRAW = 10;
const DRAWS = EMPLOYEES / PER_DRAW;
const SHOWN = [1, 10, 25, 50, 60, 70, 80, 90, 100];
const POLL_MS = 5;

// Step Functions (Standard) fails an execution whose history would pass 25,000 events.
const HISTORY_LIMIT = 25_000;
// History events of the workshop's state machine, as Step Functions writes them (the same event
// types our own draws record): a Lambda Task state is TaskStateEntered, LambdaFunctionScheduled,
// LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited; a Choice is entered and exited.
const WS = {
  start: 1 + 5, // ExecutionStarted; Input Lottery Winners
  select: 5, // Random Select Winners (Lambda): 10 GSI queries
  validate: 5, // Validate Winners (Lambda): 10 queries of Lottery-Winners
  choice: 2, // Is Winner In Past Draw
  // Send SNS and Record In Dynamodb: ParallelStateEntered, ParallelStateStarted, Notify Winners
  // (sns:publish: TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited),
  // Record Winner Queue (Lambda, 5; 10 put_item), ParallelStateSucceeded, ParallelStateExited.
  parallelBeforeRecord: 2 + 5,
  record: 5,
  parallelAfterRecord: 2,
  end: 1, // ExecutionSucceeded
};
/** The most loops a workshop draw can make and still finish within the history limit. */
const MAX_LOOPS = Math.floor(
  (HISTORY_LIMIT -
    WS.start -
    WS.parallelBeforeRecord -
    WS.record -
    WS.parallelAfterRecord -
    WS.end) /
    (WS.select + WS.validate + WS.choice),
);
const SIMULATION_SEED = 'lottery-bench/workshop-simulation/v1';
const DRAW_SEED = 'lottery-bench/exhaustion-draws/v1';

/**
 * The workshop's draw on a pool state, faithfully: Random Select Winners draws `randint(1,
 * TOTAL_NUM)` serials until they are distinct and queries the GSI for each; Validate Winners
 * queries Lottery-Winners for each; the Choice loops back while any pick won before. History
 * events are counted as Step Functions writes them, and the draw fails when the history would
 * pass 25,000 events.
 */
function simulateWorkshop(pastSerials, random) {
  let events = WS.start;
  let calls = 0;
  let loops = 0;
  const fits = (more) => (events += more) <= HISTORY_LIMIT;
  for (;;) {
    loops++;
    let picks;
    do picks = Array.from({ length: PER_DRAW }, () => random.randint(1, EMPLOYEES));
    while (new Set(picks).size !== PER_DRAW);
    if (!fits(WS.select)) break;
    calls += PER_DRAW;
    if (!fits(WS.validate)) break;
    calls += PER_DRAW;
    if (!fits(WS.choice)) break;
    if (picks.some((serial) => pastSerials.has(serial))) continue;
    if (!fits(WS.parallelBeforeRecord + WS.record)) break;
    calls += PER_DRAW;
    if (!fits(WS.parallelAfterRecord + WS.end)) break;
    return { loops, events, calls, fails: false };
  }
  return { loops, events: HISTORY_LIMIT, calls, fails: true };
}

/** 1 / P(none of 10 distinct random serials is among `past` of `total`): the expected loops. */
function expectedLoops(past, total = EMPLOYEES, k = PER_DRAW) {
  let probability = 1;
  for (let j = 0; j < k; j++) probability *= Math.max(0, total - past - j) / (total - j);
  return probability > 0 ? 1 / probability : Number.POSITIVE_INFINITY;
}

async function sampleWorkshopLoops(lib, doc, random, loops) {
  // Two unmeasured loops first: the first queries of a client pay for its set-up and a cold JIT.
  for (let warm = 0; warm < 2; warm++)
    await workshopLoop(lib, doc, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const times = [];
  for (let loop = 0; loop < loops; loop++) {
    const serials = new Set();
    while (serials.size < PER_DRAW) serials.add(random.randint(1, EMPLOYEES));
    times.push(await workshopLoop(lib, doc, [...serials]));
  }
  return times;
}

function failureSummary(draws, firstFail) {
  if (!firstFail) return 'workshop: no draw fails.';
  const later = draws.slice(firstFail.draw - 1);
  const failing = later.filter((draw) => draw.workshop.fails).length;
  const lastSuccess = later.findLast((draw) => !draw.workshop.fails);
  const from = lastSuccess ? `; every draw from #${lastSuccess.draw + 1} on fails` : '';
  return (
    `workshop: first draw that fails: #${firstFail.draw} (${formatInt(firstFail.past)} past winners, ${Math.round((100 * firstFail.past) / EMPLOYEES)} %): ` +
    `it needs more than the ${formatInt(MAX_LOOPS)} loops that fit in ${formatInt(HISTORY_LIMIT)} events; draws ${firstFail.draw}–${DRAWS}: ${failing} of ${later.length} fail${from}.`
  );
}

/** Each state's time from entered to exited, in the order the states were entered. */
function stateTimes(events) {
  const entered = new Map();
  const times = {};
  for (const event of events) {
    if (event.stateEnteredEventDetails)
      entered.set(event.stateEnteredEventDetails.name, event.timestamp.getTime());
    if (event.stateExitedEventDetails) {
      const name = event.stateExitedEventDetails.name;
      times[name] =
        (times[name] ?? 0) +
        event.timestamp.getTime() -
        (entered.get(name) ?? event.timestamp.getTime());
    }
  }
  return Object.fromEntries([...entered.keys()].map((name) => [name, times[name] ?? 0]));
}

const dynamoCalls = (stats) =>
  sum(
    Object.entries(stats)
      .filter(([target]) => target.startsWith('DynamoDB_'))
      .map(([, count]) => count),
  );

async function history(lib, sfn, executionArn) {
  const events = [];
  let nextToken;
  do {
    const page = await sfn.send(
      new lib.GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export default {
  name: 'exhaustion',
  title: `exhaustion — ${DRAWS} draws of ${PER_DRAW} from ${formatInt(EMPLOYEES)} people until all have won (in-process, embedded backend)`,
  async run({ lib, quick, log }) {
    const home = tempDir('exhaustion');
    const server = await lib.startLocalServer({
      home,
      tables: { employees: lib.EMPLOYEE_TABLE, winners: lib.WINNERS_TABLE, draws: lib.DRAWS_TABLE },
    });
    const clients = await lib.createClients({
      endpoint: server.url,
      region: lib.LOCAL_REGION,
      credentials: server.credentials,
    });
    const stats = async () => server.stats();
    try {
      const people = Array.from({ length: EMPLOYEES }, (_, index) => ({
        employee_id: `X${String(index + 1).padStart(4, '0')}`,
        employee_name: `Person ${index + 1}`,
        lottery_serial: index + 1,
      }));
      const serialOf = new Map(people.map((person) => [person.employee_id, person.lottery_serial]));
      await lib.putEmployees(clients.doc, lib.EMPLOYEE_TABLE, people);
      // What `lottery seed` keeps: the draws run as they do on a seeded pool.
      await lib.putPoolStats(
        clients.doc,
        lib.DRAWS_TABLE,
        lib.EMPLOYEE_TABLE,
        {
          count: EMPLOYEES,
          max_serial: EMPLOYEES,
          version: 1,
          updated_at: new Date().toISOString(),
        },
        undefined,
      );

      const loopRandom = new SeededRandom(`${SIMULATION_SEED}/timing`);
      const loopSamples = quick ? 5 : 20;
      const loopTimes = {
        before: await sampleWorkshopLoops(lib, clients.doc, loopRandom, loopSamples),
      };

      // Our draws, one after the other, as `lottery draw` starts them.
      const draws = [];
      for (let index = 1; index <= DRAWS; index++) {
        const seed = createHash('sha256').update(`${DRAW_SEED}/${index}`).digest('hex');
        const before = await stats();
        const { executionArn } = await clients.sfn.send(
          new lib.StartExecutionCommand({
            stateMachineArn: lib.LOCAL_ARNS.stateMachine,
            name: `exhaustion-${index}`,
            input: JSON.stringify({ input: PER_DRAW, seed }),
          }),
        );
        let described;
        do {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          described = await clients.sfn.send(new lib.DescribeExecutionCommand({ executionArn }));
        } while (described.status === 'RUNNING');
        const after = await stats();
        if (described.status !== 'SUCCEEDED')
          throw new Error(
            `draw ${index} ended ${described.status}: ${described.error} ${described.cause}`,
          );
        const events = await history(lib, clients.sfn, executionArn);
        const output = JSON.parse(described.output);
        draws.push({
          draw: index,
          past: (index - 1) * PER_DRAW,
          ms: described.stopDate.getTime() - described.startDate.getTime(),
          events: events.length,
          calls: dynamoCalls(after) - dynamoCalls(before),
          states: stateTimes(events),
          winners: output.winners.map((winner) => winner.employee_id),
        });
        if (index === DRAWS / 2)
          loopTimes.middle = await sampleWorkshopLoops(lib, clients.doc, loopRandom, loopSamples);
        if (index % 25 === 0) log(`draw ${index}/${DRAWS}`);
      }
      loopTimes.after = await sampleWorkshopLoops(lib, clients.doc, loopRandom, loopSamples);

      // Everyone has won, once.
      const recorded = await clients.doc.send(
        new lib.ScanCommand({ TableName: lib.WINNERS_TABLE }),
      );
      const recordedIds = new Set((recorded.Items ?? []).map((item) => item.employee_id));
      const drawnIds = new Set(draws.flatMap((draw) => draw.winners));
      const allWon =
        recordedIds.size === EMPLOYEES &&
        drawnIds.size === EMPLOYEES &&
        (recorded.Items ?? []).every((item) => item.status === 'won');

      // The workshop on the same pool states: before draw i, the winners of our draws 1…i-1.
      const random = new SeededRandom(SIMULATION_SEED);
      const past = new Set();
      const perLoopMs = median([
        ...loopTimes.before,
        ...(loopTimes.middle ?? []),
        ...loopTimes.after,
      ]);
      for (const draw of draws) {
        const workshop = simulateWorkshop(past, random);
        draw.workshop = {
          ...workshop,
          expected_loops: expectedLoops(past.size),
          est_ms: workshop.loops * perLoopMs,
        };
        for (const id of draw.winners) past.add(serialOf.get(id));
      }
      const firstFail = draws.find((draw) => draw.workshop.fails);

      const shown = [...new Set([...SHOWN, ...(firstFail ? [firstFail.draw] : [])])].sort(
        (a, b) => a - b,
      );
      const rows = shown.map((number) => {
        const draw = draws[number - 1];
        const ws = draw.workshop;
        const atLeast = ws.fails ? '≥ ' : '';
        return [
          `${number}${firstFail && number === firstFail.draw ? ' ◀ first fail' : ''}`,
          formatInt(draw.past),
          formatMs(draw.ms),
          draw.events,
          draw.calls,
          ws.fails ? `> ${formatInt(MAX_LOOPS)}` : formatInt(ws.loops),
          formatBig(draw.workshop.expected_loops),
          ws.fails ? `${formatInt(ws.events)} limit` : formatInt(ws.events),
          `${atLeast}${formatInt(ws.calls)}`,
          ws.fails ? `FAILS after ~${formatMs(ws.est_ms)}` : `~${formatMs(ws.est_ms)}`,
          `${atLeast}${formatRatio(ws.events / draw.events)}`,
          `${atLeast}${formatRatio(ws.calls / draw.calls)}`,
          `${atLeast}${formatRatio(ws.est_ms / draw.ms)}`,
        ];
      });
      const table = formatTable(
        [
          'draw',
          'past winners',
          'ours: time',
          'events',
          'DDB calls',
          'workshop: loops',
          'E[loops]',
          'events',
          'DDB calls',
          'est. time',
          '÷ ours: events',
          'DDB',
          'time',
        ],
        rows,
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'r', 'r', 'r'],
      );

      const first10 = median(draws.slice(0, 10).map((draw) => draw.ms));
      const last10 = median(draws.slice(-10).map((draw) => draw.ms));
      const first = draws[0];
      const last = draws.at(-1);
      const timeRatio = last10 / first10;
      const eventRatio = last.events / first.events;
      const callRatio = last.calls / first.calls;
      const checks = [
        {
          name: `distinct winners after ${DRAWS} draws`,
          value: `${formatInt(recordedIds.size)} recorded, ${formatInt(drawnIds.size)} drawn${allWon ? '' : ' (mismatch)'}`,
          target: `= ${formatInt(EMPLOYEES)}`,
          pass: allWon,
        },
        {
          name: 'draw time, median of draws 91–100 ÷ median of draws 1–10',
          value: `${formatMs(last10)} ÷ ${formatMs(first10)} = ${formatRatio(timeRatio)}`,
          target: '≤ 1.5×',
          pass: timeRatio <= 1.5,
        },
        {
          name: 'state transitions (history events), draw 100 ÷ draw 1',
          value: `${last.events} ÷ ${first.events} = ${formatRatio(eventRatio)}`,
          target: '≤ 1.5×',
          pass: eventRatio <= 1.5,
        },
        {
          name: 'DynamoDB calls, draw 100 ÷ draw 1 (extra check)',
          value: `${last.calls} ÷ ${first.calls} = ${formatRatio(callRatio)}`,
          target: '≤ 1.5×',
          pass: callRatio <= 1.5,
        },
      ];
      const stateLine = Object.keys(first.states)
        .filter((name) => name !== 'Send SNS and Record In Dynamodb')
        .map((name) => {
          const of = (list) => formatMs(median(list.map((draw) => draw.states[name] ?? 0)));
          return `${name} ${of(draws.slice(0, 10))} → ${of(draws.slice(-10))}`;
        })
        .join(', ');
      const beforeFail = firstFail ? draws.slice(0, firstFail.draw - 1) : draws;
      const text = [
        table,
        '',
        `ours: server-side time (stopDate − startDate) polled every ${POLL_MS} ms; events from GetExecutionHistory; DynamoDB calls from the server's request counts (deltas).`,
        `ours per state, median of draws 1–10 → 91–100: ${stateLine}.`,
        `workshop: simulated on the same pool states (before draw i: the winners of our draws 1…i−1), randint(1, ${formatInt(EMPLOYEES)}) until 10 distinct, loop while any pick won before;`,
        `  events = ${WS.start} + ${WS.select + WS.validate + WS.choice} per loop + ${WS.parallelBeforeRecord + WS.record + WS.parallelAfterRecord + WS.end} to record and announce (fails past ${formatInt(HISTORY_LIMIT)});`,
        `  DynamoDB calls = 20 per loop (10 GSI queries + 10 Lottery-Winners queries) + 10 put_item to record; E[loops] = 1 ÷ P(no past winner among 10).`,
        `  est. time = loops × ${formatMs(perLoopMs)}, the median of ${loopSamples * 3} loops of its 20 real queries (DocumentClient, sequential) on this backend: an ESTIMATE, without Lambda or state-transition overhead.`,
        `  per-loop query time before / after draw ${DRAWS / 2} / after draw ${DRAWS}: ${formatMs(median(loopTimes.before))} / ${formatMs(median(loopTimes.middle ?? []))} / ${formatMs(median(loopTimes.after))}.`,
        `deterministic: the simulation's RNG and our draws' seeds are fixed (SHA-256 of "${SIMULATION_SEED}" / "${DRAW_SEED}/i"), so every run sees the same pool states and loop counts; only times vary.`,
        failureSummary(draws, firstFail),
        `totals up to that draw: ours ${formatMs(sum(beforeFail.map((draw) => draw.ms)))}, ${formatInt(sum(beforeFail.map((draw) => draw.events)))} events, ${formatInt(sum(beforeFail.map((draw) => draw.calls)))} DynamoDB calls; workshop ~${formatMs(sum(beforeFail.map((draw) => draw.workshop.est_ms)))} (est.), ${formatInt(sum(beforeFail.map((draw) => draw.workshop.events)))} events, ${formatInt(sum(beforeFail.map((draw) => draw.workshop.calls)))} DynamoDB calls.`,
        `all ${DRAWS} of ours: ${formatMs(sum(draws.map((draw) => draw.ms)))} server-side, ${formatInt(sum(draws.map((draw) => draw.calls)))} DynamoDB calls.`,
      ].join('\n');
      return {
        text,
        data: {
          employees: EMPLOYEES,
          per_draw: PER_DRAW,
          simulation_seed: SIMULATION_SEED,
          draw_seed: DRAW_SEED,
          workshop_loop_ms: {
            median: perLoopMs,
            before: loopTimes.before,
            middle: loopTimes.middle,
            after: loopTimes.after,
          },
          first_failing_draw: firstFail?.draw ?? null,
          ratios: {
            time_last10_first10: timeRatio,
            events_last_first: eventRatio,
            calls_last_first: callRatio,
          },
          draws: draws.map(({ winners: _winners, ...draw }) => draw),
        },
        checks,
      };
    } finally {
      clients.destroy();
      await server.close();
      removeDir(home);
    }
  },
};
