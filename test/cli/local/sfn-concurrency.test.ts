import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allStates } from '../../../src/core/definition';
import { STATES } from '../../../src/core/names';
import {
  executionArn,
  fullHistory,
  historyProblems,
  label,
  MACHINE_ARN,
  openBackend,
  seedEmployees,
  start,
  TABLES,
  waitForEnd,
  type Backend,
} from './support';

const DRAWS = 5;
const PER_DRAW = 2;
const EMPLOYEES = DRAWS * PER_DRAW;

interface Outcome {
  name: string;
  status: string | undefined;
  winners: string[];
}

describe('many draws started at once', () => {
  let backend: Backend;
  let outcomes: Outcome[];
  const names = Array.from({ length: DRAWS }, (_, index) => `together-${index}`);

  beforeAll(async () => {
    backend = await openBackend();
    await seedEmployees(backend, EMPLOYEES);
    const arns = await Promise.all(
      names.map((name) => start(backend.sfn, name, { input: PER_DRAW })),
    );
    const ended = await Promise.all(arns.map((arn) => waitForEnd(backend.sfn, arn, 25_000)));
    outcomes = ended.map((described) => ({
      name: String(described.name),
      status: described.status,
      winners: described.output
        ? (JSON.parse(described.output) as { winners: { employee_id: string }[] }).winners.map(
            (winner) => winner.employee_id,
          )
        : [],
    }));
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  test(`${DRAWS} concurrent draws of ${PER_DRAW} from ${EMPLOYEES} employees all succeed with distinct winners`, () => {
    expect(outcomes.map((outcome) => [outcome.name, outcome.status])).toEqual(
      names.map((name) => [name, 'SUCCEEDED']),
    );
    for (const outcome of outcomes) expect(outcome.winners).toHaveLength(PER_DRAW);
    expect(new Set(outcomes.flatMap((outcome) => outcome.winners)).size).toBe(EMPLOYEES);
  });

  test('the winners table records each of the 10 people once, as won by the draw that named them', async () => {
    const scanned = await backend.clients.doc.send(new ScanCommand({ TableName: TABLES.winners }));
    const items = (scanned.Items ?? []) as {
      employee_id: string;
      draw_id: string;
      status: string;
    }[];
    expect(items).toHaveLength(EMPLOYEES);
    expect(items.every((item) => item.status === 'won')).toBe(true);
    const byDraw = new Map(outcomes.map((outcome) => [outcome.name, [...outcome.winners].sort()]));
    for (const name of names) {
      const recorded = items
        .filter((item) => item.draw_id === name)
        .map((item) => item.employee_id)
        .sort();
      expect(recorded, name).toEqual(byDraw.get(name));
    }
  });

  test('every history is well formed, re-draws included: each attempt sits under its own state entry', async () => {
    const described = await backend.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }),
    );
    const definition = JSON.parse(described.definition ?? '{}') as Parameters<typeof allStates>[0];
    const resources = new Map(
      allStates(definition).flatMap(([name, state]) =>
        state.Resource ? [[name, state.Resource] as [string, string]] : [],
      ),
    );
    for (const name of names) {
      const events = await fullHistory(backend.sfn, executionArn(name));
      expect(historyProblems(events, resources), name).toEqual([]);
      const labels = events.map(label);
      expect(labels.at(-1), name).toBe('ExecutionSucceeded');
      // One selection per Validate Winners entry: a re-draw goes back through the Choice.
      const selections = labels.filter(
        (each) => each === `TaskStateEntered(${STATES.select})`,
      ).length;
      expect(
        labels.filter((each) => each === `TaskStateEntered(${STATES.validate})`).length,
        name,
      ).toBe(selections);
      expect(
        labels.filter((each) => each === `ChoiceStateEntered(${STATES.pastDraw})`).length,
        name,
      ).toBe(selections);
    }
  });
});
