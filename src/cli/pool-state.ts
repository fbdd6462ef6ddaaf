import { SETTINGS } from '../core/config';
import { LotteryError } from '../core/errors';
import { classifyCallError, describeFailure } from '../core/failures';
import { STACK_OUTPUTS } from '../core/names';
import type { PoolTables } from '../aws/pool-state';
import type { Session } from './session';

export const poolTables = (session: Session): PoolTables => ({
  draws: session.config.drawsTable,
  employees: session.config.employeeTable,
});

/**
 * A stack made the workshop's way has no Lottery-Draws: DynamoDB says only "Requested resource
 * not found", without a name. The error names the table a call was about, and the fix.
 */
export async function withTableNamed<T>(table: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (classifyCallError(describeFailure(error)) !== 'not-found') throw error;
    throw new LotteryError(
      'environment',
      `table ${table} does not exist: the lottery keeps the pool's statistics, ` +
        "the draws' audit records and the prize plan there",
      {
        hint:
          'deploy the stack with `lottery deploy` (docs/aws.md), which creates it; ' +
          `or set ${SETTINGS.drawsTable.env} (or "drawsTable" in a config file) ` +
          `to the stack's ${STACK_OUTPUTS.drawsTable} output`,
        cause: error,
      },
    );
  }
}

const listed = (serials: readonly number[]) =>
  serials.length > 5
    ? `${serials.slice(0, 5).join(', ')} and ${serials.length - 5} more`
    : serials.join(', ');

/** Two seeds at once gave the same serial in their files: say so, once both are written. */
export function repeatedSerialsError(repeated: readonly number[]): LotteryError {
  const which =
    repeated.length === 1 ? `serial ${repeated[0]} is` : `serials ${listed(repeated)} are`;
  return new LotteryError(
    'failed',
    `${which} held by more than one person: ` +
      'another seed gave the same serial to someone else at the same time',
    {
      hint:
        '`lottery doctor` names them; give each a serial of their own ' +
        '(or none, to have one assigned) and seed again',
    },
  );
}
