import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { releasePrize, type PrizePlan } from '../core/prizes';
import { backoffMs, isConditionalCheckFailed, sleep } from './dynamo';

// The prize plan is one item of Lottery-Draws (pk "plan", sk the winners table it counts winners
// in, as the pool's statistics are kept per employee table). One item, so that loading, clearing
// or resetting a plan is one write — DynamoDB Local and dynalite have no transactions — and every
// change is conditional on the version read: two draws reserving the last winners of a prize at
// once cannot both succeed.

const planKey = (winnersTable: string) => ({ pk: 'plan', sk: winnersTable });

/**
 * Conflicting writers retry with backoff; a few dozen operators at one party are far below this.
 */
const PLAN_WRITE_ATTEMPTS = 25;

export async function getPrizePlan(
  doc: DynamoDBDocumentClient,
  table: string,
  winnersTable: string,
): Promise<PrizePlan | undefined> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: planKey(winnersTable), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { version, updated_at, prizes } = Item as PrizePlan;
  return { version, updated_at, prizes };
}

const versionCondition = (previous: PrizePlan | undefined) =>
  previous
    ? {
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': previous.version },
      }
    : { ConditionExpression: 'attribute_not_exists(pk)' };

/**
 * A change to the plan: the plan to write (null: remove it; undefined: write nothing) and what to
 * return.
 */
export interface PlanChange<T> {
  next?: PrizePlan | null;
  value: T;
}

/**
 * Reads the plan, lets `change` decide, and writes the result on the condition that nobody wrote
 * the plan meanwhile; if somebody did, reads it again and decides again.
 */
export async function changePrizePlan<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  winnersTable: string,
  change: (plan: PrizePlan | undefined) => Promise<PlanChange<T>>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const plan = await getPrizePlan(doc, table, winnersTable);
    const { next, value } = await change(plan);
    if (next === undefined) return value;
    try {
      if (next === null) {
        if (plan)
          await doc.send(
            new DeleteCommand({
              TableName: table,
              Key: planKey(winnersTable),
              ...versionCondition(plan),
            }),
          );
      } else {
        await doc.send(
          new PutCommand({
            TableName: table,
            Item: { ...planKey(winnersTable), ...next },
            ...versionCondition(plan),
          }),
        );
      }
      return value;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if (attempt + 1 >= PLAN_WRITE_ATTEMPTS)
        throw new Error(
          `the prize plan in ${table} kept changing under this write (${PLAN_WRITE_ATTEMPTS} attempts)`,
          { cause: error },
        );
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * Gives back the winners a draw holds of a prize (a failed or rolled-back draw); true when it held
 * some.
 */
export function releasePrizeHold(
  doc: DynamoDBDocumentClient,
  table: string,
  winnersTable: string,
  drawId: string,
  now: () => Date,
): Promise<boolean> {
  return changePrizePlan(doc, table, winnersTable, async (plan) => {
    const next = plan && releasePrize(plan, drawId, now().toISOString());
    return { next, value: next !== undefined };
  });
}
