import type { RequestHead } from './auth';

// Where the embedded backend's one endpoint sends a request, decided from its head alone: the
// X-Amz-Target header for the JSON protocols (DynamoDB, Step Functions), the form body's content
// type for SNS's Query protocol, and the path for the health check. Pure, so that every route can
// be tried without a server.

/**
 * Signed GET with a `challenge` query parameter: answered with the server's home, pid and proof
 * that it holds the secret.
 */
export const HEALTH_PATH = '/lottery/health';
const SFN_TARGET_PREFIX = 'AWSStepFunctions.';
const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

export type Route =
  | { kind: 'health'; challenge: string }
  /** `target` is the header as sent, `operation` what follows the service's prefix. */
  | { kind: 'dynamodb' | 'sfn'; target: string; operation: string }
  /** The operation is in the body: SNS's Action parameter. */
  | { kind: 'sns' }
  /** Anything else: dynalite answers it as an unknown request. */
  | { kind: 'unknown' };

export const isQueryProtocol = (request: Pick<RequestHead, 'headers'>) =>
  String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

export function routeOf(request: RequestHead): Route {
  // Only the path and the query are read: any base will do.
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'GET' && url.pathname === HEALTH_PATH)
    return { kind: 'health', challenge: url.searchParams.get('challenge') ?? '' };
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.startsWith(DYNAMODB_TARGET_PREFIX))
    return { kind: 'dynamodb', target, operation: target.slice(DYNAMODB_TARGET_PREFIX.length) };
  if (target.startsWith(SFN_TARGET_PREFIX))
    return { kind: 'sfn', target, operation: target.slice(SFN_TARGET_PREFIX.length) };
  if (request.method === 'POST' && isQueryProtocol(request)) return { kind: 'sns' };
  return { kind: 'unknown' };
}
