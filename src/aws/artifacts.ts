import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { codeKey } from '../ops/deploy';
import { LotteryError } from '../core/errors';
import {
  packageTemplate,
  parseTemplate,
  templateFunctions,
  type Json,
  type Template,
} from '../ops/template';

// The artefacts `lottery deploy` uploads: one zip per Lambda bundle, into a bucket of the
// account's.

/** Every entry gets this time, so that the same bundle always makes the same zip. */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

export interface FunctionBundle {
  name: string;
  code: Buffer;
  /** Hex SHA-256 of the bundle: the zip's key is named by it. */
  sha256: string;
  key: string;
}

/** Reads dist/lambdas/<name>/index.mjs. */
export function readBundle(bundlesDir: string, name: string): FunctionBundle {
  const path = join(bundlesDir, name, 'index.mjs');
  let code: Buffer;
  try {
    code = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new LotteryError('environment', `the function bundle ${path} is missing`, {
      hint: 'build the package first: npm run build (npm ci runs it)',
      cause: error,
    });
  }
  const sha256 = createHash('sha256').update(code).digest('hex');
  return { name, code, sha256, key: codeKey(name, sha256) };
}

/** The bundle as index.mjs at the root of a zip, where Handler index.handler finds it. */
export function zipBundle(bundle: FunctionBundle): Uint8Array {
  return zipSync({ 'index.mjs': [bundle.code, { mtime: FIXED_MTIME, level: 9 }] });
}

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** Lambda takes its code from a bucket in the function's own region only. */
function elsewhere(
  bucket: string,
  region: string,
  bucketRegion: string | undefined,
  cause?: unknown,
): LotteryError {
  return new LotteryError(
    'environment',
    `the bucket ${bucket} is in ${bucketRegion ?? 'another region'}, but the stack is in ${region}: Lambda takes code only from a bucket in its own region`,
    { hint: 'pass --bucket with a bucket in this region, or leave it out to have one made', cause },
  );
}

/** 'missing', or the bucket is there, in the stack's region, and the account's own. */
async function bucketState(
  s3: S3Client,
  bucket: string,
  account: string,
  region: string,
): Promise<'mine' | 'missing'> {
  try {
    const { BucketRegion } = await s3.send(
      new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
    );
    if (BucketRegion && BucketRegion !== region) throw elsewhere(bucket, region, BucketRegion);
    return 'mine';
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return 'missing';
    if (status === 301) throw elsewhere(bucket, region, undefined, error);
    if (status === 403) {
      throw new LotteryError(
        'environment',
        `the bucket ${bucket} exists but is not this account's (${account}), or these credentials may not use it`,
        { hint: 'pass --bucket with a bucket of this account in this region', cause: error },
      );
    }
    throw error;
  }
}

/** Refuses plain HTTP, so that no artefact travels unencrypted. */
function tlsOnlyPolicy(bucket: string, partition: string): string {
  const arn = `arn:${partition}:s3:::${bucket}`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

/**
 * Makes sure the artefact bucket exists. The default bucket is created on first use: private
 * (object ownership enforced, so no ACLs; every public access blocked), encrypted at rest, TLS
 * only. A bucket named with --bucket must exist already. Returns true when it was created now.
 */
export async function ensureBucket(
  s3: S3Client,
  request: {
    bucket: string;
    account: string;
    region: string;
    partition: string;
    create: boolean;
    plainHttp: boolean;
  },
): Promise<boolean> {
  const { bucket, account, region } = request;
  if ((await bucketState(s3, bucket, account, region)) === 'mine') return false;
  if (!request.create) {
    throw new LotteryError('environment', `the bucket ${bucket} does not exist`, {
      hint: 'create it in this region first, or leave out --bucket to have one made',
    });
  }
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ObjectOwnership: 'BucketOwnerEnforced',
      // us-east-1 is the one region that refuses its own name as a location constraint.
      ...(region === 'us-east-1'
        ? {}
        : {
            CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
          }),
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      ExpectedBucketOwner: account,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ExpectedBucketOwner: account,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  // An endpoint reached over plain HTTP (a local emulator) would be locked out by its own policy.
  if (!request.plainHttp)
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        ExpectedBucketOwner: account,
        Policy: tlsOnlyPolicy(bucket, request.partition),
      }),
    );
  return true;
}

/**
 * Uploads an object unless its key is there already (keys name their content). Returns the size
 * uploaded, or 0 when nothing was. Without s3:ListBucket S3 answers 403 rather than 404 for a
 * missing key: that uploads too.
 */
export async function uploadOnce(
  s3: S3Client,
  request: { bucket: string; key: string; body: () => Uint8Array; account: string },
): Promise<number> {
  const { bucket, key, account } = request;
  try {
    await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ExpectedBucketOwner: account }),
    );
    return 0;
  } catch (error) {
    if (statusOf(error) !== 404 && statusOf(error) !== 403) throw error;
  }
  const body = request.body();
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'application/zip',
      ExpectedBucketOwner: account,
      ChecksumAlgorithm: 'SHA256',
    }),
  );
  return body.length;
}

/** The stack as the package would deploy it. */
export interface PackagedStack {
  /** infra/template.yaml as written. */
  source: Template;
  /** Each function's bundle name, by logical id. */
  functions: Record<string, string>;
  bundles: FunctionBundle[];
  /** The template to submit: the code in `bucket`, the definition inline. */
  templateIn(bucket: string): Template;
}

/** Reads the template and the bundles the package carries. */
export function packageStack(
  paths: { template: string; bundles: string },
  definition: Json,
): PackagedStack {
  let text: string;
  try {
    text = readFileSync(paths.template, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new LotteryError(
      'environment',
      `this lottery carries no stack to deploy: ${paths.template} is missing`,
      {
        hint: 'deploy from the npm package or a clone after npm ci, which carry infra/ and dist/lambdas/',
        cause: error,
      },
    );
  }
  const source = parseTemplate(text);
  const functions = templateFunctions(source);
  const bundles = [...new Set(Object.values(functions))].map((name) =>
    readBundle(paths.bundles, name),
  );
  return {
    source,
    functions,
    bundles,
    templateIn: (bucket) =>
      packageTemplate(
        source,
        Object.fromEntries(
          bundles.map((bundle) => [bundle.name, { Bucket: bucket, Key: bundle.key }]),
        ),
        definition,
      ),
  };
}
