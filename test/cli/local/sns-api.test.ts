import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListTopicsCommand,
  NotFoundException,
  paginateListTopics,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSnsClient } from '../../../src/aws/clients';
import { LOCAL_ARNS, LOCAL_REGION } from '../../../src/local/constants';
import { openBackend, rejectionOf, type Backend } from './support';

describe('the embedded SNS API, through the AWS SDK v3 client', () => {
  let backend: Backend;
  let sns: SNSClient;

  beforeAll(async () => {
    backend = await openBackend();
    sns = await createSnsClient({
      endpoint: backend.server.url,
      region: LOCAL_REGION,
      credentials: backend.credentials,
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    sns?.destroy();
    await backend?.dispose();
  });

  test('ListTopics lists the lottery topic, on one page, as the paginator reads it', async () => {
    const page = await sns.send(new ListTopicsCommand({}));
    expect(page.Topics).toEqual([{ TopicArn: LOCAL_ARNS.topic }]);
    expect(page.NextToken).toBeUndefined();

    const pages = [];
    for await (const each of paginateListTopics({ client: sns }, {})) pages.push(each);
    expect(pages.flatMap((each) => each.Topics ?? [])).toEqual([{ TopicArn: LOCAL_ARNS.topic }]);
  });

  test('ListTopics refuses a NextToken it never gave, as the modelled InvalidParameterException', async () => {
    const error = await rejectionOf(
      sns.send(new ListTopicsCommand({ NextToken: 'not-a-token-of-ours' })),
    );
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toContain('NextToken');
  });

  test('Publish lands in the outbox; a topic the backend does not have is NotFound', async () => {
    const published = await sns.send(
      new PublishCommand({ TopicArn: LOCAL_ARNS.topic, Subject: 'Winners', Message: 'Rose won' }),
    );
    const outbox = readFileSync(join(backend.home, 'outbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(outbox.at(-1)).toMatchObject({
      MessageId: published.MessageId,
      TopicArn: LOCAL_ARNS.topic,
      Subject: 'Winners',
      Message: 'Rose won',
    });

    const missing = await rejectionOf(
      sns.send(new GetTopicAttributesCommand({ TopicArn: `${LOCAL_ARNS.topic}-other` })),
    );
    expect(missing).toBeInstanceOf(NotFoundException);
  });
});
