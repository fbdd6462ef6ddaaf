import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveInProcess } from '../helpers/backend';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// `lottery local serve` as the commands of a data directory find it, and as an AWS endpoint, in
// process: the server is started in the test's process (serveInProcess) and the commands run
// through main() (runMain). Stopping it with Ctrl-C, and a shell set up by `lottery local env`,
// are in test/e2e/local-serve.test.ts.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

describe('lottery local serve', () => {
  it('answers as an AWS endpoint to whoever has the credentials `lottery local env` prints, and to nobody else', async () => {
    const server = await serveInProcess(home);
    try {
      await runMain(['seed'], { home });
      const printed = await runMain(['local', 'env', '--json'], { home });
      expect(printed.code).toBe(0);
      const env = JSON.parse(printed.stdout) as Record<string, string>;
      expect(env).toEqual({
        AWS_ACCESS_KEY_ID: expect.stringMatching(/^LOTTERY[0-9A-F]{20}$/),
        AWS_SECRET_ACCESS_KEY: expect.stringMatching(/^[\w-]{40}$/),
        AWS_REGION: 'local',
        AWS_DEFAULT_REGION: 'local',
        AWS_ENDPOINT_URL: server.url,
      });

      // As any AWS SDK would, the CLI's SDK clients take the endpoint from AWS_ENDPOINT_URL.
      const drawn = await runMain(['--target', 'aws', 'draw', '--winners', '1', '--json'], {
        home: '/nonexistent',
        env: { ...env, AWS_PROFILE: undefined, AWS_SESSION_TOKEN: undefined },
      });
      expect(drawn.code).toBe(0);
      expect((JSON.parse(drawn.stdout) as { winners: unknown[] }).winners).toHaveLength(1);

      const guessed = {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'local',
        AWS_PROFILE: undefined,
        AWS_SESSION_TOKEN: undefined,
      };
      const refused = await runMain(
        ['--target', 'aws', '--endpoint-url', server.url, 'winners', 'list'],
        { home: '/nonexistent', env: guessed },
      );
      expect(refused.code).toBe(253);
      expect(refused.stderr).toContain('The security token included in the request is invalid');
      expect(refused.stderr).toContain(
        '`lottery local env` prints the credentials of this data directory',
      );
    } finally {
      await server.stop();
    }
  });

  it('`lottery local env` without a server prints the same credentials, and says the endpoint is missing', async () => {
    const before = await runMain(['local', 'env'], { home });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='LOTTERY[0-9A-F]{20}'$/m);
    expect(before.stdout).not.toContain('AWS_ENDPOINT_URL');
    expect(before.stderr).toContain(
      `No lottery local serve answers for ${home}, so AWS_ENDPOINT_URL is left out`,
    );

    const server = await serveInProcess(home);
    try {
      const during = await runMain(['local', 'env'], { home });
      expect(during.stdout).toBe(
        before.stdout.replace('unset ', `export AWS_ENDPOINT_URL='${server.url}'\nunset `),
      );
    } finally {
      await server.stop();
    }
  });

  it('is not mistaken for another process that answers on the port a server of the directory once had', async () => {
    // Say another user's process now listens where the last server of this directory did, and
    // answers like it, without the secret.
    const asked: string[] = [];
    const impostor = createServer((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ service: 'lottery-local', home, pid: process.pid, proof: '0'.repeat(64) }),
      );
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    writeFileSync(join(home, 'server.json'), JSON.stringify({ url, pid: process.pid, home }));
    try {
      const seeded = await runMain(['seed'], { home });
      expect(seeded.code).toBe(0);
      expect(seeded.stderr).toContain(`Target: local embedded backend (data in ${home})`);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatch(/^GET \/lottery\/health\?challenge=[0-9a-f]{32}$/);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });
});

describe('a data directory spelled another way', () => {
  it('finds the server of that directory, and a second `local serve` says where it runs', async () => {
    const server = await serveInProcess(home);
    const links = mkdtempSync(join(tmpdir(), 'lottery-links-'));
    try {
      symlinkSync(home, join(links, 'home'));
      const spellings = [
        { name: 'trailing slash', home: `${home}/` },
        { name: 'doubled slashes', home: home.replaceAll('/', '//') },
        { name: 'relative path', home: basename(home), cwd: dirname(home) },
        { name: 'symbolic link', home: join(links, 'home') },
      ];
      for (const spelling of spellings) {
        const result = await runMain(['employees', 'count'], {
          home: spelling.home,
          cwd: spelling.cwd,
        });
        expect({ spelling: spelling.name, code: result.code }).toEqual({
          spelling: spelling.name,
          code: 0,
        });
        expect(result.stderr).toContain(
          `Target: local embedded backend via lottery local serve at ${server.url} (data in ${home})`,
        );
      }

      const second = await runMain(['local', 'serve'], { home: join(links, 'home') });
      expect(second.code).toBe(253);
      expect(second.stderr).toContain(
        `error: lottery local serve already serves ${home} at ${server.url} (pid ${server.pid})`,
      );
      expect(second.stderr).toContain(
        `hint: other commands on this data directory use it already; to start another, stop that one first (Ctrl-C in its terminal, or \`kill ${server.pid}\`)`,
      );
    } finally {
      await server.stop();
      rmSync(links, { recursive: true, force: true });
    }
  });
});
