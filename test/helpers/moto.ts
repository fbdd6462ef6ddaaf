import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './cli';

// moto's server as the tests' AWS: CloudFormation, S3, STS, DynamoDB, Step Functions, SNS, IAM,
// Lambda (created, not run) and Logs on one loopback port, with what CloudFormation does
// server-side and moto lacks added by test/helpers/moto_server.py (the SAM transform, per-resource
// events, rollback, RetainExceptOnCreate). No internet: moto answers everything itself.

export const MOTO_INSTALL_HINT =
  'moto is missing: the deploy tests need `python3 -c "import moto, samtranslator"` to work (moto[server] from PyPI, samtranslator comes with cfn-lint); .ci/run checks for both';

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto on a free loopback port and resolves once it answers. */
export async function startMoto(): Promise<Moto> {
  const probe = spawnSync('python3', ['-c', 'import moto.server, samtranslator'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) throw new Error(`${MOTO_INSTALL_HINT}\n${probe.stderr ?? probe.error}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'python3',
    [join(ROOT, 'test', 'helpers', 'moto_server.py'), '-H', '127.0.0.1', '-p', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = `${log}${chunk.toString()}`.slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  for (let waited = 0; ; waited += 100) {
    if (gone) throw new Error(`moto exited before it answered:\n${log}`);
    // moto's own API answers once the server is up.
    const ready = await fetch(`${url}/moto-api/data.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (waited > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${url} within 30 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
