import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrizeStatus } from '../../src/core/prizes';
import { LOCAL_ARNS } from '../../src/local/constants';
import type { DoctorCheck } from '../../src/ops/doctor';
import { waitForState } from '../helpers/executions';
import { runMain } from '../helpers/main';
import { serveFresh, type Served } from '../helpers/served';

// `lottery reset`, `prizes clear` and `prizes load` while a draw of a prize runs, each window
// widened with LOTTERY_FAULTS: whoever wins the race, no prize may end with more winners than its
// count, nor a plan that counts winners who are not recorded.

let served: Served;
afterEach(() => served.stop());

const lottery = (...args: string[]) => runMain(args, { home: served.home });
const file = (name: string, content: string) => {
  const path = join(served.home, name);
  writeFileSync(path, content);
  return path;
};
const plan = async () =>
  Object.fromEntries(
    (JSON.parse((await lottery('prizes', '--json')).stdout) as PrizeStatus[]).map((prize) => [
      prize.prize,
      { drawn: prize.drawn, in_progress: prize.in_progress, remaining: prize.remaining },
    ]),
  );
const recorded = async (prize: string) =>
  (
    JSON.parse((await lottery('winners', 'list', '--json')).stdout) as { prize: string | null }[]
  ).filter((winner) => winner.prize === prize).length;
async function finding(name: string): Promise<DoctorCheck | undefined> {
  const report = JSON.parse((await lottery('doctor', '--json')).stdout) as {
    checks: DoctorCheck[];
  };
  return report.checks.find((check) => check.name === name);
}

/**
 * Starts `lottery draw` of a prize and resolves once it has entered Record Winner Queue, with the
 * command's result to come.
 */
async function drawUntilRecording(name: string, ...args: string[]) {
  const drawn = lottery('draw', '--name', name, ...args);
  await waitForState(served.sfn, LOCAL_ARNS.executionPrefix + name, 'Record Winner Queue');
  return { drawn };
}

describe('lottery reset while a draw of a prize runs', () => {
  it('counts the winners of a draw that ends before the plan is counted again', async () => {
    served = await serveFresh({
      // The draw of Kettle records 4 s after it gets there, and the reset's removals take 6 s:
      // the draw succeeds between the reset's look at the winners and its change of the plan,
      // however busy the machine (the windows are wide on purpose).
      tasks: [{ state: 'Record Winner Queue', delayMs: 4000, skip: 1 }],
      dynamodb: [
        { operation: 'DeleteItem', delayMs: 6000 },
        { operation: 'BatchWriteItem', delayMs: 6000, skip: 1 },
      ],
    });
    expect((await lottery('seed')).code).toBe(0);
    expect(
      (await lottery('prizes', 'load', file('plan.csv', 'prize,count\nKettle,3\nMug,1\n'))).code,
    ).toBe(0);
    expect((await lottery('draw', '--prize', 'Mug')).code).toBe(0);

    const { drawn: drawing } = await drawUntilRecording('draw-kettle', '--prize', 'Kettle');
    const [drawn, reset] = await Promise.all([drawing, lottery('reset', '--yes')]);
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(reset.code, reset.stderr).toBe(0);

    expect(await recorded('Mug')).toBe(0);
    expect(await recorded('Kettle')).toBe(3);
    expect(await plan()).toEqual({
      Kettle: { drawn: 3, in_progress: 0, remaining: 0 },
      Mug: { drawn: 0, in_progress: 0, remaining: 1 },
    });
    expect(await finding('prizes')).toMatchObject({ status: 'ok' });
  });
});

describe('lottery prizes clear while a draw of a prize runs', () => {
  it('is refused, naming the draw; once it has ended, clear and load count its winners', async () => {
    // Wide enough for the other command to run however busy the machine.
    served = await serveFresh({ tasks: [{ state: 'Record Winner Queue', delayMs: 5000 }] });
    expect((await lottery('seed')).code).toBe(0);
    const planFile = file('plan.csv', 'prize,count\nKettle,3\n');
    expect((await lottery('prizes', 'load', planFile)).code).toBe(0);

    const { drawn: drawing } = await drawUntilRecording('draw-kettle', '--prize', 'Kettle');
    const cleared = await lottery('prizes', 'clear', '--yes');
    expect(cleared.code).toBe(1);
    expect(cleared.stderr).toContain(
      'error: refusing to remove the prize plan while a draw holds places in it: draw-kettle (3 winners of Kettle)',
    );
    expect(cleared.stderr).toContain(
      'hint: wait for it to end (`lottery draw --attach draw-kettle` follows one), then clear the plan',
    );
    expect((await drawing).code).toBe(0);

    expect((await lottery('prizes', 'clear', '--yes')).code).toBe(0);
    expect((await lottery('prizes', 'load', planFile)).code).toBe(0);
    expect(await plan()).toEqual({ Kettle: { drawn: 3, in_progress: 0, remaining: 0 } });
    expect(await recorded('Kettle')).toBe(3);
  });
});

