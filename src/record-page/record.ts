import type { DrawRecordFile } from '../core/record-format';
import { lookUpPerson, verifyRecord, type RecordCheck } from '../core/record-verify';

// The record page's script (src/cli/render/record-page.ts bundles it inline): the verdict of each
// draw, computed here with the same verifier as `lottery verify --record`, and the id box.

const record = JSON.parse(
  document.getElementById('lottery-record')?.textContent ?? 'null',
) as DrawRecordFile;

function mark(check: { ok: boolean; warning?: boolean }): string {
  return !check.ok ? '✖' : check.warning ? '!' : '✔';
}

function fill(list: Element | null, checks: readonly RecordCheck[]): void {
  for (const check of checks) {
    const item = document.createElement('li');
    item.className = !check.ok ? 'bad' : check.warning ? 'warn' : 'ok';
    item.textContent = `${mark(check)} ${check.name}: ${check.detail}`;
    list?.append(item);
  }
}

function show(element: Element | null, ok: boolean, text: string): void {
  if (!element) return;
  element.textContent = text;
  element.className = `verdict ${ok ? 'ok' : 'bad'}`;
}

const started = performance.now();
const verdict = verifyRecord(record);
const failed = (checks: readonly RecordCheck[]) => checks.find((check) => !check.ok);
verdict.draws.forEach((draw, index) => {
  const reason = failed(draw.checks);
  show(
    document.querySelector(`[data-verdict="${index}"]`),
    draw.ok,
    draw.ok ? '✔ this draw verifies' : `✖ does not verify: ${reason?.name}: ${reason?.detail}`,
  );
  fill(document.querySelector(`[data-checks="${index}"]`), draw.checks);
});
const recordFailure = failed(verdict.checks);
show(
  document.getElementById('record-verdict'),
  verdict.ok,
  verdict.ok
    ? `✔ every draw verifies (checked in this browser in ${Math.round(performance.now() - started)} ms)`
    : `✖ this record does not verify${recordFailure ? `: ${recordFailure.name}: ${recordFailure.detail}` : ''}`,
);
fill(document.getElementById('record-checks'), verdict.checks);
document.body.dataset.verified = verdict.ok ? 'yes' : 'no';

const WORDS = {
  won: 'won',
  forfeited: 'won, then forfeited',
  excluded: 'was excluded from the event',
  'could not win': 'could not win (had won already, forfeited, or was held by another draw)',
  entered: 'was in the draw and did not win',
} as const;

document.getElementById('idbox')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = (document.getElementById('employee-id') as HTMLInputElement).value;
  const answer = document.getElementById('answer');
  if (!answer || id.trim() === '') return;
  const person = lookUpPerson(record, id);
  answer.textContent = person.inPool
    ? `${id.trim()} is in the pool (serial ${person.serial}, ${person.tickets} ticket${person.tickets === 1 ? '' : 's'}). ` +
      person.draws.map((draw) => `${draw.prize ?? draw.draw_id}: ${WORDS[draw.status]}.`).join(' ')
    : `${id.trim()} is not in the pool of this record.`;
  answer.dataset.status = person.inPool
    ? person.draws.map((draw) => draw.status).join(',')
    : 'unknown';
});
