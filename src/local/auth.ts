import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { StaticCredentials } from '../aws/clients';
import { LOCAL_REGION } from './constants';

// Who may talk to the embedded backend's server. It listens on the loopback interface, which every
// user of the machine and every web page in a browser can reach, so it answers only requests
// signed (AWS Signature Version 4, as every AWS SDK signs) with its data directory's credentials,
// addressed to its own address, and not sent by a web page.

/** Why a request is refused; the server words it in the protocol of the API asked. */
export type RefusalKind = 'denied' | 'missing' | 'incomplete' | 'unknownKey' | 'signature';

export interface Refusal {
  kind: RefusalKind;
  message: string;
}

export interface RequestHead {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/**
 * Client and server share the machine, hence the clock: a signature older than this is a replay.
 */
const MAX_SKEW_MS = 5 * 60 * 1000;
const ENV_HINT = '`lottery local env` prints the credentials of this data directory';

const signer = (credentials: StaticCredentials) =>
  new SignatureV4({
    credentials,
    region: LOCAL_REGION,
    service: 'lottery',
    sha256: Sha256,
    applyChecksum: false,
  });

const sha256Hex = (body: Uint8Array) => createHash('sha256').update(body).digest('hex');

interface Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string): Authorization | Refusal {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM)
    return {
      kind: 'incomplete',
      message: `Unsupported AWS 'algorithm': '${algorithm.slice(0, 40)}' (only ${ALGORITHM} for now).`,
    };
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name));
  if (missing.length > 0)
    return {
      kind: 'incomplete',
      message: missing
        .map((name) => `Authorization header requires '${name}' parameter.`)
        .join(' '),
    };
  const scope = String(fields.get('Credential')).split('/');
  const [accessKeyId, date, region, service, terminator] = scope;
  if (
    scope.length !== 5 ||
    !accessKeyId ||
    !date ||
    !region ||
    !service ||
    terminator !== 'aws4_request'
  ) {
    return {
      kind: 'incomplete',
      message:
        'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/aws4_request.',
    };
  }
  const signature = String(fields.get('Signature'));
  if (!/^[0-9a-f]{64}$/.test(signature))
    return { kind: 'signature', message: 'The signature is not 64 lower-case hexadecimal digits.' };
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: String(fields.get('SignedHeaders')).split(';'),
    signature,
  };
}

/** `20261126T120000Z` → its time, or undefined when it is not one. */
function amzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const time = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  return Number.isNaN(time) ? undefined : time;
}

const amzText = (time: number) => new Date(time).toISOString().replace(/[-:]|\.\d{3}/g, '');

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Checks a request against the credentials of the data directory and the server's address. The
 * checks that need no body come first, so that nobody unknown makes the server read one.
 */
export function createAuthenticator(
  credentials: StaticCredentials,
  ownHosts: () => readonly string[],
) {
  const sign = signer(credentials);
  return (
    request: RequestHead,
  ): Refusal | { verify(body: Buffer): Promise<Refusal | undefined> } => {
    const refusal = refuseBrowsers(request) ?? refuseOtherHosts(request, ownHosts());
    if (refusal) return refusal;
    const signed = readSignature(request.headers, credentials);
    if ('kind' in signed) return signed;
    return { verify: (body) => verifySignature(sign, request, signed, body) };
  };
}

/** A web page can reach the loopback interface too: a browser's request is never answered. */
function refuseBrowsers(request: RequestHead): Refusal | undefined {
  const { headers } = request;
  if (
    request.method !== 'OPTIONS' &&
    headers.origin === undefined &&
    headers['sec-fetch-site'] === undefined
  )
    return undefined;
  return {
    kind: 'denied',
    message:
      'lottery local serve does not answer web browsers (this request came with an Origin or ' +
      'Sec-Fetch-Site header, or is a CORS preflight)',
  };
}

/** A name that leads to the loopback address (DNS rebinding) is not the server's own. */
function refuseOtherHosts(request: RequestHead, hosts: readonly string[]): Refusal | undefined {
  if (hosts.includes(String(request.headers.host ?? '').toLowerCase())) return undefined;
  return {
    kind: 'denied',
    message:
      `the Host header must be ${hosts.join(' or ')}: lottery local serve answers requests ` +
      'addressed to it, not to another name that leads to it',
  };
}

/** A request's signature as its headers state it, checked for all that needs no body. */
interface StatedSignature {
  authorization: Authorization;
  /** X-Amz-Date, as a time. */
  date: number;
}

