import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WINNERS_TABLE } from '../../src/core/names';
import type { DoctorCheck } from '../../src/ops/doctor';
import { runMain } from '../helpers/main';
import { serveFresh, type Served } from '../helpers/served';

// Edits of the winners table by hand: each must show in `lottery verify` of the draw it touches,
// or in `lottery doctor` when it touches no draw.

let served: Served;
let drawn: { employee_id: string; lottery_serial: number }[];
let original: Record<string, unknown>[];
beforeAll(async () => {
  served = await serveFresh();
  expect((await lottery('seed')).code).toBe(0);
  const draw = await lottery('draw', '-n', '2', '--prize', 'Kettle', '--name', 'draw-k');
  expect(draw.code, draw.stderr).toBe(0);
  drawn = JSON.parse((await lottery('winners', 'list', '--json')).stdout) as typeof drawn;
  original = await Promise.all(drawn.map((winner) => row(winner.employee_id)));
});
afterAll(() => served.stop());
// Each test starts from the draw's rows as Record Winner Queue wrote them.
beforeEach(async () => {
  for (const item of original)
    await served.doc.send(new PutCommand({ TableName: WINNERS_TABLE, Item: item }));
});

function lottery(...args: string[]) {
  return runMain(args, { home: served.home });
}
async function row(id: string): Promise<Record<string, unknown>> {
  const { Item } = await served.doc.send(
    new GetCommand({ TableName: WINNERS_TABLE, Key: { employee_id: id } }),
  );
  return Item as Record<string, unknown>;
}
const edit = (id: string, field: string, value: unknown) =>
  served.doc.send(
    new UpdateCommand({
      TableName: WINNERS_TABLE,
      Key: { employee_id: id },
      UpdateExpression: 'SET #field = :value',
      ExpressionAttributeNames: { '#field': field },
      ExpressionAttributeValues: { ':value': value },
    }),
  );
async function winnersFinding(): Promise<DoctorCheck | undefined> {
  const report = JSON.parse((await lottery('doctor', '--json')).stdout) as {
    checks: DoctorCheck[];
  };
  return report.checks.find((check) => check.name === 'winners');
}

describe('the winners table as the draw left it', () => {
  it('verifies, and doctor accounts for every row', async () => {
    expect((await lottery('verify', 'draw-k')).code).toBe(0);
    expect(await winnersFinding()).toEqual({
      name: 'winners',
      status: 'ok',
      message: '2 winners, each accounted for by the draw that recorded it',
    });
  });
});

describe('an edit of the winners table', () => {
  it("of a winner's prize fails verify", async () => {
    const [first] = drawn;
    await edit(first!.employee_id, 'prize', 'Car');
    const verified = await lottery('verify', 'draw-k');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(
      new RegExp(
        `✖ records +${first!.employee_id} is recorded for Car, but the draw was of Kettle`,
      ),
    );
    expect(await winnersFinding()).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(
        `${first!.employee_id} (recorded for Car, but draw draw-k was of Kettle)`,
      ),
    });
  });

  it("of a winner's serial fails verify, and doctor --fix puts it back", async () => {
    const [first] = drawn;
    const other = first!.lottery_serial === 10 ? 9 : 10;
    await edit(first!.employee_id, 'lottery_serial', other);
    const verified = await lottery('verify', 'draw-k');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(
      `the winners table gives ${first!.employee_id} serial ${other}, but the draw picked serial ${first!.lottery_serial}`,
    );
    expect(await winnersFinding()).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(
        `${first!.employee_id} has serial ${other} there and ${first!.lottery_serial} in the employee table`,
      ),
    });
    expect((await lottery('doctor', '--fix')).code).toBe(0);
    expect((await row(first!.employee_id)).lottery_serial).toBe(first!.lottery_serial);
    expect((await lottery('verify', 'draw-k')).code).toBe(0);
  });

  it('adding a winner nobody drew, under a draw that does not exist, fails doctor', async () => {
    const someone = ['001', '002', '003'].find((id) => !drawn.some((w) => w.employee_id === id))!;
    await served.doc.send(
      new PutCommand({
        TableName: WINNERS_TABLE,
        Item: {
          employee_id: someone,
          employee_name: 'Forged',
          lottery_serial: Number(someone),
          draw_id: 'draw-forged',
          prize: 'Kettle',
          status: 'won',
        },
      }),
    );
    try {
      const doctor = await lottery('doctor', '--json');
      expect(doctor.code).toBe(253);
      expect(await winnersFinding()).toEqual({
        name: 'winners',
        status: 'fail',
        message: `1 winner row no draw accounts for: ${someone} (draw draw-forged does not exist); each is kept out of every later draw`,
        fix: 'someone edited the winners table: remove the rows nobody drew (`lottery verify DRAW` checks a draw whose rows were changed)',
      });
      // The draw it names does not exist, so verify has nothing to say of it.
      expect((await lottery('verify', 'draw-forged')).stderr).toContain(
        'error: there is no draw draw-forged',
      );
    } finally {
      await served.doc.send(
        new DeleteCommand({ TableName: WINNERS_TABLE, Key: { employee_id: someone } }),
      );
    }
  });
});
