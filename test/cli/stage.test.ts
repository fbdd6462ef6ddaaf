import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// `lottery draw --stage` where there is no terminal, in process (runMain): it says so and draws as
// usual, and its options are checked before anything is drawn. The show itself, in a terminal, is
// in test/e2e/stage.test.ts.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

const winners = async () =>
  JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as unknown[];

describe('lottery draw --stage without a terminal', () => {
  it('says so and shows the draw as usual', async () => {
    await runMain(['seed'], { home });
    const result = await runMain(['draw', '--winners', '1', '--stage'], { home });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: --stage needs a terminal (standard error is not one): showing the draw as usual',
    );
    expect(result.stdout).toMatch(/Winners:\n┌/);
    // eslint-disable-next-line no-control-regex
    expect(result.stdout + result.stderr).not.toMatch(/\u001b\[\?1049/);
  });

  it('refuses --suspense and --auto without --stage, and a suspense out of range, before drawing', async () => {
    await runMain(['seed'], { home });
    const alone = await runMain(['draw', '-n', '1', '--auto'], { home });
    expect(alone.code).toBe(252);
    expect(alone.stderr).toContain('error: --suspense and --auto set up the show: add --stage');
    const long = await runMain(['draw', '-n', '1', '--stage', '--suspense', '600'], { home });
    expect(long.code).toBe(252);
    expect(long.stderr).toContain(
      "error: option '--suspense <seconds>' argument '600' is invalid. expected seconds from 0 to 60",
    );
    expect(await winners()).toEqual([]);
  });
});