/** The Authorization header read, its date and key checked: what can be refused unread. */
function readSignature(
  headers: IncomingHttpHeaders,
  credentials: StaticCredentials,
): StatedSignature | Refusal {
  const header = headerOf(headers, 'authorization');
  if (!header)
    return {
      kind: 'missing',
      message:
        'Request is missing Authentication Token: requests must be signed ' +
        `(AWS Signature Version 4); ${ENV_HINT}.`,
    };
  const authorization = parseAuthorization(header);
  if ('kind' in authorization) return authorization;
  const dateText = headerOf(headers, 'x-amz-date') ?? '';
  const date = amzDate(dateText);
  if (date === undefined)
    return {
      kind: 'incomplete',
      message:
        "Authorization header requires existence of a valid 'X-Amz-Date' header " +
        '(ISO 8601 basic format, e.g. 20261126T120000Z).',
    };
  const refusal = refuseDate(authorization, dateText, date, Date.now());
  if (refusal) return refusal;
  if (
    authorization.accessKeyId !== credentials.accessKeyId ||
    headers['x-amz-security-token'] !== undefined
  ) {
    return {
      kind: 'unknownKey',
      message:
        'The security token included in the request is invalid: ' +
        `these are not the credentials of this data directory; ${ENV_HINT}.`,
    };
  }
  return { authorization, date };
}

/** The date signed: the credential scope's, with the host signed, and within the skew. */
function refuseDate(
  authorization: Authorization,
  dateText: string,
  date: number,
  now: number,
): Refusal | undefined {
  if (authorization.date !== dateText.slice(0, 8)) {
    return {
      kind: 'signature',
      message:
        'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from ' +
        `HTTP: '${authorization.date.slice(0, 8)}' != '${dateText.slice(0, 8)}', from '${dateText}'.`,
    };
  }
  if (!authorization.signedHeaders.includes('host'))
    return {
      kind: 'signature',
      message: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    };
  if (date < now - MAX_SKEW_MS)
    return {
      kind: 'signature',
      message:
        `Signature expired: ${dateText} is now earlier than ${amzText(now - MAX_SKEW_MS)} ` +
        `(${amzText(now)} - 5 min.)`,
    };
  if (date > now + MAX_SKEW_MS)
    return {
      kind: 'signature',
      message:
        `Signature not yet current: ${dateText} is still later than ` +
        `${amzText(now + MAX_SKEW_MS)} (${amzText(now)} + 5 min.)`,
    };
  return undefined;
}

/**
 * The same request, signed again with our secret: it must come out with the same headers signed
 * and the same signature.
 */
async function verifySignature(
  sign: SignatureV4,
  request: RequestHead,
  stated: StatedSignature,
  body: Buffer,
): Promise<Refusal | undefined> {
  const { authorization } = stated;
  // The signer takes a stated payload hash on trust: hold it to the body that came.
  const statedHash = headerOf(request.headers, 'x-amz-content-sha256');
  if (statedHash !== undefined && statedHash !== sha256Hex(body)) {
    return {
      kind: 'signature',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  const expected = await sign.sign(signable(request, authorization.signedHeaders, body), {
    signingDate: new Date(stated.date),
    signingRegion: authorization.region,
    signingService: authorization.service,
    signableHeaders: new Set(authorization.signedHeaders),
  });
  const recomputed = parseAuthorization(String(expected.headers.authorization));
  const matches =
    !('kind' in recomputed) &&
    recomputed.signedHeaders.join(';') === authorization.signedHeaders.join(';') &&
    timingSafeEqual(Buffer.from(recomputed.signature), Buffer.from(authorization.signature));
  if (matches) return undefined;
  return {
    kind: 'signature',
    message:
      'The request signature we calculated does not match the signature you provided. ' +
      `Check your AWS Secret Access Key and signing method; ${ENV_HINT}.`,
  };
}

/** The request as the signer takes it: its path, query, the headers it says it signed, its body. */
function signable(request: RequestHead, signedHeaders: readonly string[], body: Buffer) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerOf(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  return {
    method: request.method ?? 'GET',
    protocol: 'http:',
    hostname: 'localhost',
    path,
    query,
    headers,
    body,
  };
}

/** Headers that sign a bodiless GET of `url` with the credentials. */
export async function signGet(
  credentials: StaticCredentials,
  url: URL,
): Promise<Record<string, string>> {
  const query = Object.fromEntries(url.searchParams);
  const signed = await signer(credentials).sign({
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    path: url.pathname,
    query,
    headers: { host: url.host },
  });
  const { host: _host, ...headers } = signed.headers;
  return headers;
}

/**
 * The server's answer to a health check's challenge: only a holder of the secret can make it, so a
 * command that finds another user's process on a port its server once had does not trust it.
 */
export function healthProof(
  credentials: StaticCredentials,
  challenge: string,
  home: string,
  pid: number,
): string {
  return createHmac('sha256', credentials.secretAccessKey)
    .update(`lottery-local-health\n${challenge}\n${home}\n${pid}`)
    .digest('hex');
}

export function proofMatches(expected: string, given: unknown): boolean {
  return (
    typeof given === 'string' &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}
