import { randomBytes } from 'node:crypto';
import { LotteryError } from '../../core/errors';
import { OWN_PACE } from '../../core/show';
import type { CommandContext } from '../context';
import type { ShowOptions } from '../options';
import type { Session } from '../session';
import { loadPage } from '../show/page';
import { startShowServer, type ShowServer } from '../show/server';

// `lottery show`: the room's screen. The page's address is printed before anything else is
// loaded (a person is waiting to put it on the projector); then the command connects to the
// target and follows its draws until Ctrl-C. On the embedded backend it shares the data
// directory: other commands (the host's `draw --stage`) find it as they find `local serve`.

function listenError(error: unknown, host: string, port: number | undefined): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new LotteryError('environment', `port ${port} is already in use`, {
      hint: 'choose another with --port, or leave it out to use a free one',
      cause: error,
    });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new LotteryError('usage', `--host ${host} is not an address of this machine`, {
      hint: 'give one of its addresses (`ip address` lists them), or 0.0.0.0 for all of them',
      cause: error,
    });
  if (code === 'EACCES')
    return new LotteryError(
      'environment',
      `port ${port} is reserved for the system administrator`,
      { hint: 'choose a port above 1023 with --port', cause: error },
    );
  return error;
}

/** Opens the default browser; a failure is said, not fatal: the address is printed anyway. */
async function openBrowser(url: string, context: CommandContext): Promise<void> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.once('error', (error) =>
      context.output.warn(`could not open a browser (${error.message}): open the address above`),
    );
  } catch (error) {
    context.output.warn(
      `could not open a browser (${(error as Error).message}): open the address above`,
    );
  }
}

/**
 * Connects to the target, trying again while another command holds the embedded backend's data
 * directory (a draw running on its own), with the reason on the page and, once, on the terminal.
 */
async function connect(
  context: CommandContext,
  server: ShowServer,
  target: string,
): Promise<Session | undefined> {
  const { openSession } = await import('../session');
  let said = '';
  while (!context.signal.aborted) {
    try {
      return await openSession(context.config, context.output, 'show', true);
    } catch (error) {
      // Only the data directory's lock is worth waiting for; anything else is said and ends here.
      const busy =
        context.config.target === 'local' &&
        error instanceof LotteryError &&
        error.kind === 'environment';
      if (!busy) throw error;
      if (error.message !== said) {
        context.output.warn(`${error.message}; trying again every few seconds`);
        said = error.message;
      }
      server.publish({ target, names: [], notice: `Waiting for the backend: ${error.message}` });
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  return undefined;
}

export async function show(options: ShowOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const page = loadPage(options.theme);
  const host = options.host ?? '127.0.0.1';
  // A web page anywhere can make this browser ask a local server; only the printed address, with
  // its token, gets an answer.
  const token = randomBytes(18).toString('base64url');
  const server = await startShowServer({ host, port: options.port, token, page }).catch(
    (error: unknown) => {
      throw listenError(error, host, options.port);
    },
  );
  let session: Session | undefined;
  try {
    for (const url of server.urls) output.result(url);
    output.info(
      "The room's screen: open the address above in a browser, full screen (F11). It shows each draw as it runs, from any terminal; it cannot change anything.",
    );
    if (options.open) await openBrowser(server.urls[0] ?? '', context);
    const target = config.target === 'local' ? 'the embedded backend' : 'AWS';
    session = await connect(context, server, target);
    if (!session) return;
    output.info('Press Ctrl-C to stop.');
    const { ShowFollower } = await import('../show/follower');
    await new ShowFollower({
      session,
      target: config.target === 'local' ? target : `AWS ${session.target.region ?? ''}`.trimEnd(),
      publish: (state) => server.publish(state),
      warn: (message) => output.warn(message),
      pace: {
        ...OWN_PACE,
        suspenseMs: options.suspense === undefined ? OWN_PACE.suspenseMs : options.suspense * 1000,
      },
      signal: context.signal,
    }).run();
  } finally {
    await server.close();
    if (session?.inProcess) output.info('Stopping: waiting for running draws to finish…');
    await session?.close();
  }
}
