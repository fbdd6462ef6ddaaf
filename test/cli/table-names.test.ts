import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// One typo deleted the pool: with LOTTERY_WINNERS_TABLE=Lottery-Employee every employee counted
// as a winner and `reset --yes` deleted them all. Settings that name one table twice are refused
// before anything is read or written.

let home: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  expect((await runMain(['seed'], { home })).code).toBe(0);
});
afterAll(() => cleanup());

const count = async () =>
  (
    JSON.parse((await runMain(['employees', 'count', '--json'], { home })).stdout) as {
      total: number;
    }
  ).total;

it('refuses reset --yes when the winners table is the employee table, and deletes nobody', async () => {
  const before = await count();
  expect(before).toBeGreaterThan(0);
  const result = await runMain(['reset', '--yes'], {
    home,
    env: { LOTTERY_WINNERS_TABLE: 'Lottery-Employee' },
  });
  expect(result.code).toBe(252);
  expect(result.stderr).toContain('error: the configuration is not valid');
  expect(result.stderr).toContain(
    'employeeTable (default) and winnersTable (LOTTERY_WINNERS_TABLE) both name the table "Lottery-Employee"',
  );
  expect(await count()).toBe(before);
});

it('refuses a table name DynamoDB would refuse', async () => {
  const result = await runMain(['employees', 'count'], {
    home,
    env: { LOTTERY_DRAWS_TABLE: 'Lottery Draws' },
  });
  expect(result.code).toBe(252);
  expect(result.stderr).toContain('LOTTERY_DRAWS_TABLE: drawsTable must be a DynamoDB table name');
});
