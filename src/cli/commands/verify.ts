import { LotteryError } from '../../core/errors';
import { SHUFFLE_ALGORITHM, type CandidateSpace } from '../../core/selection';
import type { DrawResult } from '../../core/draw';
import type { SelectionRecord } from '../../core/audit';
import { digestedForm, type BeaconCommitment } from '../../core/beacon';
import { forfeitsSince } from '../../core/forfeits';
import {
  unsucceededVerdict,
  verifyDraw,
  type Verification,
  type VerifyEvidence,
} from '../../core/verify';
import { verifyEvent, type EventVerification } from '../../core/verify-event';
import pMap from 'p-map';
import { listExclusionVersions, listForfeits } from '../../aws/event-records';
import type { Session } from '../session';
import { STATES } from '../../core/names';
import {
  getCommitment,
  getPoolStats,
  getSelectionRecords,
  listResets,
  listRollbacks,
} from '../../aws/draws-table';
import { executionHistory, recentExecutions } from '../../aws/executions';
import { employeesBySerial, getEmployees } from '../../aws/employees-table';
import { rowsOfDraw } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { drawResultOf, pastDraw, succeededDraw } from '../past-draw';
import type { VerifyOptions } from '../options';
import { cannotRead, writeUserFile } from '../files';
import { readFile } from 'node:fs/promises';
import { printable } from '../../core/printable';
import { verifyRecord, type RecordCheck } from '../../core/record-verify';
import type { DrawRecordFile } from '../../core/record-format';
import { recordText } from '../render/record-page';

/**
 * The candidates in the shape docs/fairness.md's check-by-hand script reads: for a v3 draw also T
 * and who the draw found at each serial it looked up, with their tickets (compare with
 * `employees list`).
 */
export function candidatesFile(space: CandidateSpace, record: SelectionRecord): string {
  const body =
    space.mode === 'serial-space'
      ? { mode: space.mode, serial_space: space.serialSpace, excluded: space.excluded }
      : { mode: space.mode, serials: space.serials };
  if (record.algorithm === SHUFFLE_ALGORITHM) return `${JSON.stringify(body)}\n`;
  const people = Object.fromEntries(
    record.candidates.flatMap((candidate) =>
      candidate.employee_id === undefined
        ? []
        : [
            [
              String(candidate.serial),
              {
                employee_id: candidate.employee_id,
                tickets: candidate.tickets ?? 1,
                ...(candidate.skipped === 'taken' ? { taken: true } : {}),
              },
            ],
          ],
    ),
  );
  return `${JSON.stringify({ algorithm: record.algorithm, ...body, max_tickets: record.pool.max_tickets, people })}\n`;
}

/** When Step Functions recorded the end of a beacon draw's Commit Draw, by its own clock. */
async function whenCommitmentRecorded(
  session: Awaited<ReturnType<CommandContext['session']>>,
  executionArn: string,
): Promise<Date | undefined> {
  const events = await executionHistory(await session.clients.sfn(), executionArn);
  return events.find(
    (event) =>
      event.type === 'TaskStateExited' && event.stateExitedEventDetails?.name === STATES.commit,
  )?.timestamp;
}

/**
 * A draw that did not succeed: what it left in the winners table, or what was taken back since.
 * Exit 1, as for a draw that does not verify.
 */
async function verifyUnsucceeded(
  options: VerifyOptions,
  context: CommandContext,
  drawId: string,
  status: string,
): Promise<never> {
  const { doc } = (await context.session()).clients;
  const [rows, rollbacks] = await Promise.all([
    rowsOfDraw(doc, context.config.winnersTable, drawId),
    listRollbacks(doc, context.config.drawsTable, drawId),
  ]);
  const verdict = unsucceededVerdict({ drawId, status, rows, rollbacks });
  if (options.json)
    context.output.json({
      draw_id: drawId,
      ok: false,
      status,
      recorded: verdict.recorded,
      held: verdict.held,
      taken_back: verdict.takenBack,
    });
  throw new LotteryError('failed', verdict.message, {
    hint: verdict.hint,
    reported: Boolean(options.json),
  });
}

/**
 * The exclusions and forfeits the backend keeps, and for a replacement draw the draw it replaced
 * (a draw that cannot be read is left out: the forfeit check then says less).
 */
async function eventEvidence(
  session: Session,
  result: DrawResult,
  record: SelectionRecord | undefined,
): Promise<Pick<VerifyEvidence, 'exclusions' | 'forfeits' | 'replaced'>> {
  const { doc } = session.clients;
  const { drawsTable, employeeTable, winnersTable } = session.config;
  const [exclusions, forfeits, replaced] = await Promise.all([
    listExclusionVersions(doc, drawsTable, employeeTable, record?.pool.exclusions?.version ?? 0),
    listForfeits(doc, drawsTable, winnersTable),
    result.replaces
      ? succeededDraw(session, result.replaces.draw_id, 'check').then(
          (draw) => draw.result,
          () => undefined,
        )
      : undefined,
  ]);
  return { exclusions, forfeits, ...(replaced ? { replaced } : {}) };
}

