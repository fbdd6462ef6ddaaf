import type { ChalkInstance } from 'chalk';
import stringWidth from 'string-width';
import type { WinnerDetail } from '../../core/draw';
import { bigText } from './banner';
import { printable } from '../../core/printable';
import { plural } from '../../core/plural';

// One frame of `lottery draw --stage`, as lines for a full screen: the prize's title, a name in
// large letters (a name from the pool while the draw runs, then each winner), the winners shown
// so far and a line of help. Pure: the same frame always gives the same lines, each at most as
// wide as the screen in terminal columns (CJK characters take two), and never more lines than
// the screen has rows.

/** What a terminal that reports no size (0×0) is drawn as. */
export const FALLBACK_SIZE = { columns: 80, rows: 24 };

export interface StageFrame {
  columns: number;
  rows: number;
  prize: string | null;
  /** The name rolling while the draw runs; undefined once a winner is shown. */
  rolling?: string;
  /** The draw's winners, as the state machine decided them (empty while it runs). */
  winners: readonly WinnerDetail[];
  /** How many winners are revealed. */
  shown: number;
  /** Names of winners who forfeited on this show ("not present"): replaced in `winners`. */
  forfeited: readonly string[];
  /** A short line on what is happening (the state running, or what a key does). */
  status: string;
}

const segmenter = new Intl.Segmenter();

/** The text cut to at most `width` terminal columns, with an ellipsis when something was cut. */
export function fitWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const next = stringWidth(segment);
    if (used + next > width - 1) break;
    kept += segment;
    used += next;
  }
  return `${kept}…`;
}

function centre(text: string, columns: number): string {
  const fitted = fitWidth(text, columns);
  return `${' '.repeat(Math.max(0, Math.floor((columns - stringWidth(fitted)) / 2)))}${fitted}`;
}

/** A block of lines centred as one, so that large letters keep their shape. */
function centreBlock(lines: readonly string[], columns: number): string[] {
  const width = Math.max(0, ...lines.map((line) => stringWidth(line)));
  const pad = ' '.repeat(Math.max(0, Math.floor((columns - width) / 2)));
  return lines.map((line) => `${pad}${line}`);
}

interface Block {
  lines: string[];
  /** Lower goes first when the screen is too short. */
  priority: number;
}

/** The name in large letters if it fits, else plainly. */
async function nameBlock(
  name: string,
  columns: number,
  style: ChalkInstance,
  rows: number,
): Promise<string[]> {
  const art = rows >= 12 ? await bigText(name, columns) : undefined;
  if (art) return centreBlock(art.split('\n'), columns).map((line) => style.bold.yellow(line));
  return [style.bold.yellow(centre(`★ ${name} ★`, columns))];
}

export async function renderStage(frame: StageFrame, style: ChalkInstance): Promise<string[]> {
  const columns = frame.columns > 0 ? frame.columns : FALLBACK_SIZE.columns;
  const rows = frame.rows > 0 ? frame.rows : FALLBACK_SIZE.rows;
  const prize = frame.prize === null ? 'Lucky draw' : printable(frame.prize);
  const total = frame.winners.length;
  const current = frame.rolling === undefined ? frame.winners[frame.shown - 1] : undefined;

  const title: Block = {
    lines: ['', style.bold.cyan(centre(`✦ ${prize} ✦`, columns))],
    priority: 5,
  };
  const subtitle =
    total === 0
      ? 'drawing…'
      : frame.rolling !== undefined
        ? `winner ${frame.shown + 1} of ${total}`
        : `winner ${frame.shown} of ${total}`;
  const counter: Block = { lines: [style.dim(centre(subtitle, columns)), ''], priority: 2 };
  const name = current ? printable(current.employee_name) : printable(frame.rolling ?? '');
  const main: Block = { lines: await nameBlock(name, columns, style, rows), priority: 4 };
  const detail = current
    ? [current.employee_id, current.department]
        .filter((part): part is string => Boolean(part))
        .map((part) => printable(part))
        .join(' · ')
    : '';
  const details: Block = {
    lines: detail ? ['', style.dim(centre(detail, columns))] : [],
    priority: 1,
  };
  const earlier = frame.winners.slice(0, Math.max(0, frame.shown - (current ? 1 : 0)));
  const list: Block = {
    lines:
      earlier.length > 0
        ? [
            '',
            style.dim(centre(`${plural(earlier.length, 'winner')} so far:`, columns)),
            ...earlier.map((winner, index) =>
              centre(`${index + 1}. ${printable(winner.employee_name)}`, columns),
            ),
          ]
        : [],
    priority: 0,
  };
  const help: Block = { lines: [style.dim(centre(frame.status, columns))], priority: 3 };
  const gone: Block = {
    lines:
      frame.forfeited.length > 0
        ? [
            style.dim(
              centre(
                `not present: ${frame.forfeited.map((name) => printable(name)).join(', ')}`,
                columns,
              ),
            ),
          ]
        : [],
    priority: 0,
  };

  const blocks = [title, counter, main, details, list, gone];
  // Too short a screen drops the least needed blocks first; the help line always stays last.
  const fits = () =>
    blocks.reduce((sum, block) => sum + block.lines.length, 0) + help.lines.length <= rows;
  for (const block of [...blocks].sort((a, b) => a.priority - b.priority)) {
    if (fits()) break;
    if (block === main)
      main.lines =
        main.lines.length > 1 ? [style.bold.yellow(centre(`★ ${name} ★`, columns))] : main.lines;
    else block.lines = [];
  }
  const body = blocks.flatMap((block) => block.lines).slice(0, Math.max(0, rows - 1));
  const gap = Math.max(0, rows - body.length - help.lines.length);
  const top = Math.min(Math.floor(gap / 3), gap);
  return [
    ...body.slice(0, 2),
    ...Array<string>(top).fill(''),
    ...body.slice(2),
    ...Array<string>(gap - top).fill(''),
    ...help.lines,
  ].slice(0, rows);
}
