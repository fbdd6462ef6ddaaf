// The workshop's own draw, for comparison: its Random Select Winners queries lottery_serial-index
// once per pick, its Validate Winners queries Lottery-Winners once per pick, one after the other.

import { createHash } from 'node:crypto';
import { epochNow } from './proc.mjs';

/**
 * A deterministic random source (SHA-256 in counter mode over a fixed label) with Python's randint.
 */
export class SeededRandom {
  constructor(label) {
    this.label = label;
    this.counter = 0;
    this.block = Buffer.alloc(0);
    this.offset = 0;
  }

  uint32() {
    if (this.offset >= this.block.length) {
      this.block = createHash('sha256').update(`${this.label}:${this.counter++}`).digest();
      this.offset = 0;
    }
    const value = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A uniform integer in [low, high], like Python's random.randint. */
  randint(low, high) {
    const span = high - low + 1;
    const limit = 2 ** 32 - (2 ** 32 % span);
    for (;;) {
      const value = this.uint32();
      if (value < limit) return low + (value % span);
    }
  }
}

/**
 * One loop of the workshop's queries, sequential as its Lambdas make them (list comprehensions).
 */
export async function workshopLoop(lib, doc, serials) {
  const started = epochNow();
  const found = [];
  for (const serial of serials) {
    const answer = await doc.send(
      new lib.QueryCommand({
        TableName: lib.EMPLOYEE_TABLE,
        IndexName: lib.SERIAL_INDEX,
        KeyConditionExpression: 'lottery_serial = :serial',
        ExpressionAttributeValues: { ':serial': serial },
      }),
    );
    found.push(answer.Items?.[0]);
  }
  for (const employee of found) {
    await doc.send(
      new lib.QueryCommand({
        TableName: lib.WINNERS_TABLE,
        KeyConditionExpression: 'employee_id = :id',
        ExpressionAttributeValues: { ':id': employee.employee_id },
      }),
    );
  }
  return epochNow() - started;
}
