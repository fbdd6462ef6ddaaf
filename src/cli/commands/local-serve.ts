import { once } from 'node:events';
import { serveLocalBackend } from '../../local/backend';
import { parseFaults } from '../../local/faults';
import { homeExposure } from '../../local/paths';
import type { CommandContext } from '../context';
import type { LocalServeOptions } from '../options';

/** Holds the data directory for other commands until Ctrl-C, so that many can run at once. */
export async function localServe(
  options: LocalServeOptions,
  context: CommandContext,
): Promise<void> {
  const { output, config } = context;
  const tables = {
    employees: config.employeeTable,
    winners: config.winnersTable,
    draws: config.drawsTable,
  };
  const backend = await serveLocalBackend(
    config.home,
    tables,
    options.port,
    parseFaults(output.streams.env.LOTTERY_FAULTS),
  );
  const exposed = homeExposure(backend.home);
  if (exposed) output.warn(exposed);
  output.result(backend.url);
  output.info(
    `Embedded backend for ${backend.home} listening on ${backend.url} (pid ${process.pid}).`,
  );
  output.info(
    'Other lottery commands on this data directory use it. It answers only requests signed with its credentials:',
  );
  output.info(
    '`eval "$(lottery local env)"` sets them, with its region and URL, for any AWS SDK and for `lottery --target aws`.',
  );
  output.info('Press Ctrl-C to stop.');
  if (!context.signal.aborted) await once(context.signal, 'abort');
  output.info('Stopping: waiting for running draws to finish…');
  await backend.close();
  output.info('Stopped.');
}
