import { LotteryError } from '../../core/errors';
import type { CandidateSpace } from '../../core/selection';
import { unsucceededVerdict, verifyDraw } from '../../core/verify';
import { STATES } from '../../core/names';
import {
  getCommitment,
  getPoolStats,
  getSelectionRecords,
  listResets,
  listRollbacks,
} from '../../aws/draws-table';
import { executionHistory } from '../../aws/executions';
import { employeesBySerial, getEmployees } from '../../aws/employees-table';
import { rowsOfDraw } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { drawResultOf, pastDraw } from '../past-draw';
import type { VerifyOptions } from '../options';
import { writeUserFile } from '../files';

/** The candidates in the shape docs/fairness.md's check-by-hand script reads. */
export function candidatesFile(space: CandidateSpace): string {
  const body =
    space.mode === 'serial-space'
      ? { mode: space.mode, serial_space: space.serialSpace, excluded: space.excluded }
      : { mode: space.mode, serials: space.serials };
  return `${JSON.stringify(body)}\n`;
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

/** Collects what a draw recorded and recomputes it: exit 0 when it holds, 1 when it does not. */
export async function verify(options: VerifyOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const session = await context.session();
  const { doc } = session.clients;
  const past = await pastDraw(session, options.draw);
  if (past.execution.status !== 'SUCCEEDED')
    return verifyUnsucceeded(
      options,
      context,
      past.execution.name ?? options.draw,
      past.execution.status ?? 'FAILED',
    );
  const { executionArn } = past;
  const input = past.execution.input ?? '';
  const result = drawResultOf(options.draw, past.execution.output);
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
  const [peopleBySerial, winnersNow] = await Promise.all([
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
  });
  if (options.savePool && verification.space) {
    await writeUserFile(options.savePool, candidatesFile(verification.space));
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
      // it used.
      ...(commitment ? { commitment, round: record?.beacon ?? null } : {}),
    });
  } else {
    const style = output.out;
    const prize = result.prize ? ` (${result.prize})` : '';
    output.result(`Draw ${result.draw_id}${prize}, recorded ${result.recorded_at}`);
    for (const check of verification.checks) {
      const mark = !check.ok
        ? style.red('✖')
        : check.warning
          ? style.yellow('!')
          : style.green('✔');
      output.result(`  ${mark} ${check.name.padEnd(10)} ${check.detail}`);
    }
  }
  if (!verification.ok)
    throw new LotteryError('failed', `draw ${result.draw_id} does not verify`, {
      reported: Boolean(options.json),
    });
  if (!options.json) output.result(output.out.green(`Draw ${result.draw_id} verifies.`));
}
