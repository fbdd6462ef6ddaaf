import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

function serve(home: string): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'local', 'serve'], { cwd: ROOT, env: { ...process.env, LOTTERY_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.on('close', (code) => reject(new Error(`local serve exited with ${code} before it was ready`)));
  });
}

describe('lottery local serve', () => {
  it('lets many commands use one data directory at once, and stops cleanly on Ctrl-C', async () => {
    const server = await serve(home);
    try {
      await runCli(['seed'], { home });
      const draws = await Promise.all([1, 2, 3].map(() => runCli(['draw', '--winners', '2'], { home })));
      for (const draw of draws) {
        expect(draw.code).toBe(0);
        expect(draw.stderr).toContain(`via lottery local serve at ${server.url}`);
      }
      const winners = JSON.parse((await runCli(['winners', 'list', '--json'], { home })).stdout) as { employee_id: string }[];
      expect(new Set(winners.map((winner) => winner.employee_id)).size).toBe(6);
    } finally {
      server.child.kill('SIGINT');
    }
    expect(await server.exited).toBe(0);
    expect(existsSync(join(home, 'server.json'))).toBe(false);
    expect(existsSync(join(home, 'lock.json'))).toBe(false);
  });

  it('answers as an AWS endpoint to --target aws --endpoint-url', async () => {
    const server = await serve(home);
    try {
      await runCli(['seed'], { home });
      const aws = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'local', AWS_PROFILE: undefined };
      const drawn = await runCli(['--target', 'aws', '--endpoint-url', server.url, 'draw', '--winners', '1', '--json'], { home: '/nonexistent', env: aws });
      expect(drawn.stderr).toContain(`Target: AWS (region local, endpoint ${server.url})`);
      expect(drawn.code).toBe(0);
      expect((JSON.parse(drawn.stdout) as { winners: unknown[] }).winners).toHaveLength(1);
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
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
        const result = await runCli(['employees', 'count'], { home: spelling.home, cwd: spelling.cwd });
        expect({ spelling: spelling.name, code: result.code }).toEqual({ spelling: spelling.name, code: 0 });
        expect(result.stderr).toContain(`Target: local embedded backend via lottery local serve at ${server.url} (data in ${home})`);
      }

      const second = await runCli(['local', 'serve'], { home: join(links, 'home') });
      expect(second.code).toBe(253);
      expect(second.stderr).toContain(`error: lottery local serve already serves ${home} at ${server.url} (pid ${server.child.pid})`);
      expect(second.stderr).toContain(`hint: other commands on this data directory use it already; to start another, stop that one first (Ctrl-C in its terminal, or \`kill ${server.child.pid}\`)`);
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
      rmSync(links, { recursive: true, force: true });
    }
  });
});
