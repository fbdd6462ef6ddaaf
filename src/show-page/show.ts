import { countdownText } from '../core/countdown';
import { plural } from '../core/plural';
import type { ShowDraw, ShowState } from '../core/show';
import { gridShape, largestFitting } from './layout';

// The room's screen in the browser: it draws the state that `lottery show` sends on its event
// stream, and nothing else. Every name goes in as text (textContent), never as markup. The page
// sends nothing back: it only listens.

/** Without a word from the CLI for this long (it sends a heartbeat every 5 s), say so. */
const SILENCE_MS = 15_000;
const ROLL_MS = 80;
/** Nothing is shown smaller than this many pixels: better cut than unreadable. */
const MIN_FONT_PX = 10;
/** A name whose best size is below this share of the largest keeps its own size. */
const OUTLIER = 0.6;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  body: document.body,
  prize: element('prize'),
  subtitle: element('subtitle'),
  steps: element<HTMLOListElement>('steps'),
  name: element('name'),
  detail: element('detail'),
  message: element('message'),
  winners: element<HTMLOListElement>('winners'),
  plan: element<HTMLUListElement>('plan'),
  status: element('status'),
};

let state: ShowState | undefined;
/** The server's clock minus ours, so that a countdown is right on a machine set wrong. */
let clockOffset = 0;
let heardAt = Date.now();
let stopped = false;
let rollTimer: number | undefined;

function setText(target: HTMLElement, text: string) {
  if (target.textContent !== text) target.textContent = text;
}

function setStatus(text: string, alert = false) {
  setText(ui.status, text);
  ui.status.classList.toggle('alert', alert);
}

/**
 * The largest font size at which the element's text fits its box, breaking lines between words;
 * inside a word only when even the smallest size leaves a word wider than the box.
 */
function fit(target: HTMLElement, maxPx: number) {
  const fits = (px: number) => {
    target.style.fontSize = `${px}px`;
    return (
      target.scrollWidth <= target.clientWidth + 1 && target.scrollHeight <= target.clientHeight + 1
    );
  };
  target.style.overflowWrap = 'normal';
  let size = largestFitting(fits, MIN_FONT_PX, maxPx);
  if (!fits(size)) {
    target.style.overflowWrap = 'anywhere';
    size = largestFitting(fits, MIN_FONT_PX, maxPx);
  }
  target.style.fontSize = `${size}px`;
}

/** The spotlight's name as large as the stage allows. */
function fitName() {
  const stage = ui.name.parentElement as HTMLElement;
  ui.name.style.height = `${Math.floor(stage.clientHeight * 0.72)}px`;
  fit(ui.name, Math.max(MIN_FONT_PX, Math.min(stage.clientHeight * 0.5, window.innerWidth / 6)));
  ui.name.style.height = '';
  // Centred vertically by its section; its box is only as tall as its lines.
  ui.name.style.maxHeight = `${Math.floor(stage.clientHeight * 0.72)}px`;
}

function phaseOf(draw: ShowDraw | undefined): string {
  return draw ? draw.phase : 'idle';
}

function renderSteps(draw: ShowDraw | undefined) {
  const steps = draw && draw.phase === 'drawing' ? draw.steps : [];
  ui.steps.replaceChildren(
    ...steps.map((step) => {
      const item = document.createElement('li');
      item.dataset.status = step.status;
      item.textContent = step.visits > 1 ? `${step.name} ×${step.visits}` : step.name;
      return item;
    }),
  );
}

function renderPlan(current: ShowState) {
  const prize = current.draw?.prize ?? undefined;
  ui.plan.replaceChildren(
    ...(current.plan ?? []).map((entry) => {
      const item = document.createElement('li');
      item.dataset.prize = entry.prize;
      item.dataset.left = String(entry.remaining);
      if (entry.prize === prize) item.dataset.current = '';
      const name = document.createElement('span');
      name.className = 'plan-prize';
      name.textContent = entry.prize;
      const left = document.createElement('span');
      left.className = 'plan-left';
      left.textContent = `${entry.remaining} of ${entry.count} left`;
      item.append(name, left);
      return item;
    }),
  );
}

