import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

function serve(
  home: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'local', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, LOTTERY_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.on('close', (code) =>
      reject(new Error(`local serve exited with ${code} before it was ready`)),
    );
  });
}

describe('lottery local serve', () => {
  it('lets many commands use one data directory at once, and stops cleanly on Ctrl-C', async () => {
    const server = await serve(home);
    try {
      await runCli(['seed'], { home });
      const draws = await Promise.all(
        [1, 2, 3].map(() => runCli(['draw', '--winners', '2'], { home })),
      );
      for (const draw of draws) {
        expect(draw.code).toBe(0);
        expect(draw.stderr).toContain(`via lottery local serve at ${server.url}`);
      }
      const winners = JSON.parse(
        (await runCli(['winners', 'list', '--json'], { home })).stdout,
      ) as { employee_id: string }[];
      expect(new Set(winners.map((winner) => winner.employee_id)).size).toBe(6);
    } finally {
      server.child.kill('SIGINT');
    }
    expect(await server.exited).toBe(0);
    expect(existsSync(join(home, 'server.json'))).toBe(false);
    expect(existsSync(join(home, 'lock.json'))).toBe(false);
  });

  it('answers as an AWS endpoint to whoever has the credentials `lottery local env` prints, and to nobody else', async () => {
    const server = await serve(home);
    try {
      await runCli(['seed'], { home });
      const printed = await runCli(['local', 'env', '--json'], { home });
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
      const drawn = await runCli(['--target', 'aws', 'draw', '--winners', '1', '--json'], {
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
      const refused = await runCli(
        ['--target', 'aws', '--endpoint-url', server.url, 'winners', 'list'],
        { home: '/nonexistent', env: guessed },
      );
      expect(refused.code).toBe(253);
      expect(refused.stderr).toContain('The security token included in the request is invalid');
      expect(refused.stderr).toContain(
        '`lottery local env` prints the credentials of this data directory',
      );
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
    }
  });

  it('`eval "$(lottery local env)"` sets up a shell for any AWS SDK', async () => {
    const server = await serve(home);
    try {
      const script =
        'eval "$("$0" "$1" local env)" && printf "%s\\n" "$AWS_ENDPOINT_URL" "$AWS_REGION" "${AWS_PROFILE-no profile}" "${AWS_SESSION_TOKEN-no token}"';
      const shell = spawnSync('/bin/sh', ['-c', script, process.execPath, BIN], {
        cwd: ROOT,
        env: {
          ...process.env,
          LOTTERY_HOME: home,
          AWS_PROFILE: 'work',
          AWS_SESSION_TOKEN: 'from-work',
        },
        encoding: 'utf8',
      });
      expect(shell.stdout.split('\n')).toEqual([server.url, 'local', 'no profile', 'no token', '']);
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
    }
  });

  it('`lottery local env` without a server prints the same credentials, and says the endpoint is missing', async () => {
    const before = await runCli(['local', 'env'], { home });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='LOTTERY[0-9A-F]{20}'$/m);
    expect(before.stdout).not.toContain('AWS_ENDPOINT_URL');
    expect(before.stderr).toContain(
      `No lottery local serve answers for ${home}, so AWS_ENDPOINT_URL is left out`,
    );

    const server = await serve(home);
    try {
      const during = await runCli(['local', 'env'], { home });
      expect(during.stdout).toBe(
        before.stdout.replace('unset ', `export AWS_ENDPOINT_URL='${server.url}'\nunset `),
      );
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
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
      const seeded = await runCli(['seed'], { home });
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
    const server = await serve(home);
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
        const result = await runCli(['employees', 'count'], {
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

      const second = await runCli(['local', 'serve'], { home: join(links, 'home') });
      expect(second.code).toBe(253);
      expect(second.stderr).toContain(
        `error: lottery local serve already serves ${home} at ${server.url} (pid ${server.child.pid})`,
      );
      expect(second.stderr).toContain(
        `hint: other commands on this data directory use it already; to start another, stop that one first (Ctrl-C in its terminal, or \`kill ${server.child.pid}\`)`,
      );
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
      rmSync(links, { recursive: true, force: true });
    }
  });
});
