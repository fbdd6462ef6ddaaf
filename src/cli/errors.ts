import { LotteryError, type ErrorKind } from '../core/errors';

/** Exit codes, after the AWS CLI's where one fits (README, "Exit codes"). */
export const EXIT_CODES: Record<'ok' | ErrorKind | 'unexpected', number> = {
  ok: 0,
  failed: 1,
  interrupted: 130,
  usage: 252,
  environment: 253,
  service: 254,
  unexpected: 255,
};

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidSignatureException', 'InvalidClientTokenId']);

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** Puts a face on errors from the SDK and the network; anything else is unexpected (undefined). */
export function explainError(error: unknown): LotteryError | undefined {
  if (error instanceof LotteryError) return error;
  const name = String(field(error, 'name') ?? '');
  const message = String(field(error, 'message') ?? error);
  if (CREDENTIAL_ERRORS.has(name)) {
    return new LotteryError('environment', `no usable AWS credentials: ${message}`, 'run `aws configure` or `aws sso login`, or pass --profile; for the embedded backend use --target local');
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new LotteryError('service', `access denied: ${message}`, 'the credentials in use lack a permission the lottery needs (README, "Deploying to AWS")');
  }
  if (name === 'ResourceNotFoundException' || name === 'StateMachineDoesNotExist') {
    return new LotteryError('environment', message, 'deploy the stack with `lottery deploy` (README, "Deploying to AWS"), or check --region and the configured names');
  }
  const code = String(field(error, 'code') ?? field(field(error, 'cause'), 'code') ?? '');
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code)) {
    return new LotteryError('environment', `cannot reach the service: ${message}`, 'check --endpoint-url, --region and the network');
  }
  if (field(error, '$metadata') !== undefined) {
    return new LotteryError('service', `${name}: ${message}`);
  }
  return undefined;
}
