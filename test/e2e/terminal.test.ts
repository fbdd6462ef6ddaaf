import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// The live draw view as a person at a terminal sees it: the draw runs in a pseudo-terminal made
// by tmux, and the test reads the rendered screen with capture-pane. Seeding and reading the
// tables run in process (runMain).

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

async function onScreen(command: string, columns = 110): Promise<string> {
  const session = `lottery-test-${process.pid}-${Date.now()}`;
  const shell = `cd ${ROOT} && LOTTERY_HOME=${home} AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true TERM=xterm-256color ${command}; echo "EXIT=$?"; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', '80', shell);
  try {
    for (let waited = 0; waited < 20_000; waited += 100) {
      const screen = tmux('capture-pane', '-p', '-t', session, '-S', '-200');
      if (screen.includes('EXIT=')) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the command did not finish: ${tmux('capture-pane', '-p', '-t', session)}`);
  } finally {
    tmux('kill-session', '-t', session);
  }
}

describe('lottery draw on a terminal', () => {
  it('shows each state as it finishes, then the winners in large letters', async () => {
    await runMain(['seed'], { home });
    const screen = await onScreen(`node ${BIN} draw --winners 2 --prize "Second prize"`);
    expect(screen).toContain('EXIT=0');
    for (const state of [
      'Input Lottery Winners',
      'Random Select Winners',
      'Validate Winners',
      'Is Winner In Past Draw',
      'Record Winner Queue',
      'Notify Winners',
    ]) {
      expect(screen).toMatch(new RegExp(`✔ ${state}\\s+\\d+ ms`));
    }
    const winners = JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as {
      employee_name: string;
    }[];
    for (const winner of winners)
      expect(screen).toMatch(new RegExp(`│ \\d+ │ \\d+\\s+│ ${winner.employee_name}\\s+│`));
    // Large letters: figlet's Standard font draws the names in lines like " |  _ \ ___  ___  ___ ".
    const art = screen
      .split('\n')
      .filter((line) => /[|/\\_]{2,}/.test(line) && !line.includes('│'));
    expect(art.length).toBeGreaterThanOrEqual(8);
    expect(screen).toContain('Announcement: Congrats! [');
    // Nothing of the spinner is left behind.
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });

  it('keeps names the large font cannot draw readable', async () => {
    const file = `${home}/names.csv`;
    writeFileSync(file, 'id,name\n1,李雷\n');
    await runMain(['seed', '--file', file], { home });
    const screen = await onScreen(`node ${BIN} draw --winners 1`);
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('★ 李雷 ★');
  });
});
