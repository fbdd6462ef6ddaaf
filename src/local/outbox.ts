import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { PRIVATE_FILE } from './paths';

/** An SNS message as the embedded backend keeps it: one JSON line per publish. */
export interface OutboxMessage {
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
}

export async function publishToOutbox(
  path: string,
  input: { TopicArn: string; Subject?: string; Message: string },
): Promise<{ MessageId: string }> {
  const message: OutboxMessage = {
    MessageId: randomUUID(),
    Timestamp: new Date().toISOString(),
    ...input,
  };
  await appendFile(path, `${JSON.stringify(message)}\n`, PRIVATE_FILE);
  return { MessageId: message.MessageId };
}
