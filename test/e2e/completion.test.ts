import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempHome } from '../helpers/cli';

// The completion scripts the built binary prints, at a real prompt: each shell runs in a
// pseudo-terminal made by tmux and Tab is pressed. What the scripts offer is checked in detail by
// test/cli/completion.test.ts.

let home: string;
let cleanup: () => void;
let scratch: string;

beforeAll(() => {
  ({ home, cleanup } = tempHome());
  scratch = mkdtempSync(join(tmpdir(), 'lottery-completion-'));
});
afterAll(() => {
  cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * Completion scripts at a real prompt: each shell runs in a pseudo-terminal made by tmux, with no
 * rc files, and Tab is pressed.
 */
describe.each([
  // No inputrc: the completion alone decides what Tab does.
  {
    shell: 'bash',
    start: 'INPUTRC=/dev/null bash --norc --noprofile -i',
    load: (script: string) => `source ${script}`,
  },
  {
    shell: 'zsh',
    start: 'zsh -f -i',
    load: (script: string) => `autoload -U compinit && compinit -u -D && source ${script}`,
  },
])('$shell completion at a real prompt', ({ shell, start, load }) => {
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const session = `lottery-completion-${shell}-${process.pid}`;
  const lastLine = () =>
    tmux('capture-pane', '-p', '-t', session).trimEnd().split('\n').at(-1) ?? '';

  async function until(what: string, done: () => boolean): Promise<void> {
    for (let waited = 0; waited < 10_000; waited += 50) {
      if (done()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `timed out waiting for ${what}; the screen shows:\n${tmux('capture-pane', '-p', '-t', session)}`,
    );
  }

  /** Types `keys`, presses Tab, and returns the line as the shell completed it; then clears it. */
  async function tab(keys: string): Promise<string> {
    tmux('send-keys', '-t', session, '-l', keys);
    await until(`"${keys}" to be typed`, () => lastLine() === `$ ${keys}`);
    tmux('send-keys', '-t', session, 'Tab');
    // A completion that offers nothing leaves the line as it was: give it a moment to show.
    for (let waited = 0; waited < 2_000 && lastLine() === `$ ${keys}`; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const line = lastLine();
    tmux('send-keys', '-t', session, 'C-u');
    await until('an empty prompt', () => lastLine() === '$');
    return line;
  }

  beforeAll(async () => {
    const script = join(scratch, `lottery.${shell}`);
    const printed = await runCli(['completion', shell], { home });
    // In ~/.bashrc or ~/.zshrc, anything on stderr would greet every new shell.
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    writeFileSync(script, printed.stdout);
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '150',
      '-y',
      '30',
      '-c',
      ROOT,
      `env -i PATH=${process.env.PATH ?? '/usr/bin:/bin'} HOME=${home} TERM=xterm PS1='$ ' ${start}`,
    );
    await until('the prompt', () => lastLine() === '$');
    tmux('send-keys', '-t', session, '-l', `${load(script)}; clear`);
    tmux('send-keys', '-t', session, 'Enter');
    await until(
      'the script to load',
      () => tmux('capture-pane', '-p', '-t', session).trim() === '$',
    );
  });
  afterAll(() => {
    tmux('kill-session', '-t', session);
  });

  it('completes commands, subcommands and options as Tab is pressed', async () => {
    expect(await tab('lottery wi')).toBe('$ lottery winners');
    expect(await tab('lottery winners l')).toBe('$ lottery winners list');
    expect(await tab('lottery winners list --j')).toBe('$ lottery winners list --json');
  });

  it('completes --target=, the choices of an option or an argument, and file names a directory at a time', async () => {
    expect(await tab('lottery --target=a')).toBe('$ lottery --target=aws');
    expect(await tab('lottery winners list --format c')).toBe(
      '$ lottery winners list --format csv',
    );
    expect(await tab('lottery completion f')).toBe('$ lottery completion fish');
    expect(await tab('lottery seed --file fix')).toBe('$ lottery seed --file fixtures/');
    expect(await tab('lottery seed --file fixtures/req')).toBe(
      '$ lottery seed --file fixtures/request-items.json',
    );
  });
});
