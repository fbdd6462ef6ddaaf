import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BIN, ROOT } from '../../helpers/cli';

// `lottery show` as a user runs it (the built binary, a process of its own), the host's terminal
// (tmux, a real pseudo-terminal, for `draw --stage`), and what a person sees on the page.

/** Screenshots a CI run keeps as artefacts (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'show', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ShowProcess {
  url: string;
  pid: number;
  stderr: () => string;
  /** Ctrl-C, and its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `lottery show ARGS` and resolves with the address it prints. */
export function startShow(
  home: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ShowProcess> {
  const child = spawn(process.execPath, [BIN, 'show', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOTTERY_HOME: home, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^(http:\/\/\S+\/)$/m.exec(stdout)?.[1];
      if (url)
        resolve({
          url,
          pid: child.pid as number,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
    });
    void exited.then((code) =>
      reject(new Error(`lottery show exited with ${code} before printing its address: ${stderr}`)),
    );
  });
}

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

/** A command in a real terminal (tmux), as the host runs `draw --stage`. */
export class Terminal {
  readonly session = `lottery-show-${process.pid}-${Date.now()}`;

  constructor(home: string, args: string) {
    const shell = `cd ${ROOT} && LOTTERY_HOME=${home} AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true TERM=xterm-256color node ${BIN} ${args}; echo "EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', this.session, '-x', '100', '-y', '30', shell);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', this.session);
  }

  close(): void {
    tmux('kill-session', '-t', this.session);
  }
}

/** What a person sees on the page, read from its DOM. */
export interface Seen {
  phase: string;
  prize: string;
  subtitle: string;
  name: string;
  rolling: boolean;
  message: string;
  winners: string[];
  plan: Record<string, string>;
  status: string;
}

export function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent ?? '';
    return {
      phase: document.body.dataset.phase ?? '',
      prize: text('prize'),
      subtitle: text('subtitle'),
      name: text('name'),
      rolling: document.getElementById('name')?.classList.contains('rolling') ?? false,
      message: text('message'),
      winners: [...document.querySelectorAll('#winners .winner-name')].map(
        (item) => item.textContent ?? '',
      ),
      plan: Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('#plan li')].map((item) => [
          item.dataset.prize ?? '',
          item.querySelector('.plan-left')?.textContent ?? '',
        ]),
      ),
      status: text('status'),
    };
  });
}

/** Polls the page until `check` holds; fails with what the page showed last. */
export async function waitForPage(
  page: Page,
  check: (view: Seen) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<Seen> {
  let view = await seen(page);
  for (const started = Date.now(); !check(view); view = await seen(page)) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`waited for ${what}; the page shows ${JSON.stringify(view)}`);
    await pause(50);
  }
  return view;
}

/**
 * What does not fit: text cut by its box, elements past the edge of the window, winners' cells
 * on top of each other, text too small to read. Empty when everything fits.
 */
export function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const { innerWidth: width, innerHeight: height } = window;
    const root = document.documentElement;
    if (root.scrollWidth > width || root.scrollHeight > height)
      problems.push(
        `the page scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${width}×${height}`,
      );
    const visible = (element: Element) => element.getClientRects().length > 0;
    const checked = [
      ...document.querySelectorAll<HTMLElement>(
        '#prize, #subtitle, #name, #detail, #message, #winners li, #plan li, #status',
      ),
    ].filter(visible);
    for (const element of checked) {
      const label = `${element.id || element.tagName} "${(element.textContent ?? '').slice(0, 30)}"`;
      const box = element.getBoundingClientRect();
      if (box.left < -0.5 || box.top < -0.5 || box.right > width + 0.5 || box.bottom > height + 0.5)
        problems.push(`${label} is outside the window: ${JSON.stringify(box)}`);
      if (
        element.scrollWidth > element.clientWidth + 1 ||
        element.scrollHeight > element.clientHeight + 1
      )
        problems.push(
          `${label} is cut: its text takes ${element.scrollWidth}×${element.scrollHeight} in ${element.clientWidth}×${element.clientHeight}`,
        );
      if (parseFloat(getComputedStyle(element).fontSize) < 10)
        problems.push(`${label} is smaller than 10 px`);
    }
    const cells = [...document.querySelectorAll('#winners li')]
      .filter(visible)
      .map((cell) => cell.getBoundingClientRect());
    cells.forEach((a, i) =>
      cells.slice(i + 1).forEach((b, j) => {
        if (
          a.left < b.right - 0.5 &&
          b.left < a.right - 0.5 &&
          a.top < b.bottom - 0.5 &&
          b.top < a.bottom - 0.5
        )
          problems.push(`winners ${i + 1} and ${i + j + 2} overlap`);
      }),
    );
    return problems;
  });
}
