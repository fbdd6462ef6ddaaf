// Random Select Winners against the workshop's select + validate, as functions would run them: one
// process of their own (not the backend's), warm, in turn. `node select-vs-workshop.mjs BUNDLE
// ROUNDS SIZE WINNERS`; the backend and tables come from the environment, as for a Lambda bundle.
// Prints JSON: each side's durations.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SeededRandom, workshopLoop } from './workshop.mjs';
import * as commands from '@aws-sdk/lib-dynamodb';

const [bundle, rounds, size, winners] = process.argv.slice(2);
const { handler } = await import(bundle);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const lib = {
  QueryCommand: commands.QueryCommand,
  EMPLOYEE_TABLE: process.env.EMPLOYEE_TABLE,
  WINNERS_TABLE: process.env.WINNERS_TABLE,
  SERIAL_INDEX: 'lottery_serial-index',
};
const random = new SeededRandom('lottery-bench/scale/v1');
let attempt = 0;

const ours = async () => {
  const started = performance.now();
  await handler({
    draw_id: 'scale-function',
    execution_arn: process.env.EXECUTION_ARN,
    num_of_winners: Number(winners),
    prize: null,
    seed: 'ab'.repeat(32),
    seed_source: 'caller',
    requested_at: new Date().toISOString(),
    attempt: attempt++,
  });
  return performance.now() - started;
};
const workshop = async () => {
  const serials = new Set();
  while (serials.size < Number(winners)) serials.add(random.randint(1, Number(size)));
  return workshopLoop(lib, doc, [...serials]);
};

const cold = await ours();
for (let warm = 0; warm < 2; warm++) {
  await workshop();
  await ours();
}
const times = { ours: [], workshop: [] };
for (let round = 0; round < Number(rounds); round++) {
  // Alternate which goes first, so that neither always meets a colder machine.
  const turn = round % 2 ? ['ours', 'workshop'] : ['workshop', 'ours'];
  for (const side of turn) times[side].push(await (side === 'ours' ? ours() : workshop()));
}
process.stdout.write(JSON.stringify({ cold, ...times }));
