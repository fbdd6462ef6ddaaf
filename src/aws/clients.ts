import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';

/** Static keys, as the embedded backend uses. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Where the SDK clients point. Anything left undefined is resolved by the SDK itself, from its own
 * environment variables (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_…) and ~/.aws files, exactly as
 * for the AWS CLI.
 */
export interface ClientTarget {
  region?: string;
  profile?: string;
  endpoint?: string;
  credentials?: StaticCredentials;
  /** SDK attempts per request, retries included (the SDK's default is 3). */
  maxAttempts?: number;
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sfn: SFNClient;
  destroy(): void;
}

function baseConfig(target: ClientTarget): DynamoDBClientConfig {
  const config: DynamoDBClientConfig = {};
  if (target.region) config.region = target.region;
  if (target.profile) config.profile = target.profile;
  if (target.endpoint) config.endpoint = target.endpoint;
  if (target.credentials) config.credentials = target.credentials;
  if (target.maxAttempts) config.maxAttempts = target.maxAttempts;
  return config;
}

export async function createDocumentClient(target: ClientTarget): Promise<{ dynamodb: DynamoDBClient; doc: DynamoDBDocumentClient }> {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  const dynamodb = new DynamoDBClient(baseConfig(target));
  const doc = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamodb, doc };
}

export async function createSfnClient(target: ClientTarget): Promise<SFNClient> {
  const { SFNClient } = await import('@aws-sdk/client-sfn');
  return new SFNClient(baseConfig(target));
}

/** The SDK modules are imported on first use: `lottery --help` should not pay for them. */
export async function createClients(target: ClientTarget): Promise<AwsClients> {
  const [{ dynamodb, doc }, sfn] = await Promise.all([createDocumentClient(target), createSfnClient(target)]);
  return {
    dynamodb,
    doc,
    sfn,
    destroy() {
      dynamodb.destroy();
      sfn.destroy();
    },
  };
}

export async function createSnsClient(target: ClientTarget) {
  const { SNSClient } = await import('@aws-sdk/client-sns');
  return new SNSClient(baseConfig(target));
}
