import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/main';
import {
  countsIn,
  drawIdIn as drawId,
  faults,
  outboxOf,
  seededHomes,
  winnersIn,
} from '../helpers/scenarios';

// Faults injected into the embedded backend with LOTTERY_FAULTS (a test-only switch: the code
// under test runs unchanged), each scenario run in process (runMain) and ending with the tables
// checked. A full disk needs a process with a file size limit: test/e2e/full-disk.test.ts.

const { home: currentHome } = seededHomes();
let home: string;
beforeEach(() => {
  home = currentHome();
});
const winners = () => winnersIn(home);
const outbox = () => outboxOf(home);

describe('an announcement that fails', () => {
  it('leaves the winners recorded, says how to resend, and lottery announce sends it once', async () => {
    const drawn = await runMain(['draw', '-n', '2'], {
      home,
      env: faults({
        tasks: [
          { state: 'Notify Winners', error: 'SNS.InternalErrorException', message: 'SNS is down' },
        ],
      }),
    });
    expect(drawn.code).toBe(0);
    const id = drawId(drawn.stderr);
    expect(drawn.stderr).toMatch(
      /✖ Notify Winners\s+\d+ ms\s+SNS\.InternalErrorException: SNS is down/,
    );
    expect(drawn.stderr).toContain(
      `warning: the winners are recorded, but the announcement was not sent (SNS.InternalErrorException: SNS is down). Send it with \`lottery announce ${id}\``,
    );
    const recorded = await winners();
    expect(recorded.map((winner) => winner.draw_id)).toEqual([id, id]);
    expect(outbox()).toEqual([]);

    const announced = await runMain(['announce', id], { home });
    expect(announced.code).toBe(0);
    const messages = outbox();
    expect(messages).toHaveLength(1);
    for (const winner of recorded) expect(messages[0]?.Message).toContain(winner.employee_name);

    const again = await runMain(['announce', id], { home });
    expect(again.code).toBe(252);
    expect(again.stderr).toContain(`error: draw ${id} was announced already`);
    expect(outbox()).toHaveLength(1);
  });
});

describe('a handler that fails once after doing its work', () => {
  it.each(['Validate Winners', 'Record Winner Queue'])(
    '%s is retried and nobody is recorded twice',
    async (state) => {
      const drawn = await runMain(['draw', '-n', '2'], {
        home,
        env: faults({
          tasks: [
            {
              state,
              error: 'Lambda.ServiceException',
              message: 'the Lambda service failed',
              times: 1,
              after: true,
            },
          ],
        }),
      });
      expect(drawn.code).toBe(0);
      expect(drawn.stderr).toMatch(
        new RegExp(
          `↻ ${state}.*Lambda\\.ServiceException: the Lambda service failed — retrying \\(attempt 2\\)`,
        ),
      );
      const recorded = await winners();
      expect(recorded).toHaveLength(2);
      expect(new Set(recorded.map((winner) => winner.employee_id)).size).toBe(2);
      expect(recorded.every((winner) => winner.draw_id === drawId(drawn.stderr))).toBe(true);
    },
  );
});

describe('DynamoDB throttling', () => {
  it('seed and draw back off and finish', async () => {
    const file = join(home, 'more.csv');
    writeFileSync(
      file,
      `id,name\n${Array.from({ length: 300 }, (_, i) => `M${i},Member ${i}`).join('\n')}\n`,
    );
    const throttled = faults({
      dynamodb: [
        { operation: 'BatchWriteItem', error: 'ProvisionedThroughputExceededException', times: 6 },
        // Three in a row: one more than the SDK's default attempts ride out, fewer than the CLI's.
        { operation: 'Scan', error: 'ProvisionedThroughputExceededException', times: 3 },
      ],
    });
    const seeded = await runMain(['seed', '--file', file], { home, env: throttled });
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('300 new');
    expect(await countsIn(home)).toMatchObject({ total: 310 });

    const drawn = await runMain(['draw', '-n', '3'], { home, env: throttled });
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(await winners()).toHaveLength(3);
  });
});

describe('a record step that fails after writing some winners', () => {
  it('ends with none of its winners recorded when it keeps failing', async () => {
    // The first UpdateItem (one winner recorded) goes through; every later one fails.
    const drawn = await runMain(['draw', '-n', '3'], {
      home,
      env: faults({
        dynamodb: [{ operation: 'UpdateItem', error: 'InternalServerError', skip: 1 }],
      }),
    });
    expect(drawn.code).toBe(1);
    expect(drawn.stderr).toMatch(/✔ Release Winners\s+\d+ ms\s+claims released/);
    expect(drawn.stderr).toMatch(/error: draw \S+ failed at Record Winner Queue: /);
    expect(await winners()).toEqual([]);
    const count = await countsIn(home);
    expect(count.eligible).toBe(10);
  });

  it('ends with all of them recorded when a retry gets through', async () => {
    // Two of the three writes fail through all 3 of the handler's SDK attempts; the retried task
    // gets through.
    const drawn = await runMain(['draw', '-n', '3'], {
      home,
      env: faults({
        dynamodb: [{ operation: 'UpdateItem', error: 'InternalServerError', skip: 1, times: 6 }],
      }),
    });
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(drawn.stderr).toMatch(/↻ Record Winner Queue/);
    const recorded = await winners();
    expect(recorded).toHaveLength(3);
    expect(new Set(recorded.map((winner) => winner.employee_id)).size).toBe(3);
  });
});
