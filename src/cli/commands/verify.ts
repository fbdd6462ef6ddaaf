import { readFile, writeFile } from 'node:fs/promises';
import { LotteryError } from '../../core/errors';
import { rebuildPool, verifyDraw } from '../../core/verify';
import { scanEmployees } from '../../aws/employees-table';
import { scanWinners } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { cannotRead } from '../files';
import { succeededDraw } from '../past-draw';
import type { VerifyOptions } from '../program';

async function readPoolFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw cannotRead(path, error, 'the pool file holds one employee id per line (`lottery verify DRAW --save-pool FILE` writes one)');
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
  const { result } = await succeededDraw(session, draw, 'check');
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
