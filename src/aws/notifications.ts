import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** The topic a draw announced to (or tried to): the sns:publish task's parameters in its history. */
export function announcementTopic(events: readonly HistoryEvent[]): string | undefined {
  for (const event of events) {
    const details = event.taskScheduledEventDetails;
    if (details?.resourceType !== 'sns' || !details.parameters) continue;
    const parameters = JSON.parse(details.parameters) as { TopicArn?: unknown };
    if (typeof parameters.TopicArn === 'string') return parameters.TopicArn;
  }
  return undefined;
}

export async function publishAnnouncement(sns: SNSClient, topicArn: string, message: string): Promise<string> {
  const published = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'Lottery winners', Message: message }));
  return published.MessageId ?? '';
}
