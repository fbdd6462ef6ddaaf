import {
  defaultsLayer,
  envLayer,
  isConfigKey,
  resolveConfig,
  type ConfigKey,
  type ConfigLayer,
  type LotteryConfig,
} from '../core/config';
import { LotteryError } from '../core/errors';
import { defaultHome } from '../local/paths';
import { configFileLayers } from './config-files';
import { Output, type Streams } from './output';
import type { GlobalOptions } from './options';
import { openSession, type Session } from './session';

/** The global flags that set a setting: --endpoint-url sets endpointUrl, and so on. */
export function flagLayer(options: GlobalOptions): ConfigLayer {
  const values: ConfigLayer['values'] = {};
  const sources: ConfigLayer['sources'] = {};
  for (const [key, value] of Object.entries(options)) {
    if (!isConfigKey(key) || value === undefined) continue;
    values[key] = value;
    sources[key] = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  }
  return { source: 'flag', values, sources };
}

export interface CommandContext {
  output: Output;
  config: LotteryConfig;
  origins: Partial<Record<ConfigKey, string>>;
  /** Connects to the target on first use; the runner closes it when the command ends. */
  session(): Promise<Session>;
  /** Aborted when the user presses Ctrl-C. */
  signal: AbortSignal;
  /**
   * What to say at once on Ctrl-C, and on a second Ctrl-C, which stops the process there and then.
   */
  interrupts: InterruptNotes;
}

export interface InterruptNotes {
  first?: string;
  second?: string;
}

export function createContext(
  command: string,
  options: GlobalOptions,
  streams: Streams,
  signal: AbortSignal,
  interrupts: InterruptNotes = {},
) {
  const output = new Output(streams, { color: options.color, quiet: options.quiet });
  const resolved = resolveConfig([
    flagLayer(options),
    envLayer(streams.env),
    ...configFileLayers(process.cwd(), streams.env, (message) => output.warn(message)),
    defaultsLayer(defaultHome()),
  ]);
  if (resolved.errors.length > 0) {
    throw new LotteryError('usage', 'the configuration is not valid', {
      hint: 'fix the values above',
      details: resolved.errors,
    });
  }
  let session: Promise<Session> | undefined;
  const context: CommandContext = {
    output,
    config: resolved.config,
    origins: resolved.origins,
    session: () => (session ??= openSession(resolved.config, output, command)),
    signal,
    interrupts,
  };
  return {
    context,
    close: async () => {
      if (session) await (await session.catch(() => undefined))?.close();
    },
  };
}