/** The winners' grid: every name in a cell, as large as its cell allows. */
function renderWinners(draw: ShowDraw | undefined, upTo: number) {
  const winners = draw ? draw.winners.slice(0, upTo) : [];
  const key = JSON.stringify([draw?.id, winners.length]);
  if (ui.winners.dataset.key !== key) {
    ui.winners.dataset.key = key;
    ui.winners.replaceChildren(
      ...winners.map((winner, index) => {
        const item = document.createElement('li');
        item.dataset.id = winner.id;
        item.dataset.order = String(index + 1);
        const name = document.createElement('span');
        name.className = 'winner-name';
        name.textContent = winner.name;
        const detail = document.createElement('span');
        detail.className = 'winner-detail';
        detail.textContent = [winner.id, winner.department].filter(Boolean).join(' · ');
        item.append(name, detail);
        return item;
      }),
    );
  }
  layoutWinners();
}

function layoutWinners() {
  const count = ui.winners.children.length;
  if (count === 0 || ui.winners.clientHeight === 0) return;
  const gap = parseFloat(getComputedStyle(ui.winners).rowGap) || 0;
  const { columns, rows } = gridShape(count, ui.winners.clientWidth, ui.winners.clientHeight);
  ui.winners.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
  ui.winners.style.gridTemplateRows = `repeat(${rows}, minmax(0, 1fr))`;
  const cellHeight = (ui.winners.clientHeight - gap * (rows - 1)) / rows;
  const cellWidth = (ui.winners.clientWidth - gap * (columns - 1)) / columns;
  const largest = Math.max(MIN_FONT_PX, Math.min(cellHeight * 0.5, cellWidth / 5, 160));
  const cells = [...ui.winners.children] as HTMLElement[];
  const sizes = cells.map((cell) => {
    fit(cell, largest);
    return parseFloat(cell.style.fontSize);
  });
  // One size for the names that are alike, so that no winner looks smaller than another; only a
  // name much longer than the rest keeps a smaller size of its own.
  const common = Math.min(...sizes.filter((size) => size >= Math.max(...sizes) * OUTLIER));
  cells.forEach((cell, index) => {
    cell.style.fontSize = `${Math.min(common, sizes[index] ?? common)}px`;
  });
}

function startRolling() {
  if (rollTimer !== undefined) return;
  const roll = () => {
    const names = state?.names ?? [];
    const name = names.length > 0 ? names[Math.floor(Math.random() * names.length)] : undefined;
    setText(ui.name, name ?? '· · ·');
  };
  ui.name.classList.add('rolling');
  ui.name.classList.remove('revealed');
  delete ui.name.dataset.id;
  // One size for every rolling name: the one the longest of them fits at.
  const names = state?.names ?? [];
  setText(
    ui.name,
    names.reduce((longest, name) => (name.length > longest.length ? name : longest), '· · ·'),
  );
  fitName();
  roll();
  rollTimer = window.setInterval(roll, ROLL_MS);
}

function stopRolling() {
  window.clearInterval(rollTimer);
  rollTimer = undefined;
  ui.name.classList.remove('rolling');
}

