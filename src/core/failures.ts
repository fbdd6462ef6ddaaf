// One taxonomy of failures for everything that talks to AWS or the embedded backend: `lottery
// doctor` words its findings by it and the CLI picks an error's exit code by it, so the two
// always agree on what is a credentials, network or service problem.

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A failed SDK call, reduced to what the decisions below look at. */
export interface CallError {
  /** The SDK's error name (for service errors, the error code). */
  name: string;
  message: string;
  /** HTTP status of the answer; absent when no answer came. */
  status?: number;
  /**
   * The error code the answer spelled in the service's own format; absent when the SDK could not
   * read one.
   */
  serviceCode?: string;
  /** Node's network error code (ECONNREFUSED, ENOTFOUND…), when the request got no answer. */
  networkCode?: string;
}

/**
 * Any error reduced to what the taxonomy looks at: an SDK error keeps its service's code and HTTP
 * status.
 */
export function describeFailure(error: unknown): CallError {
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  // JSON protocols (DynamoDB, Step Functions) put the code in __type
  // ("…#ResourceNotFoundException"); the Query protocol (SNS) in Error.Code. Neither is there when
  // the answer was not theirs.
  const type = text(field(error, '__type'));
  const serviceCode =
    type?.slice(type.lastIndexOf('#') + 1) ||
    text(field(error, 'Code')) ||
    text(field(field(error, 'Error'), 'Code'));
  const networkCode = text(field(error, 'code')) ?? text(field(field(error, 'cause'), 'code'));
  const message = text(field(error, 'message')) ?? String(error);
  return {
    name: text(field(error, 'name')) ?? 'Error',
    // The SDK appends paragraphs on how to debug a deserialization error: the first line says it.
    message: message.split('\n')[0] ?? message,
    ...(typeof status === 'number' ? { status } : {}),
    ...(serviceCode ? { serviceCode } : {}),
    ...(networkCode ? { networkCode } : {}),
  };
}

export type FailureKind =
  /** No credentials, or credentials the service refused. */
  | 'credentials'
  /** The credentials are fine but lack a permission. */
  | 'denied'
  | 'not-found'
  /** Something answered, but not as this service: another service, a web server, a proxy. */
  | 'unsupported'
  /** No answer: connection refused, unknown host, timeout. */
  | 'unreachable'
  /** Any other answer of the service. */
  | 'error';

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
]);
const DENIED_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'AuthorizationError',
  'AuthorizationErrorException',
]);
const NOT_FOUND_ERRORS = new Set([
  'ResourceNotFoundException',
  'StateMachineDoesNotExist',
  'NotFound',
  'NotFoundException',
]);
const UNKNOWN_OPERATION_ERRORS = new Set([
  'UnknownOperationException',
  'UnknownOperation',
  'InvalidAction',
]);
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

export function classifyCallError(error: CallError): FailureKind {
  if (error.networkCode !== undefined && NETWORK_ERRORS.has(error.networkCode))
    return 'unreachable';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'unreachable';
  const code = error.serviceCode ?? error.name;
  if (CREDENTIAL_ERRORS.has(code) || error.name === 'CredentialsProviderError')
    return 'credentials';
  if (error.status === undefined) return 'error';
  if (UNKNOWN_OPERATION_ERRORS.has(code)) return 'unsupported';
  // The SDK makes up an error name from the HTTP status when the answer carries no code it can
  // read (an SNS client gets a 404 "NotFound" from a DynamoDB endpoint that way), and a body it
  // cannot parse fails with the parser's error: either way the answer is not this service's.
  if (error.serviceCode === undefined && error.status < 500) return 'unsupported';
  if (DENIED_ERRORS.has(code)) return 'denied';
  if (NOT_FOUND_ERRORS.has(code)) return 'not-found';
  return 'error';
}
