import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import * as z from 'zod/mini';
import { checkJson } from '../core/parse';

const publishParametersSchema = z.looseObject({ TopicArn: z.string() });

/**
 * The topic a draw announced to (or tried to): the sns:publish task's parameters in its history.
 */
export function announcementTopic(events: readonly HistoryEvent[]): string | undefined {
  for (const event of events) {
    const details = event.taskScheduledEventDetails;
    if (details?.resourceType !== 'sns' || !details.parameters) continue;
    const parameters = checkJson(publishParametersSchema, details.parameters);
    if (parameters.ok) return parameters.value.TopicArn;
  }
  return undefined;
}

export async function publishAnnouncement(
  sns: SNSClient,
  topicArn: string,
  message: string,
): Promise<string> {
  const published = await sns.send(
    new PublishCommand({ TopicArn: topicArn, Subject: 'Lottery winners', Message: message }),
  );
  return published.MessageId ?? '';
}
