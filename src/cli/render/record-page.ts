import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LotteryError } from '../../core/errors';
import type { DrawRecordFile, RecordDraw } from '../../core/record-format';
import { packageRoot } from '../package-root';

// The record as one HTML page: everything a reader needs is written here, escaped; the verdicts
// and the id box are the page's script (src/record-page/record.ts, the same verifier the CLI runs),
// inline, with the record as inline JSON. No network, no file beside it.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Names are user input: everything shown is escaped. */
export const escapeHtml = (text: unknown) =>
  String(text).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** The id of the element holding the record's JSON: `verify --record` reads only that. */
export const RECORD_ELEMENT = 'lottery-record';

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
code{font-size:.85em;word-break:break-all}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{color:#666}.verdict{font-weight:600;font-size:1.1rem}.ok{color:#0a7d32}.bad{color:#b00020}.warn{color:#8a6100}
ol.winners li{margin:.1rem 0}.checks{font-size:.9em;color:#444}#idbox{background:#f4f6f8;padding:1rem;border-radius:6px}
#answer{margin-top:.5rem}`;

function beaconRows(draw: RecordDraw): string {
  if (!draw.beacon) return '';
  const { commitment, commitment_digest, round } = draw.beacon;
  return `<dt>Commitment</dt><dd><code>${escapeHtml(commitment_digest)}</code>, made ${escapeHtml(commitment.committed_at)}</dd>
<dt>drand round</dt><dd>${escapeHtml(round.round)} of chain <code>${escapeHtml(commitment.chain.hash)}</code>, due ${escapeHtml(commitment.round_time)}</dd>`;
}

function drawSection(record: DrawRecordFile, draw: RecordDraw, index: number): string {
  const forfeited = record.forfeits.filter((forfeit) => forfeit.draw_id === draw.draw_id);
  const winners = draw.winners
    .map((winner) => {
      const gone = forfeited.find((forfeit) => forfeit.employee_id === winner.employee_id);
      const note = gone
        ? ` — forfeited ${escapeHtml(gone.forfeited_at)}: ${escapeHtml(gone.reason)}`
        : '';
      return `<li>${escapeHtml(winner.employee_name)} <small>(${escapeHtml(winner.employee_id)}, serial ${escapeHtml(winner.lottery_serial)})</small>${note}</li>`;
    })
    .join('\n');
  const replaces = draw.replaces
    ? `<dt>Replaces</dt><dd>${escapeHtml(draw.replaces.employee_id)} of ${escapeHtml(draw.replaces.draw_id)}</dd>`
    : '';
  return `<section class="draw" data-index="${index}">
<h2>${escapeHtml(draw.prize ?? 'Prize draw')} <small>${escapeHtml(draw.draw_id)}</small></h2>
<p class="verdict" data-verdict="${index}">… checking</p>
<dl>
<dt>Drawn</dt><dd>${escapeHtml(draw.selected_at)} (recorded ${escapeHtml(draw.recorded_at)})</dd>
${replaces}${beaconRows(draw)}
<dt>Seed</dt><dd><code>${escapeHtml(draw.seed)}</code> (${escapeHtml(draw.seed_source)})</dd>
<dt>Algorithm</dt><dd>${escapeHtml(draw.algorithm)}, attempt ${escapeHtml(draw.attempt)}</dd>
<dt>Pool</dt><dd>${escapeHtml(draw.members.count)} people; ${escapeHtml(draw.excluded.length)} could not win (${escapeHtml(draw.event_excluded.length)} excluded from the event)</dd>
</dl>
<h3>Winners, in the order drawn</h3>
<ol class="winners">${winners}</ol>
<ul class="checks" data-checks="${index}"></ul>
</section>`;
}

function forfeitsSection(record: DrawRecordFile): string {
  if (record.forfeits.length === 0) return '<h2>Forfeits</h2><p>None.</p>';
  const items = record.forfeits
    .map(
      (forfeit) =>
        `<li>${escapeHtml(forfeit.employee_name)} (${escapeHtml(forfeit.employee_id)}) gave up ${escapeHtml(forfeit.prize ?? 'a win')} of ${escapeHtml(forfeit.draw_id)} at ${escapeHtml(forfeit.forfeited_at)}: ${escapeHtml(forfeit.reason)}; replaced by ${escapeHtml(forfeit.replacement_draw_id)}</li>`,
    )
    .join('\n');
  return `<h2>Forfeits</h2><ul>${items}</ul>`;
}

async function pageScript(): Promise<string> {
  const path = join(packageRoot(), 'dist', 'record-page', 'record.js');
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new LotteryError('environment', `the record page's verifier is missing (${path})`, {
      hint: 'build the package with `npm run build`',
      cause: error,
    });
  }
}

export async function recordPage(record: DrawRecordFile): Promise<string> {
  const json = JSON.stringify(record).replace(/</g, '\\u003c');
  const script = (await pageScript()).replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(record.title)} — draw record</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(record.title)}</h1>
<p>A record of ${record.draws.length} draw${record.draws.length === 1 ? '' : 's'}, made ${escapeHtml(record.made_at)}. Only the winners are named: everyone else in the pool of ${escapeHtml(record.pool.count)} is a salted hash of their employee id. This page checks every draw below itself, offline; to check it without trusting this page's code, run <code>lottery verify --record FILE</code>.</p>
<p id="record-verdict" class="verdict">… checking</p>
<ul class="checks" id="record-checks"></ul>
<form id="idbox"><label>Your employee id: <input id="employee-id" autocomplete="off"></label> <button>Look up</button>
<div id="answer" aria-live="polite"></div></form>
${record.draws.map((draw, index) => drawSection(record, draw, index)).join('\n')}
${forfeitsSection(record)}
<script type="application/json" id="${RECORD_ELEMENT}">${json}</script>
<script>${script}</script>
</body></html>
`;
}

/** The record inside a page (or a JSON file): its data only, never its code. */
export function recordText(text: string): string {
  const start = text.indexOf(`<script type="application/json" id="${RECORD_ELEMENT}">`);
  if (start < 0) return text;
  const from = text.indexOf('>', start) + 1;
  const end = text.indexOf('</script>', from);
  return end < 0 ? '' : text.slice(from, end);
}
