// The single executable (`npm run build:sea`), run as on a machine without Node.js: no node on
// PATH, no node_modules anywhere above it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli';
import { recordsADraw, seedDrawAndList, showServesItsPage } from './use';

const run = promisify(execFile);

let work: string;
let executable: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lottery-sea-test-'));
  await run(process.execPath, ['scripts/build-sea.mjs', '--outdir', join(work, 'sea')], {
    cwd: ROOT,
  });
  executable = join(work, 'sea', 'lottery');
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const lottery = (args: string[]) =>
  run(executable, args, {
    cwd: work,
    env: { PATH: join(work, 'no-such-dir'), HOME: work, LOTTERY_HOME: join(work, 'home') },
  });

describe('the single executable', () => {
  it('comes with the licenses of what it holds, the embedded backend and its compiled LevelDB included', () => {
    const notices = readFileSync(join(work, 'sea', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const name of ['dynalite', 'classic-level', 'commander', '@aws-sdk/client-sfn'])
      expect(notices).toMatch(new RegExp(`^${name}@\\S+ \\(\\S+\\)$`, 'm'));
    expect(notices).toContain(
      "Compiled into classic-level's native binding, from classic-level/deps/leveldb/",
    );
  });

  it('runs with no Node.js on PATH: seeds, draws and lists the winners', () =>
    seedDrawAndList(lottery));

  it("writes a draw's record carrying the verifier from inside the executable, and checks it", () =>
    recordsADraw(lottery, work));

  it("serves the room's screen from inside the executable", () =>
    showServesItsPage(executable, {
      PATH: join(work, 'no-such-dir'),
      HOME: work,
      LOTTERY_HOME: join(work, 'home'),
    }));
});
