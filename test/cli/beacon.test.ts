import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roundTime } from '../../src/core/beacon';
import { downRelay, startRelay, TestChain, type RelayBehaviour } from '../helpers/beacon';
import { serveInProcess } from '../helpers/backend';
import { ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// Beacon draws end to end, in process (runMain), with no network: a drand chain whose key the test
// generates, served by relays on 127.0.0.1 that behave well or badly, and round files.

let home: string;
let cleanup: () => void;
let chain: TestChain;
const closers: (() => Promise<unknown>)[] = [];
beforeEach(() => {
  ({ home, cleanup } = tempHome());
  chain = new TestChain();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  cleanup();
});

interface DrawJson {
  draw_id: string;
  winners: { employee_id: string }[];
  audit: {
    seed: string;
    seed_source: string;
    pool: { digest: string };
    beacon?: { chain: string; round: number; commitment_digest: string };
  };
}

async function relay(behaviour: RelayBehaviour): Promise<string> {
  const started = await startRelay(chain, behaviour);
  closers.push(started.close);
  return started.url;
}

const beaconEnv = (relays: string[], more: Record<string, string> = {}) => ({
  LOTTERY_BEACON_CHAIN: chain.infoJson(),
  LOTTERY_BEACON_RELAYS: relays.join(','),
  LOTTERY_BEACON_MARGIN_SECONDS: '1',
  ...more,
});

const committedRound = (stderr: string) =>
  Number(/committed to round (\d+) of drand test-chain/.exec(stderr)?.[1]);

/** A Python block of a docs page, by the name in the comment above it. */
function docsScript(page: string, name: string): string {
  const script = new RegExp(
    `<!-- ${name.replace('.', '\\.')}[^>]*-->\\s*\`\`\`python\\n([\\s\\S]*?)\`\`\``,
  ).exec(readFileSync(join(ROOT, 'docs', page), 'utf8'))?.[1];
  if (!script) throw new Error(`docs/${page} has no ${name} block`);
  const file = join(home, name);
  writeFileSync(file, script);
  return file;
}

describe('lottery draw --beacon', () => {
  it('commits, waits for the round, verifies it and draws with its randomness; verify checks it all offline', async () => {
    const env = beaconEnv([await relay('honest')]);
    await runMain(['seed'], { home, env });
    const startedAt = Date.now();
    const drawn = await runMain(['draw', '-n', '3', '--prize', 'Bike', '--beacon', '--json'], {
      home,
      env,
    });
    expect(drawn.code, drawn.stderr).toBe(0);
    const result = JSON.parse(drawn.stdout) as DrawJson;
    const round = committedRound(drawn.stderr);
    // The round did not exist when the draw started, let alone when it committed.
    expect(roundTime(chain.info, round) * 1000).toBeGreaterThan(startedAt);
    expect(result.audit).toMatchObject({
      seed: chain.sign(round).randomness,
      seed_source: 'beacon',
      beacon: { chain: chain.info.hash, round },
    });
    expect(drawn.stderr).toMatch(
      new RegExp(`⧗ Wait For Beacon Round\\s+round ${round} of test-chain in \\d+ s`),
    );
    expect(drawn.stderr).toMatch(
      new RegExp(
        `✔ Fetch Beacon Round .*round ${round} verified against test-chain's public key \\(from http://127\\.0\\.0\\.1:\\d+\\): seed ${result.audit.seed.slice(0, 12)}`,
      ),
    );

    const verified = await runMain(['verify', result.draw_id], {
      home,
      env: { LOTTERY_BEACON_RELAYS: 'http://127.0.0.1:9' },
    });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(
      new RegExp(
        `✔ commitment recorded by Step Functions [\\d.]+ s before round ${round} was due; binds candidates \\w+…, 3 winners of Bike and round ${round}`,
      ),
    );
    expect(verified.stdout).toMatch(
      /! beacon\s+round \d+ is validly signed, but by chain \w+…, which is not a drand chain this version knows/,
    );
    expect(verified.stdout).toContain(
      `✔ seed       ${result.audit.seed.slice(0, 12)}…, the randomness of drand round ${round}`,
    );
    const json = JSON.parse(
      (await runMain(['verify', result.draw_id, '--json'], { home })).stdout,
    ) as {
      commitment: { round: number; chain: { public_key: string } };
      round: { signature: string };
    };
    expect(json.commitment).toMatchObject({ round, chain: { public_key: chain.info.public_key } });
    expect(json.round.signature).toBe(chain.sign(round).signature);

    // By hand, with the scripts of docs/beacon.md and docs/fairness.md: the commitment, the round
    // and the seed, then the winners from that seed.
    const report = join(home, 'verify.json');
    writeFileSync(report, (await runMain(['verify', result.draw_id, '--json'], { home })).stdout);
    const beaconByHand = execFileSync(
      'python3',
      [docsScript('beacon.md', 'check-beacon.py'), report],
      {
        encoding: 'utf8',
      },
    );
    expect(beaconByHand).toContain(`commitment digest: ${result.audit.beacon?.commitment_digest}`);
    expect(beaconByHand).toMatch(
      new RegExp(
        `round: ${round} first round past the margin: ${round} due \\d+\\.\\d{3} s after the commitment`,
      ),
    );
    expect(beaconByHand).toContain(`round used: ${round} of chain ${chain.info.hash}`);
    expect(beaconByHand).toContain(`seed: ${result.audit.seed}`);
    expect(beaconByHand).toContain(`pool digest: ${result.audit.pool.digest}`);
    const poolFile = join(home, 'candidates.json');
    await runMain(['verify', result.draw_id, '--save-pool', poolFile], { home });
    const drawByHand = execFileSync(
      'python3',
      [docsScript('fairness.md', 'check-draw.py'), poolFile, result.audit.seed, '1', '3'],
      { encoding: 'utf8' },
    );
    expect(drawByHand).toContain(`pool digest: ${result.audit.pool.digest}`);
    expect(drawByHand).toContain(
      `winners: ${result.winners.map((winner) => winner.employee_id).join(' ')}`,
    );
  }, 60_000);

  it.each<[RelayBehaviour, string, RegExp]>([
    ['forged', 'BeaconRoundInvalid', /the signature is not the chain's signature of round (\d+)/],
    ['replayed', 'BeaconRoundInvalid', /it served round (\d+), not round (\d+)/],
  ])(
    'refuses a %s round and fails the draw, recording nobody',
    async (behaviour, error, reason) => {
      const env = beaconEnv([await relay(behaviour)]);
      await runMain(['seed'], { home, env });
      const drawn = await runMain(['draw', '-n', '2', '--beacon'], { home, env });
      expect(drawn.code).toBe(1);
      expect(drawn.stderr).toContain(
        `failed at Fetch Beacon Round: no source served a valid round ${committedRound(drawn.stderr)} of chain test-chain`,
      );
      expect(drawn.stderr).toMatch(reason);
      expect(drawn.stderr).toContain(error);
      expect(JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout)).toEqual(
        [],
      );
    },
    60_000,
  );

  it('redraw --beacon: the replacement commits to its forfeit and the pool without the forfeited person, then draws from a round', async () => {
    const env = beaconEnv([await relay('honest')]);
    await runMain(['seed'], { home, env });
    const first = JSON.parse(
      (await runMain(['draw', '-n', '1', '--name', 'bike', '--json'], { home, env })).stdout,
    ) as DrawJson;
    const absent = first.winners[0]!.employee_id;
    const redrawn = await runMain(
      ['redraw', 'bike', absent, '--reason', 'not present', '--beacon', '--json'],
      { home, env },
    );
    expect(redrawn.code, redrawn.stderr).toBe(0);
    const replacement = JSON.parse(redrawn.stdout) as DrawJson & {
      replaces: { employee_id: string };
    };
    expect(replacement.audit.seed_source).toBe('beacon');
    expect(replacement.replaces.employee_id).toBe(absent);
    expect(replacement.winners[0]?.employee_id).not.toBe(absent);
    const verified = await runMain(['verify', replacement.draw_id], { home, env });
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain(`✔ forfeits   replaces ${absent} (`);
  }, 60_000);

  it('fails clearly when every relay is down, after the retries', async () => {
    const env = beaconEnv([await downRelay()]);
    await runMain(['seed'], { home, env });
    const drawn = await runMain(['draw', '-n', '2', '--beacon'], { home, env });
    expect(drawn.code).toBe(1);
    expect(drawn.stderr).toMatch(/↻ Fetch Beacon Round .*BeaconRoundUnavailable/);
    expect(drawn.stderr).toMatch(
      /draw \S+ failed at Fetch Beacon Round: no source had round \d+ of chain test-chain \(http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\)/,
    );
  }, 60_000);

  it('does not wait for a slow relay when another has the round, and names the slow one when none does', async () => {
    const slow = await relay('slow');
    const env = beaconEnv([slow, await relay('honest')], {
      LOTTERY_BEACON_RELAY_TIMEOUT_MS: '300',
    });
    await runMain(['seed'], { home, env });
    const drawn = await runMain(['draw', '-n', '1', '--beacon'], { home, env });
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(drawn.stderr).not.toContain(slow);

    const alone = await runMain(['draw', '-n', '1', '--beacon'], {
      home,
      env: { ...env, LOTTERY_BEACON_RELAYS: slow },
    });
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain(`${slow}: no answer within 0.3 s`);
  }, 60_000);

  it('reads the round from --beacon-round FILE when no relay answers, once the round exists; a file of an earlier round is refused', async () => {
    const env = beaconEnv([await downRelay()], { LOTTERY_BEACON_ROUND_FILE_WAIT_SECONDS: '8' });
    await runMain(['seed'], { home, env });
    const file = join(home, 'round.json');
    // The file holds an earlier round (one that existed before the commitment) until round R is
    // published.
    writeFileSync(file, JSON.stringify(chain.sign(chain.latest())));
    let written = false;
    const drawn = await runMain(['draw', '-n', '2', '--beacon-round', file, '--json'], {
      home,
      env,
      watch: (stderr) => {
        const round = committedRound(stderr);
        if (written || !round) return;
        written = true;
        const publish = () => writeFileSync(file, JSON.stringify(chain.sign(round)));
        setTimeout(publish, roundTime(chain.info, round) * 1000 - Date.now() + 200);
      },
    });
    expect(drawn.code, drawn.stderr).toBe(0);
    const result = JSON.parse(drawn.stdout) as DrawJson;
    expect(drawn.stderr).toContain(`(from ${file})`);
    expect(result.audit.seed).toBe(chain.sign(result.audit.beacon?.round ?? 0).randomness);
    expect((await runMain(['verify', result.draw_id], { home })).code).toBe(0);

    writeFileSync(file, JSON.stringify(chain.sign(chain.latest())));
    const stale = await runMain(['draw', '-n', '1', '--beacon-round', file], {
      home,
      env: { ...env, LOTTERY_BEACON_ROUND_FILE_WAIT_SECONDS: '1' },
    });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      new RegExp(`${file}: it served round \\d+, not round ${committedRound(stale.stderr)}`),
    );
  }, 60_000);

  it('fails a draw whose pool was loaded again between its commitment and its round', async () => {
    const env = beaconEnv([await relay('honest')], { LOTTERY_BEACON_MARGIN_SECONDS: '4' });
    // The server's engine waits for the round: it reads the beacon's settings from the process's
    // environment, which is the commands' while they run (runMain).
    const server = await serveInProcess(home);
    closers.push(server.stop);
    await runMain(['seed'], { home, env });
    const newcomer = join(home, 'newcomer.csv');
    writeFileSync(newcomer, 'employee_id,employee_name\n011,Newcomer\n');
    let reseeded: Promise<unknown> | undefined;
    const drawn = await runMain(['draw', '-n', '2', '--beacon'], {
      home,
      env,
      watch: (stderr) => {
        if (!reseeded && committedRound(stderr))
          reseeded = runMain(['seed', '--file', newcomer], { home, env });
      },
    });
    expect(await reseeded).toMatchObject({ code: 0 });
    expect(drawn.code).toBe(1);
    expect(drawn.stderr).toMatch(
      /failed at Random Select Winners: the pool was loaded again \(statistics version 1 → 2\) after the draw committed to it/,
    );
  }, 60_000);

  it('refuses a beacon setting it cannot use before the draw or the forfeit is written', async () => {
    const env = beaconEnv([await relay('honest')], { LOTTERY_BEACON_MARGIN_SECONDS: 'soon' });
    await runMain(['seed'], { home, env });
    const drawn = await runMain(['draw', '-n', '1', '--beacon'], { home, env });
    expect(drawn.code).toBe(252);
    expect(drawn.stderr).toContain(
      'LOTTERY_BEACON_MARGIN_SECONDS must be a positive number, got "soon"',
    );
    const relays = { ...env, LOTTERY_BEACON_RELAYS: 'ftp://relay.example' };
    const again = await runMain(['redraw', 'draw-x', 'E1', '--reason', 'absent', '--beacon'], {
      home,
      env: relays,
    });
    expect(again.code).toBe(252);
    expect(again.stderr).toContain('LOTTERY_BEACON_RELAYS: "ftp://relay.example" is not');
    const draws = await runMain(['draws', 'list', '--json'], { home });
    expect(draws.code, draws.stdout + draws.stderr).toBe(0);
    expect(JSON.parse(draws.stdout)).toEqual([]);
  });

  it('refuses --beacon with --seed, and --beacon-round on AWS', async () => {
    const both = await runMain(['draw', '-n', '1', '--beacon', '--seed', 'ab'.repeat(16)], {
      home,
    });
    expect(both.code).toBe(252);
    expect(both.stderr).toContain("option '--beacon' cannot be used with option '--seed <hex>'");
    const aws = await runMain(
      [
        '--target',
        'aws',
        '--region',
        'eu-west-1',
        'draw',
        '-n',
        '1',
        '--beacon-round',
        'round.json',
      ],
      { home, env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' } },
    );
    expect(aws.code).toBe(252);
    expect(aws.stderr).toContain('--beacon-round is for the embedded backend');
  });
});
