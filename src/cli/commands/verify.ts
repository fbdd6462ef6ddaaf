import { readFile, writeFile } from 'node:fs/promises';
import type { DrawResult } from '../../core/draw';
import { LotteryError } from '../../core/errors';
import { rebuildPool, verifyDraw } from '../../core/verify';
import { scanEmployees } from '../../aws/employees-table';
import { describeExecution, executionArnFor } from '../../aws/executions';
import { scanWinners } from '../../aws/winners-table';
import type { CommandContext } from '../context';

export interface VerifyOptions {
  /** The draw id (execution name) or execution ARN. */
  draw: string;
  pool?: string;
  savePool?: string;
  json?: boolean;
}

async function readPoolFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new LotteryError('usage', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Collects what a draw recorded and recomputes it: exit 0 when it holds, 1 when it does not. */
export async function verify(options: VerifyOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const { draw } = options;
  const session = await context.session();
  const executionArn = executionArnFor(await session.stateMachineArn(), draw);
  const execution = await describeExecution(session.clients.sfn, executionArn).catch((error: unknown) => {
    if ((error as Error).name === 'ExecutionDoesNotExist') throw new LotteryError('usage', `there is no draw ${draw}`, 'see the draw ids with `lottery winners list`');
    throw error;
  });
  if (execution.status !== 'SUCCEEDED') {
    throw new LotteryError('failed', `draw ${draw} did not succeed (${execution.status}): it has no winners to check`);
  }
  const result = JSON.parse(execution.output ?? '{}') as DrawResult;
  const records = await scanWinners(session.clients.doc, config.winnersTable);
  const [pool, poolSource] = options.pool
    ? [await readPoolFile(options.pool), `from ${options.pool}`]
    : [rebuildPool(result, (await scanEmployees(session.clients.doc, config.employeeTable)).map((employee) => employee.employee_id), records), 'rebuilt from the tables'];
  const verification = verifyDraw(result, pool, poolSource, records);
  if (options.savePool) {
    await writeFile(options.savePool, verification.pool.map((id) => `${id}\n`).join(''));
    output.info(`Wrote the ${verification.pool.length} ids of the pool to ${options.savePool}.`);
  }

  if (options.json) {
    output.json({ draw_id: result.draw_id, ok: verification.ok, checks: verification.checks, recomputed: verification.recomputed ?? null });
  } else {
    const style = output.out;
    output.result(`Draw ${result.draw_id}${result.prize ? ` (${result.prize})` : ''}, recorded ${result.recorded_at}`);
    for (const check of verification.checks) {
      const mark = !check.ok ? style.red('✖') : check.warning ? style.yellow('!') : style.green('✔');
      output.result(`  ${mark} ${check.name.padEnd(10)} ${check.detail}`);
    }
  }
  if (!verification.ok) {
    const poolFailed = verification.checks.some((check) => check.name === 'pool' && !check.ok);
    throw new LotteryError(
      'failed',
      `draw ${result.draw_id} does not verify`,
      poolFailed ? 'if employees or winners changed since the draw, or it ran alongside other draws, pass the pool it drew from with --pool FILE (one employee id per line)' : undefined,
    );
  }
  if (!options.json) output.result(output.out.green(`Draw ${result.draw_id} verifies.`));
}
