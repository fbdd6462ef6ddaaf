import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

/** The account and partition (aws, aws-cn, aws-us-gov) the credentials in use belong to. */
export async function callerIdentity(
  sts: STSClient,
): Promise<{ account: string; partition: string }> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return { account: identity.Account ?? '', partition: identity.Arn?.split(':')[1] ?? 'aws' };
}
