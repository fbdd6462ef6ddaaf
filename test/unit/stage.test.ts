import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { WinnerDetail } from '../../src/core/draw';
import { FALLBACK_SIZE, fitWidth, renderStage, type StageFrame } from '../../src/cli/render/stage';

const plain = new Chalk({ level: 0 });
const winners: WinnerDetail[] = [
  { employee_id: 'E1', employee_name: 'Rose Tyler', department: 'Sales' },
  { employee_id: 'E2', employee_name: '李雷', department: '研发' },
];
const frame = (changes: Partial<StageFrame>): StageFrame => ({
  columns: 80,
  rows: 24,
  prize: 'First prize',
  winners: [],
  shown: 0,
  forfeited: [],
  status: 'q: leave',
  ...changes,
});
const widest = (lines: string[]) => Math.max(...lines.map((line) => stringWidth(line)));

describe('renderStage', () => {
  it('fills the screen exactly: the prize on top, the name in large letters, the help line at the bottom', async () => {
    const lines = await renderStage(frame({ winners, shown: 1 }), plain);
    expect(lines).toHaveLength(24);
    expect(lines[1]?.trim()).toBe('✦ First prize ✦');
    expect(lines.at(-1)?.trim()).toBe('q: leave');
    expect(lines.filter((line) => /[|/\\_]{2,}/.test(line)).length).toBeGreaterThanOrEqual(4);
    expect(lines.some((line) => line.includes('E1 · Sales'))).toBe(true);
    expect(widest(lines)).toBeLessThanOrEqual(80);
  });

  it('keeps CJK names within the width, counting two columns a character, and lists earlier winners', async () => {
    const lines = await renderStage(frame({ columns: 20, rows: 14, winners, shown: 2 }), plain);
    expect(lines).toHaveLength(14);
    expect(widest(lines)).toBeLessThanOrEqual(20);
    expect(lines.some((line) => line.includes('★ 李雷 ★'))).toBe(true);
    expect(lines.some((line) => line.includes('1. Rose Tyler'))).toBe(true);
  });

  it('draws a 40-column screen with plain names where large letters do not fit, and a short screen without overflowing', async () => {
    const long = [
      { employee_id: 'E3', employee_name: 'Maximiliano Alessandro Bartholomew-Fitzgerald' },
    ];
    const narrow = await renderStage(frame({ columns: 40, winners: long, shown: 1 }), plain);
    expect(widest(narrow)).toBeLessThanOrEqual(40);
    expect(narrow.some((line) => line.includes('★ Maximiliano'))).toBe(true);
    const short = await renderStage(frame({ rows: 5, winners, shown: 2 }), plain);
    expect(short).toHaveLength(5);
    expect(short.at(-1)?.trim()).toBe('q: leave');
  });

  it('draws a terminal that reports 0×0 at the fallback size instead of dividing by zero', async () => {
    const lines = await renderStage(frame({ columns: 0, rows: 0, rolling: 'Rose Tyler' }), plain);
    expect(lines).toHaveLength(FALLBACK_SIZE.rows);
    expect(widest(lines)).toBeLessThanOrEqual(FALLBACK_SIZE.columns);
    expect(lines.join('\n')).not.toContain('NaN');
  });

  it('shows control characters in names and prizes as escapes, never raw', async () => {
    const lines = await renderStage(
      frame({
        columns: 40,
        prize: 'Prize\u001b]0;pwned\u0007',
        winners: [{ employee_id: 'E9', employee_name: 'Eve\u001b[2J' }],
        shown: 1,
      }),
      plain,
    );
    const text = lines.join('\n');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('Prize\\x1B]0;pwned\\x07');
    expect(text).toContain('Eve\\x1B[2J');
  });
});

describe('fitWidth', () => {
  it('cuts by terminal columns, not characters, and marks the cut', () => {
    expect(fitWidth('李雷韩梅梅', 6)).toBe('李雷…');
    expect(fitWidth('Rose', 4)).toBe('Rose');
    expect(fitWidth('Rose', 0)).toBe('');
  });
});

describe('a winner who forfeited on the show', () => {
  it('is named below the winners as not present, and the replacement takes their place', async () => {
    const lines = await renderStage(
      frame({
        winners: [winners[0]!, { employee_id: 'E3', employee_name: 'Martha Jones' }],
        shown: 2,
        forfeited: ['Mickey Smith'],
      }),
      plain,
    );
    const text = lines.join('\n');
    expect(text).toContain('1. Rose Tyler');
    expect(text).toContain('not present: Mickey Smith');
    expect(text).not.toContain('2. Mickey Smith');
  });

  it('drops the line first when the screen is short', async () => {
    const lines = await renderStage(
      frame({ rows: 6, winners, shown: 2, forfeited: ['Mickey Smith'] }),
      plain,
    );
    expect(lines.join('\n')).not.toContain('not present');
    expect(lines).toHaveLength(6);
  });
});
