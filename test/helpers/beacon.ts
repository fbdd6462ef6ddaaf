import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bls12_381 } from '@noble/curves/bls12-381';
import {
  roundMessage,
  roundRandomness,
  roundTime,
  type BeaconRound,
  type ChainInfo,
} from '../../src/core/beacon';

// A drand chain of the tests' own: its key is generated here, so the tests can sign rounds (and
// forge them) with no network. It uses quicknet's scheme (G1 signatures, RFC 9380 hashing).

const G1_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

export class TestChain {
  private readonly secret = bls12_381.utils.randomSecretKey();
  readonly info: ChainInfo;

  constructor(options: { period?: number; genesisTime?: number } = {}) {
    const publicKey = Buffer.from(bls12_381.getPublicKeyForShortSignatures(this.secret)).toString(
      'hex',
    );
    this.info = {
      hash: createHash('sha256').update(publicKey).digest('hex'),
      public_key: publicKey,
      period: options.period ?? 1,
      genesis_time: options.genesisTime ?? Math.floor(Date.now() / 1000) - 100,
      scheme: 'bls-unchained-g1-rfc9380',
      beacon_id: 'test-chain',
    };
  }

  /** The chain as drand's relays describe it at /{hash}/info, which LOTTERY_BEACON_CHAIN takes. */
  infoJson(): string {
    const { hash, public_key, period, genesis_time, scheme, beacon_id } = this.info;
    return JSON.stringify({
      public_key,
      period,
      genesis_time,
      hash,
      schemeID: scheme,
      metadata: { beaconID: beacon_id },
    });
  }

  /**
   * A round as drand publishes it, signed with `secret` (the chain's own key unless a forger's is
   * given).
   */
  sign(round: number, secret: Uint8Array = this.secret): BeaconRound & { randomness: string } {
    const message = bls12_381.shortSignatures.hash(roundMessage({ round, signature: '' }), G1_DST);
    const signature = bls12_381.shortSignatures.sign(message, secret).toHex(true);
    return { round, randomness: roundRandomness(signature), signature };
  }

  isPublished(round: number, now = Date.now()): boolean {
    return roundTime(this.info, round) * 1000 <= now;
  }

  /** The latest round that exists now. */
  latest(now = Date.now()): number {
    return Math.floor((now / 1000 - this.info.genesis_time) / this.info.period) + 1;
  }
}

export type RelayBehaviour = 'honest' | 'forged' | 'replayed' | 'slow';

/**
 * An HTTP relay on 127.0.0.1 serving /{hash}/public/{round} as drand's do: 404 until the round's
 * time. 'forged' signs with another key, 'replayed' serves an earlier round in its place, 'slow'
 * never answers (until closed).
 */
export async function startRelay(
  chain: TestChain,
  behaviour: RelayBehaviour,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const forger = bls12_381.utils.randomSecretKey();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (behaviour === 'slow') return;
    const match = /^\/([0-9a-f]{64})\/public\/(\d+)$/.exec(request.url ?? '');
    const round = Number(match?.[2]);
    if (!match || match[1] !== chain.info.hash || !chain.isPublished(round)) {
      response.writeHead(404).end('not found');
      return;
    }
    const served =
      behaviour === 'forged'
        ? chain.sign(round, forger)
        : behaviour === 'replayed'
          ? chain.sign(round - 5)
          : chain.sign(round);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A test chain behind one honest relay, and the settings that point the CLI at them (a round at
 * least `margin` seconds after the commitment).
 */
export async function honestBeacon(
  margin = 1,
): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
  const chain = new TestChain();
  const relay = await startRelay(chain, 'honest');
  const env = {
    LOTTERY_BEACON_CHAIN: chain.infoJson(),
    LOTTERY_BEACON_RELAYS: relay.url,
    LOTTERY_BEACON_MARGIN_SECONDS: String(margin),
  };
  return { env, close: relay.close };
}

/** A URL where nothing listens: a relay that is down. */
export async function downRelay(): Promise<string> {
  const relay = await startRelay(new TestChain(), 'honest');
  await relay.close();
  return relay.url;
}

export const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');