/** The line under the title, and the big message of the stage. */
function describe(current: ShowState): { subtitle: string; message: string } {
  const draw = current.draw;
  if (!draw)
    return {
      subtitle: '',
      message: current.plan?.some((entry) => entry.remaining > 0)
        ? 'Waiting for the next draw'
        : 'Waiting for a draw',
    };
  switch (draw.phase) {
    case 'drawing': {
      if (!draw.beacon) return { subtitle: 'Drawing…', message: '' };
      const left = Date.parse(draw.beacon.due_at) - (Date.now() + clockOffset);
      return {
        subtitle: `Waiting for drand round ${draw.beacon.round} (${draw.beacon.chain}): ${countdownText(left)}`,
        message: `Committed before the round exists: ${draw.beacon.commitment.slice(0, 16)}…`,
      };
    }
    case 'revealing':
      return {
        subtitle:
          draw.winners.length === 0
            ? `${plural(draw.total, 'winner')}…`
            : `Winner ${draw.winners.length} of ${draw.total}`,
        message: '',
      };
    case 'done':
      return { subtitle: `${plural(draw.total, 'winner')}`, message: '' };
    case 'failed':
      return { subtitle: '', message: draw.failure ?? 'The draw did not complete.' };
  }
}

function render() {
  if (!state) return;
  const draw = state.draw;
  const phase = phaseOf(draw);
  ui.body.dataset.phase = phase;
  setText(ui.prize, draw?.prize ?? 'Lucky draw');
  document.title = draw?.prize ?? 'Lucky draw';
  const { subtitle, message } = describe(state);
  setText(ui.subtitle, subtitle);
  setText(ui.message, message);
  renderSteps(draw);
  renderPlan(state);

  const latest = phase === 'revealing' ? draw?.winners.at(-1) : undefined;
  if (phase === 'drawing' || (phase === 'revealing' && !latest)) {
    setText(ui.detail, '');
    startRolling();
  } else {
    stopRolling();
    if (latest && ui.name.dataset.id !== latest.id) {
      ui.name.dataset.id = latest.id;
      setText(ui.name, latest.name);
      setText(ui.detail, [latest.id, latest.department].filter(Boolean).join(' · '));
      ui.name.classList.remove('revealed');
      void ui.name.offsetWidth;
      ui.name.classList.add('revealed');
    }
  }
  const earlier = phase === 'revealing' ? Math.max(0, (draw?.winners.length ?? 0) - 1) : undefined;
  if (earlier) ui.body.dataset.earlier = '';
  else delete ui.body.dataset.earlier;
  renderWinners(draw, earlier ?? (phase === 'done' ? Infinity : 0));
  if (latest) fitName();
  tick();
}

/** Once a second: the countdown, and whether the CLI is still heard. */
function tick() {
  if (state?.draw?.beacon && state.draw.phase === 'drawing')
    setText(ui.subtitle, describe(state).subtitle);
  if (stopped) return;
  if (Date.now() - heardAt > SILENCE_MS)
    setStatus('lottery show is not answering: this screen may be out of date', true);
  else if (state?.notice) setStatus(state.notice, true);
  else if (ui.status.classList.contains('alert') || !ui.status.textContent)
    setStatus(state ? `Live from ${state.target}` : 'Connecting…');
}

function connect() {
  const events = new EventSource('events');
  const heard = () => {
    heardAt = Date.now();
  };
  events.addEventListener('state', (message) => {
    heard();
    stopped = false;
    state = JSON.parse((message as MessageEvent<string>).data) as ShowState;
    clockOffset = Date.parse(state.now) - Date.now();
    setStatus(`Live from ${state.target}`);
    render();
  });
  events.addEventListener('heartbeat', heard);
  events.addEventListener('stopped', () => {
    stopped = true;
    setStatus('lottery show has stopped: this screen is no longer updated', true);
  });
  events.addEventListener('error', () => {
    if (events.readyState === EventSource.CLOSED) {
      // Refused (a new `lottery show` has a new token) or gone: the browser will not try again.
      stopped = true;
      setStatus(
        'lottery show has stopped or restarted: open the address it printed to follow it again',
        true,
      );
    } else if (!stopped) setStatus('Connection to lottery show lost: trying again…', true);
  });
}

window.addEventListener('resize', () => {
  // Everything is fitted again for the new size, the rolling names too.
  stopRolling();
  render();
});
window.setInterval(tick, 1000);
connect();
