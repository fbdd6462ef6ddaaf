import pMap from 'p-map';
import { forfeitsSince } from '../../core/forfeits';
import { LotteryError } from '../../core/errors';
import { buildRecord, type RecordedDraw } from '../../core/record-build';
import { verifyRecord } from '../../core/record-verify';
import { getCommitment, getSelectionRecords, listResets } from '../../aws/draws-table';
import { scanEmployees } from '../../aws/employees-table';
import { listForfeits } from '../../aws/event-records';
import { recentExecutions } from '../../aws/executions';
import type { CommandContext } from '../context';
import type { Session } from '../session';
import type { DrawsRecordOptions } from '../options';
import { succeededDraw } from '../past-draw';
import { writeUserFile } from '../files';
import { recordPage } from '../render/record-page';

/** Draws an event holds at most, as `verify --event` reads them. */
const EVENT_DRAWS = 10_000;

async function recordedDraw(session: Session, draw: string): Promise<RecordedDraw> {
  const { doc } = session.clients;
  const { result } = await succeededDraw(session, draw, 'record');
  const [records, commitment] = await Promise.all([
    getSelectionRecords(doc, session.config.drawsTable, result.draw_id),
    getCommitment(doc, session.config.drawsTable, result.draw_id),
  ]);
  const record = records.get(result.audit.attempt);
  if (!record)
    throw new LotteryError(
      'failed',
      `the draws table has no audit record of draw ${result.draw_id}`,
      { hint: 'check it with `lottery verify`' },
    );
  return { result, record, ...(commitment ? { commitment } : {}) };
}

/** The draws that succeeded since the last reset. */
async function eventDraws(session: Session, since: string): Promise<string[]> {
  const executions = await recentExecutions(
    await session.clients.sfn(),
    await session.stateMachineArn(),
    EVENT_DRAWS,
  );
  return executions
    .filter(
      (execution) =>
        execution.status === 'SUCCEEDED' &&
        execution.name !== undefined &&
        (execution.startDate?.toISOString() ?? '') > since,
    )
    .map((execution) => execution.name as string);
}

/**
 * `lottery draws record`: the record of some draws (or the event), as an HTML page that verifies
 * itself or as JSON. The employee table is read once, here, never on a draw's path.
 */
export async function drawsRecord(
  options: DrawsRecordOptions,
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  if (Boolean(options.event) === options.draws.length > 0)
    throw new LotteryError(
      'usage',
      options.event
        ? '--event records every draw since the last reset: name no draw'
        : 'say which draws to record, or use --event',
      { hint: 'e.g. lottery draws record draw-20261126-140106-5ab7 --out draw.html' },
    );
  if (!options.json && options.out === undefined)
    throw new LotteryError('usage', 'an HTML record goes to a file: say which with --out', {
      hint: 'or print the record as JSON with --json',
    });
  const session = await context.session();
  const { doc } = session.clients;
  const { drawsTable, employeeTable, winnersTable } = session.config;
  const resets = await listResets(doc, drawsTable);
  const since =
    resets
      .map((reset) => reset.at)
      .sort()
      .at(-1) ?? '';
  const ids = options.event ? await eventDraws(session, since) : options.draws;
  if (ids.length === 0)
    throw new LotteryError('failed', 'no draw has succeeded since the last reset', {
      hint: 'run a draw first',
    });
  const [draws, people, forfeits] = await Promise.all([
    pMap(ids, (id) => recordedDraw(session, id), { concurrency: 4 }),
    scanEmployees(doc, employeeTable),
    listForfeits(doc, drawsTable, winnersTable),
  ]);
  const prizes = [...new Set(draws.map((draw) => draw.record.prize ?? 'Prize draw'))];
  const record = buildRecord({
    title: options.event ? `The draws since ${since || 'the first'}` : prizes.join(', '),
    madeAt: new Date().toISOString(),
    draws,
    people,
    forfeits: forfeitsSince(forfeits, resets),
  });
  const verdict = verifyRecord(record);
  if (!verdict.ok) output.warn('the record does not verify: `lottery verify --record` says why');
  const text = options.json ? `${JSON.stringify(record)}\n` : await recordPage(record);
  if (options.out === undefined) {
    output.result(text.trimEnd());
    return;
  }
  await writeUserFile(options.out, text);
  output.info(
    `Wrote the record of ${draws.length} draw${draws.length === 1 ? '' : 's'} (${record.pool.count} people, ${Math.round(text.length / 1024)} KB) to ${options.out}.`,
  );
}