/** What a draw recorded, gathered and recomputed. */
interface CheckedDraw {
  result: DrawResult;
  record?: SelectionRecord;
  verification: Verification;
  startedAt?: Date;
  commitment?: BeaconCommitment;
}

type PastDraw = Awaited<ReturnType<typeof pastDraw>>;

/** Reads what a draw that succeeded recorded and the tables as they are now, and recomputes it. */
async function checkDraw(session: Session, draw: string, past: PastDraw): Promise<CheckedDraw> {
  const { doc } = session.clients;
  const config = session.config;
  const { executionArn, execution } = past;
  const input = execution.input ?? '';
  const result = drawResultOf(draw, execution.output);
  const startedAt = execution.startDate;
  const [records, rows, resets, stats, commitment, commitmentSeenAt] = await Promise.all([
    getSelectionRecords(doc, config.drawsTable, result.draw_id),
    rowsOfDraw(doc, config.winnersTable, result.draw_id),
    listResets(doc, config.drawsTable),
    getPoolStats(doc, config.drawsTable, config.employeeTable),
    getCommitment(doc, config.drawsTable, result.draw_id),
    result.audit.seed_source === 'beacon'
      ? whenCommitmentRecorded(session, executionArn)
      : undefined,
  ]);
  const record = records.get(result.audit.attempt);
  const [peopleBySerial, winnersNow, event] = await Promise.all([
    employeesBySerial(
      doc,
      config.employeeTable,
      record?.candidates.map((candidate) => candidate.serial) ?? [],
    ),
    getEmployees(
      doc,
      config.employeeTable,
      result.winners.map((winner) => winner.employee_id),
    ),
    eventEvidence(session, result, record),
  ]);
  const verification = verifyDraw({
    input,
    result,
    records,
    rows,
    resets,
    peopleBySerial,
    winnersNow: new Map(winnersNow.map((employee) => [employee.employee_id, employee])),
    statsVersion: stats?.version,
    commitment,
    commitmentSeenAt,
    ...event,
    ...(startedAt ? { startedAt } : {}),
  });
  return {
    result,
    verification,
    ...(record ? { record } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(commitment ? { commitment } : {}),
  };
}

function mark(context: CommandContext, check: { ok: boolean; warning?: boolean }): string {
  const style = context.output.out;
  return !check.ok ? style.red('✖') : check.warning ? style.yellow('!') : style.green('✔');
}

/**
 * Collects what a draw recorded and recomputes it (with --event, every draw since the last reset):
 * exit 0 when it holds, 1 when it does not.
 */
export async function verify(options: VerifyOptions, context: CommandContext): Promise<void> {
  if (options.record !== undefined) {
    if (options.draw !== undefined || options.event || options.savePool !== undefined)
      throw new LotteryError(
        'usage',
        '--record checks the draws the file holds: leave out the draw, --event and --save-pool',
        { hint: 'e.g. lottery verify --record party.html' },
      );
    return verifyRecordFile(options.record, options, context);
  }
  if (options.event) {
    if (options.draw !== undefined || options.savePool !== undefined)
      throw new LotteryError(
        'usage',
        '--event checks every draw since the last reset: leave out the draw and --save-pool',
        { hint: 'check one draw with `lottery verify DRAW`' },
      );
    return verifyEventCommand(options, context);
  }
  if (options.draw === undefined)
    throw new LotteryError('usage', 'say which draw to check, or check them all with --event', {
      hint: 'e.g. lottery verify draw-20261126-140106-5ab7',
    });
  const { output } = context;
  const session = await context.session();
  const past = await pastDraw(session, options.draw);
  if (past.execution.status !== 'SUCCEEDED')
    return verifyUnsucceeded(
      options,
      context,
      past.execution.name ?? options.draw,
      past.execution.status ?? 'FAILED',
    );
  const { result, record, verification, commitment } = await checkDraw(session, options.draw, past);
  if (options.savePool && verification.space && record) {
    await writeUserFile(options.savePool, candidatesFile(verification.space, record));
    output.info(`Wrote the draw's candidates to ${options.savePool}.`);
  }

  if (options.json) {
    output.json({
      draw_id: result.draw_id,
      ok: verification.ok,
      checks: verification.checks,
      recomputed: verification.recomputed ?? null,
      candidates: record?.candidates ?? null,
      // For checking a beacon draw by hand (docs/beacon.md): what it committed to, and the round
      // it used. Its digest is SHA-256 of this form's canonical JSON (src/core/beacon.ts).
      ...(commitment
        ? { commitment: digestedForm(commitment), round: record?.beacon ?? null }
        : {}),
    });
  } else {
    const prize = result.prize ? ` (${result.prize})` : '';
    output.result(`Draw ${result.draw_id}${prize}, recorded ${result.recorded_at}`);
    for (const check of verification.checks)
      output.result(`  ${mark(context, check)} ${check.name.padEnd(10)} ${check.detail}`);
  }
  if (!verification.ok)
    throw new LotteryError('failed', `draw ${result.draw_id} does not verify`, {
      reported: Boolean(options.json),
    });
  if (!options.json) output.result(output.out.green(`Draw ${result.draw_id} verifies.`));
}

/** Draws the event holds at most: far above any party's, and a bound on what is read. */
const EVENT_DRAWS = 10_000;

/**
 * `verify --event`: every draw that succeeded since the last reset, then the event as a whole and
 * every forfeit, with its reason and what became of its replacement.
 */
async function verifyEventCommand(options: VerifyOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const session = await context.session();
  const { doc } = session.clients;
  const sfn = await session.clients.sfn();
  const [executions, resets, forfeits] = await Promise.all([
    recentExecutions(sfn, await session.stateMachineArn(), EVENT_DRAWS),
    listResets(doc, session.config.drawsTable),
    listForfeits(doc, session.config.drawsTable, session.config.winnersTable),
  ]);
  const since =
    resets
      .map((reset) => reset.at)
      .sort()
      .at(-1) ?? '';
  const inEvent = executions.filter(
    (execution) => (execution.startDate?.toISOString() ?? '') > since,
  );
  const checked = await pMap(
    inEvent.filter((execution) => execution.status === 'SUCCEEDED' && execution.name),
    async (execution) => {
      const draw = execution.name as string;
      return checkDraw(session, draw, await pastDraw(session, draw));
    },
    { concurrency: 4 },
  );
  const statuses = new Map(inEvent.map((execution) => [execution.name, execution.status]));
  const event = verifyEvent(
    checked.map((draw) => ({ ...draw, startedAt: draw.startedAt ?? new Date(0) })),
    forfeitsSince(forfeits, resets).map((forfeit) => ({
      forfeit,
      ...(statuses.has(forfeit.replacement_draw_id)
        ? { replacementStatus: statuses.get(forfeit.replacement_draw_id) }
        : {}),
    })),
  );
  if (options.json) output.json(event);
  else printEvent(context, event, since);
  if (!event.ok)
    throw new LotteryError('failed', 'the event does not verify', {
      reported: Boolean(options.json),
    });
  if (!options.json) output.result(output.out.green('The event verifies.'));
}

function printEvent(context: CommandContext, event: EventVerification, since: string): void {
  const { output } = context;
  output.result(
    `Event: ${event.draws.length} draw${event.draws.length === 1 ? '' : 's'} ${since ? `since the reset of ${since}` : 'since the first'}`,
  );
  for (const draw of event.draws) {
    output.result(
      `  ${mark(context, draw)} ${draw.draw_id}${draw.prize ? ` (${draw.prize})` : ''}`,
    );
    for (const check of draw.failed) output.result(`      ✖ ${check.name}: ${check.detail}`);
  }
  output.result(`Forfeits: ${event.forfeits.length === 0 ? 'none' : event.forfeits.length}`);
  for (const forfeit of event.forfeits)
    output.result(`  ${mark(context, forfeit)} ${forfeit.detail}`);
  for (const check of event.checks)
    output.result(`  ${mark(context, check)} ${check.name.padEnd(10)} ${check.detail}`);
}

/**
 * `verify --record`: a record file checked by this program's verifier, with no backend. The
 * file's own script is never run: only its JSON is read.
 */
async function verifyRecordFile(
  file: string,
  options: VerifyOptions,
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw cannotRead(file, error, 'pass a record written by `lottery draws record`');
  }
  let record: DrawRecordFile;
  try {
    record = JSON.parse(recordText(text)) as DrawRecordFile;
  } catch (error) {
    throw new LotteryError(
      'usage',
      `${file} holds no record that can be read: ${(error as Error).message}`,
      { hint: 'pass a record written by `lottery draws record` (HTML or JSON)', cause: error },
    );
  }
  const verdict = verifyRecord(record);
  if (options.json) output.json(verdict);
  else {
    // Whoever handed out the file wrote all of it: nothing of it may act on the terminal.
    const line = (indent: string, check: RecordCheck) =>
      `${indent}${mark(context, check)} ${check.name.padEnd(10)} ${printable(check.detail)}`;
    output.result(printable(`Record ${file}: ${record.title ?? ''}`));
    for (const check of verdict.checks) output.result(line('  ', check));
    for (const draw of verdict.draws) {
      const prize = draw.prize ? ` (${draw.prize})` : '';
      output.result(`  ${mark(context, draw)} ${printable(`${draw.draw_id}${prize}`)}`);
      for (const check of draw.checks) output.result(line('      ', check));
    }
  }
  if (!verdict.ok)
    throw new LotteryError('failed', `the record ${file} does not verify`, {
      reported: Boolean(options.json),
    });
  if (!options.json) output.result(output.out.green('The record verifies.'));
}
