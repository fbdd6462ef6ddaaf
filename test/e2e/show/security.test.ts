import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../../helpers/cli';
import { startShow, type ShowProcess } from './support';

// The room's screen takes no action and answers only whoever holds its address: a request
// without its token, from another site's page, or through a DNS name that merely leads to this
// machine (DNS rebinding) is refused; no method but GET and HEAD is answered. A theme it refuses
// is refused before anything is served: in process, in test/cli/show.test.ts.

let home: string;
let cleanup: () => void;
let show: ShowProcess;
let url: URL;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  show = await startShow(home);
  url = new URL(show.url);
});
afterAll(async () => {
  await show?.stop();
  cleanup?.();
});

/** One request with exactly these headers (fetch would not let a test set Host). */
function ask(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: url.hostname, port: url.port, path, method, headers: { host: url.host, ...headers } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
          // The event stream never ends by itself: its first event is enough.
          if (path.endsWith('/events') && body.includes('\n\n')) response.destroy();
        });
        response.on('close', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

describe("the room's screen's server", () => {
  it('answers the printed address, with a policy that lets the page run only its own script', async () => {
    const page = await ask(url.pathname);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<main id="stage">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await ask(`${url.pathname}show.js`)).status).toBe(200);
    expect((await ask(`${url.pathname}show.css`)).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    const events = await ask(`${url.pathname}events`);
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  });

  it.each([
    ['the page without the token', '/'],
    ['the page with a wrong token', '/AAAAAAAAAAAAAAAAAAAAAAAA/'],
    ['the event stream without the token', '/events'],
    ['the script without the token', '/show.js'],
  ])('refuses %s', async (_, path) => {
    const answer = await ask(path);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('open the address that `lottery show` printed');
  });

  it('refuses a page or stream asked by another site, or through another name (DNS rebinding)', async () => {
    for (const path of [url.pathname, `${url.pathname}events`]) {
      expect((await ask(path, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await ask(path, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await ask(path, { host: `evil.example:${url.port}` })).status).toBe(403);
    }
    // Its own page's requests carry its own origin.
    expect(
      (await ask(url.pathname, { origin: url.origin, 'sec-fetch-site': 'same-origin' })).status,
    ).toBe(200);
  });

  it('takes no action: anything but GET and HEAD is refused', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const answer = await ask(`${url.pathname}events`, {}, method);
      expect(answer.status, method).toBe(405);
    }
  });
});

describe('lottery show --theme', () => {
  it('serves the theme instead of the default style', async () => {
    const theme = join(home, 'party.css');
    writeFileSync(theme, ':root { --accent: #e4002b; }\n');
    const themed = await startShow(home, ['--theme', theme]).catch((error: Error) => error);
    // The first show holds the data directory; the second finds its backend, as any command does.
    expect(themed).not.toBeInstanceOf(Error);
    const running = themed as ShowProcess;
    try {
      const address = new URL(running.url);
      const style = await new Promise<string>((resolve, reject) =>
        request(
          { host: address.hostname, port: address.port, path: `${address.pathname}show.css` },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve(body));
          },
        )
          .on('error', reject)
          .end(),
      );
      expect(style).toBe(':root { --accent: #e4002b; }\n');
    } finally {
      await running.stop();
    }
  });
});
