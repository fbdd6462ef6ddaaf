import { join } from 'node:path';
import envPaths from 'env-paths';

/** The embedded backend's data directory: LOTTERY_HOME, else the user's data directory. */
export function defaultHome(): string {
  return envPaths('lottery', { suffix: '' }).data;
}

export function homePaths(home: string) {
  return {
    home,
    dynamodb: join(home, 'dynamodb'),
    executions: join(home, 'executions'),
    outbox: join(home, 'outbox.jsonl'),
    stateMachine: join(home, 'state-machine.json'),
    lock: join(home, 'lock.json'),
    lockStore: join(home, 'lock'),
    server: join(home, 'server.json'),
  };
}

export type HomePaths = ReturnType<typeof homePaths>;
