import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';

/** An SNS message as the embedded backend keeps it: one JSON line per publish. */
export interface OutboxMessage {
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
}

export async function publishToOutbox(path: string, input: { TopicArn: string; Subject?: string; Message: string }): Promise<{ MessageId: string }> {
  const message: OutboxMessage = { MessageId: randomUUID(), Timestamp: new Date().toISOString(), ...input };
  await appendFile(path, `${JSON.stringify(message)}\n`);
  return { MessageId: message.MessageId };
}

export async function readOutbox(path: string): Promise<OutboxMessage[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OutboxMessage);
}
