import { timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ShowState } from '../../core/show';

// The room's screen's web server: the page, its script and style, and one stream of server-sent
// events carrying what the page shows. Read-only by construction: it answers GET and HEAD, and no
// route changes anything. A server on this machine can be reached by every web page in every
// browser here (and, with --host, by the network), so every request must carry the random token
// of the address `lottery show` printed, be addressed to this server by name (no DNS rebinding),
// and not come from another site's page.

export interface PageAssets {
  html: Buffer;
  script: Buffer;
  style: Buffer;
}

export interface ShowServerOptions {
  /** The address to listen on: 127.0.0.1, or a LAN address (0.0.0.0: all of them). */
  host: string;
  port?: number;
  token: string;
  page: PageAssets;
}

export interface ShowServer {
  /** The addresses to open, token included: one per address the server can be reached at. */
  urls: string[];
  /** Sends the state to every page now watching, and to each page that connects later. */
  publish(state: Omit<ShowState, 'now'>): void;
  /** Tells the pages that the show has stopped, then closes. */
  close(): Promise<void>;
}

/** A page that hears nothing for 3 heartbeats says that the CLI has stopped. */
export const HEARTBEAT_MS = 5000;
/** Pages watching at once: a room needs a few, a leaked token must not exhaust the machine. */
const MAX_WATCHERS = 64;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const ANY = new Set(['0.0.0.0', '::']);

const hostPart = (address: string) => (address.includes(':') ? `[${address}]` : address);

/** The names a browser may address this server by, as the Host header carries them. */
export function ownHosts(host: string, port: number): string[] {
  const names = new Set<string>();
  const add = (address: string) => names.add(`${hostPart(address)}:${port}`.toLowerCase());
  if (LOOPBACK.has(host) || ANY.has(host)) ['127.0.0.1', 'localhost', '::1'].forEach(add);
  if (ANY.has(host)) {
    // Read at each request: a laptop that changes networks gets new addresses.
    for (const entries of Object.values(networkInterfaces()))
      for (const entry of entries ?? []) add(entry.address);
  } else add(host);
  return [...names];
}

/** The addresses to print: on all interfaces, each external IPv4 address, loopback first. */
function urlsOf(host: string, port: number, token: string): string[] {
  const addresses = ANY.has(host)
    ? [
        '127.0.0.1',
        ...Object.values(networkInterfaces())
          .flatMap((entries) => entries ?? [])
          .filter((entry) => entry.family === 'IPv4' && !entry.internal)
          .map((entry) => entry.address),
      ]
    : [host];
  return addresses.map((address) => `http://${hostPart(address)}:${port}/${token}/`);
}

const SECURITY_HEADERS: OutgoingHttpHeaders = {
  // The page runs its own script and style only, talks only to this server, and cannot be framed.
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The token is in the address: no request may carry it elsewhere.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function answer(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = { 'Content-Type': 'text/plain; charset=utf-8' },
  head = false,
) {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(head ? undefined : body);
}

/**
 * Why a request is refused before its token is looked at (method, Host, Origin, fetch metadata),
 * or undefined.
 */
export function screenRequest(
  request: Pick<IncomingMessage, 'method' | 'headers'>,
  hosts: readonly string[],
): { status: number; message: string } | undefined {
  const { method, headers } = request;
  if (method !== 'GET' && method !== 'HEAD')
    return { status: 405, message: "The room's screen is read-only: it answers GET and HEAD." };
  const host = String(headers.host ?? '').toLowerCase();
  if (!hosts.includes(host))
    return {
      status: 403,
      message: `Forbidden: this server answers requests addressed to ${hosts.join(' or ')}.`,
    };
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}`)
    return { status: 403, message: 'Forbidden: requests from other sites are not answered.' };
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return { status: 403, message: 'Forbidden: requests from other sites are not answered.' };
  return undefined;
}

const event = (id: number, name: string, data: unknown) =>
  `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export async function startShowServer(options: ShowServerOptions): Promise<ShowServer> {
  const { page, token } = options;
  const expected = Buffer.from(token);
  const watchers = new Set<ServerResponse>();
  let state: Omit<ShowState, 'now'> | undefined;
  let sequence = 0;
  let hosts: () => string[] = () => [];

  const stamped = () => ({ ...state, now: new Date().toISOString() });
  const tokenMatches = (given: string) => {
    const buffer = Buffer.from(given);
    return buffer.length === expected.length && timingSafeEqual(buffer, expected);
  };

  const watch = (request: IncomingMessage, response: ServerResponse) => {
    if (watchers.size >= MAX_WATCHERS)
      return answer(response, 503, `At most ${MAX_WATCHERS} pages can watch at once.`);
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    });
    // However it reconnects (Last-Event-ID or none), a page starts again from the current state.
    response.write('retry: 2000\n\n');
    if (state) response.write(event(sequence, 'state', stamped()));
    watchers.add(response);
    request.on('close', () => watchers.delete(response));
  };

  const route = (request: IncomingMessage, response: ServerResponse) => {
    const refusal = screenRequest(request, hosts());
    if (refusal) return answer(response, refusal.status, refusal.message);
    const { pathname } = new URL(request.url ?? '/', 'http://show');
    const [, given = '', ...rest] = pathname.split('/');
    if (!tokenMatches(given))
      return answer(
        response,
        403,
        'Forbidden: open the address that `lottery show` printed; it carries the token this page needs.',
      );
    const head = request.method === 'HEAD';
    switch (rest.length === 0 ? undefined : rest.join('/')) {
      case undefined:
        return answer(response, 308, '', { Location: `/${token}/` }, head);
      case '':
        return answer(
          response,
          200,
          page.html,
          { 'Content-Type': 'text/html; charset=utf-8' },
          head,
        );
      case 'show.js':
        return answer(
          response,
          200,
          page.script,
          { 'Content-Type': 'text/javascript; charset=utf-8' },
          head,
        );
      case 'show.css':
        return answer(
          response,
          200,
          page.style,
          { 'Content-Type': 'text/css; charset=utf-8' },
          head,
        );
      case 'events':
        return head
          ? answer(response, 200, '', { 'Content-Type': 'text/event-stream' }, true)
          : watch(request, response);
      default:
        return answer(response, 404, 'Not found.');
    }
  };

  const server = createServer(route);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  hosts = () => ownHosts(options.host, port);

  const broadcast = (text: string) => {
    for (const watcher of watchers) watcher.write(text);
  };
  const heartbeat = setInterval(
    () => broadcast(event(sequence, 'heartbeat', { now: new Date().toISOString() })),
    HEARTBEAT_MS,
  );
  heartbeat.unref();

  return {
    urls: urlsOf(options.host, port, token),
    publish(next) {
      state = next;
      sequence++;
      broadcast(event(sequence, 'state', stamped()));
    },
    async close() {
      clearInterval(heartbeat);
      broadcast(event(sequence, 'stopped', { now: new Date().toISOString() }));
      for (const watcher of watchers) watcher.end();
      watchers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
