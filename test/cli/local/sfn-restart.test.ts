import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  fullHistory,
  MACHINE_ARN,
  openBackend,
  rejectionOf,
  seedEmployees,
  start,
  waitForEnd,
  type Backend,
} from './support';

const withoutMetadata = <T extends { $metadata?: unknown }>(value: T) => ({
  ...value,
  $metadata: undefined,
});

describe('executions survive a restart of the embedded backend', () => {
  let backend: Backend;
  const before: Record<
    string,
    { described: DescribeExecutionCommandOutput; history: HistoryEvent[] }
  > = {};
  let creationDate: Date | undefined;

  beforeAll(async () => {
    backend = await openBackend();
    await seedEmployees(backend, 10);
    for (const [name, input] of [
      ['kept-success', 2],
      ['kept-failure', 11],
    ] as const) {
      const arn = await start(backend.sfn, name, { input });
      before[name] = {
        described: await waitForEnd(backend.sfn, arn),
        history: await fullHistory(backend.sfn, arn),
      };
    }
    creationDate = (
      await backend.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }))
    ).creationDate;
    // A new server and new clients on the same data directory.
    await backend.restart();
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  test('DescribeExecution answers as before the restart', async () => {
    for (const [name, kept] of Object.entries(before)) {
      const described = await backend.sfn.send(
        new DescribeExecutionCommand({ executionArn: kept.described.executionArn }),
      );
      expect(withoutMetadata(described), name).toEqual(withoutMetadata(kept.described));
    }
    expect(before['kept-success']?.described.status).toBe('SUCCEEDED');
    expect(before['kept-failure']?.described.status).toBe('FAILED');
  });

  test('GetExecutionHistory answers as before the restart', async () => {
    for (const [name, kept] of Object.entries(before)) {
      const history = await fullHistory(backend.sfn, kept.described.executionArn as string);
      expect(history.length, name).toBeGreaterThan(5);
      expect(history, name).toEqual(kept.history);
    }
  });

  test('ListExecutions still lists them, and their names stay taken', async () => {
    const listed = await backend.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN }),
    );
    expect(listed.executions?.map((item) => [item.name, item.status])).toEqual([
      ['kept-failure', 'FAILED'],
      ['kept-success', 'SUCCEEDED'],
    ]);
    expect(await rejectionOf(start(backend.sfn, 'kept-success', { input: 2 }))).toBeInstanceOf(
      ExecutionAlreadyExists,
    );
  });

  test('a draw after the restart sees the winners recorded before it', async () => {
    const earlier = JSON.parse(before['kept-success']?.described.output ?? '{}') as {
      winners: { employee_id: string }[];
    };
    const ended = await waitForEnd(
      backend.sfn,
      await start(backend.sfn, 'after-restart', { input: 8 }),
    );
    expect(ended.status).toBe('SUCCEEDED');
    const later = JSON.parse(ended.output ?? '{}') as { winners: { employee_id: string }[] };
    const ids = new Set([...earlier.winners, ...later.winners].map((winner) => winner.employee_id));
    expect(ids.size).toBe(10);
  });

  test('the state machine keeps its creation date across a restart, as on AWS (never after its executions started)', async () => {
    const described = await backend.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }),
    );
    const firstStart = before['kept-success']?.described.startDate as Date;
    expect(described.creationDate?.getTime()).toBeLessThanOrEqual(firstStart.getTime());
    expect(described.creationDate).toEqual(creationDate);
  });
});
