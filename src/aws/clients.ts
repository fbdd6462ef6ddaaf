import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
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

/** The settings every SDK client takes alike. */
type CommonConfig = Pick<
  DynamoDBClientConfig,
  'region' | 'profile' | 'endpoint' | 'credentials' | 'maxAttempts'
>;

function baseConfig(target: ClientTarget): CommonConfig {
  const config: CommonConfig = {};
  if (target.region) config.region = target.region;
  if (target.profile) config.profile = target.profile;
  if (target.endpoint) config.endpoint = target.endpoint;
  if (target.credentials) config.credentials = target.credentials;
  if (target.maxAttempts) config.maxAttempts = target.maxAttempts;
  return config;
}

export async function createDocumentClient(
  target: ClientTarget,
): Promise<{ dynamodb: DynamoDBClient; doc: DynamoDBDocumentClient }> {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  const dynamodb = new DynamoDBClient(baseConfig(target));
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { dynamodb, doc };
}

export async function createSfnClient(target: ClientTarget): Promise<SFNClient> {
  const { SFNClient } = await import('@aws-sdk/client-sfn');
  return new SFNClient(baseConfig(target));
}

/** The SDK modules are imported on first use: `lottery --help` should not pay for them. */
/**
 * A command's clients: DynamoDB at once, Step Functions on first use (`winners list` never needs
 * it, and its SDK takes a while to load).
 */
export interface LazyClients {
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sfn(): Promise<SFNClient>;
  destroy(): void;
}

export async function createLazyClients(target: ClientTarget): Promise<LazyClients> {
  const { dynamodb, doc } = await createDocumentClient(target);
  let sfn: Promise<SFNClient> | undefined;
  return {
    dynamodb,
    doc,
    sfn: () => (sfn ??= createSfnClient(target)),
    destroy() {
      dynamodb.destroy();
      void sfn?.then((client) => client.destroy());
    },
  };
}

export async function createClients(target: ClientTarget): Promise<AwsClients> {
  const [{ dynamodb, doc }, sfn] = await Promise.all([
    createDocumentClient(target),
    createSfnClient(target),
  ]);
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

export async function createCloudFormationClient(target: ClientTarget) {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  return new CloudFormationClient(baseConfig(target));
}

/** The clients of `lottery deploy`, `destroy` and the stack check of `doctor`. */
export interface StackClients {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  sts: STSClient;
  dynamodb: DynamoDBClient;
  destroy(): void;
}

export async function createStackClients(target: ClientTarget): Promise<StackClients> {
  const [{ CloudFormationClient }, { S3Client }, { STSClient }, { DynamoDBClient }] =
    await Promise.all([
      import('@aws-sdk/client-cloudformation'),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-sts'),
      import('@aws-sdk/client-dynamodb'),
    ]);
  const config = baseConfig(target);
  const clients = {
    cloudformation: new CloudFormationClient(config),
    // One endpoint for every service (moto, LocalStack) cannot tell buckets apart by host name.
    s3: new S3Client({ ...config, forcePathStyle: target.endpoint !== undefined }),
    sts: new STSClient(config),
    dynamodb: new DynamoDBClient(config),
  };
  return {
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