describe('lottery prizes load while a draw of a prize without a plan runs', () => {
  it('wins: the draw, which holds no places in the new plan, is rolled back when it records', async () => {
    // Wide enough for the other command to run however busy the machine.
    served = await serveFresh({ tasks: [{ state: 'Record Winner Queue', delayMs: 5000 }] });
    expect((await lottery('seed')).code).toBe(0);
    const { drawn: drawing } = await drawUntilRecording(
      'draw-free',
      '--prize',
      'Kettle',
      '-n',
      '2',
    );
    expect(
      (await lottery('prizes', 'load', file('plan.csv', 'prize,count\nKettle,3\n'))).code,
    ).toBe(0);
    const drawn = await drawing;
    expect(drawn.code).toBe(1);
    expect(drawn.stderr).toContain(
      'error: draw draw-free failed at Record Winner Queue: a prize plan with Kettle was loaded while this draw ran, and holds no places for it: draw the prize again from the plan',
    );
    expect(await recorded('Kettle')).toBe(0);
    expect(await plan()).toEqual({ Kettle: { drawn: 0, in_progress: 0, remaining: 3 } });
  });
});

describe('a reset cut short after it removed the winners', () => {
  it('is reported by doctor, and running it again finishes it', async () => {
    served = await serveFresh({
      // Every removal after the first two fails, through all of the SDK's attempts.
      dynamodb: [
        { operation: 'DeleteItem', error: 'InternalServerError', skip: 2, times: 12 },
        { operation: 'BatchWriteItem', error: 'InternalServerError', skip: 1, times: 6 },
      ],
    });
    expect((await lottery('seed')).code).toBe(0);
    expect(
      (await lottery('prizes', 'load', file('plan.csv', 'prize,count\nKettle,4\n'))).code,
    ).toBe(0);
    expect((await lottery('draw', '--prize', 'Kettle')).code).toBe(0);

    const cut = await lottery('reset', '--yes');
    expect(cut.code).toBe(254);
    const left = await recorded('Kettle');
    expect(left).toBeLessThan(4);
    expect(await finding('prizes')).toEqual({
      name: 'prizes',
      status: 'fail',
      message: expect.stringMatching(
        new RegExp(
          `^a reset began at \\S+ and did not finish; the plan counts more winners drawn than are recorded: Kettle 4 drawn, ${left} recorded$`,
        ),
      ),
      fix: expect.stringContaining('run `lottery reset` again: it finishes what was left'),
    });

    expect((await lottery('reset', '--yes')).code).toBe(0);
    expect(await recorded('Kettle')).toBe(0);
    expect(await plan()).toEqual({ Kettle: { drawn: 0, in_progress: 0, remaining: 4 } });
    expect(await finding('prizes')).toEqual({
      name: 'prizes',
      status: 'ok',
      message: "every prize's drawn count is its recorded winners",
    });
  });
});

describe('lottery draw --next from several operators at once', () => {
  it('moves on to the next prize with places left, each prize drawn in full once', async () => {
    // Every draw waits before it reserves its places: all three have read the plan by then, and
    // each picked First prize.
    served = await serveFresh({ tasks: [{ state: 'Input Lottery Winners', delayMs: 2000 }] });
    expect((await lottery('seed')).code).toBe(0);
    expect(
      (
        await lottery(
          'prizes',
          'load',
          file('plan.csv', 'prize,count\nFirst prize,1\nSecond prize,2\nThird prize,1\n'),
        )
      ).code,
    ).toBe(0);

    const draws = await Promise.all(
      ['a', 'b', 'c'].map((name) => lottery('draw', '--next', '--name', `next-${name}`, '--json')),
    );
    for (const drawn of draws) expect(drawn.code, drawn.stderr).toBe(0);
    const prizes = draws.map((drawn) => (JSON.parse(drawn.stdout) as { prize: string }).prize);
    expect(prizes.sort()).toEqual(['First prize', 'Second prize', 'Third prize']);
    expect(draws.map((drawn) => drawn.stderr).join('\n')).toContain(
      'warning: the places of First prize were taken by another draw while draw next-',
    );
    expect(await plan()).toEqual({
      'First prize': { drawn: 1, in_progress: 0, remaining: 0 },
      'Second prize': { drawn: 2, in_progress: 0, remaining: 0 },
      'Third prize': { drawn: 1, in_progress: 0, remaining: 0 },
    });
    expect(await recorded('Second prize')).toBe(2);
  });
});
