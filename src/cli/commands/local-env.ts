import { localEndpoint } from '../../local/backend';
import { LOCAL_REGION } from '../../local/constants';
import type { CommandContext } from '../context';
import type { LocalEnvOptions } from '../options';

/**
 * What any AWS SDK needs to reach `lottery local serve` as an endpoint: the data directory's
 * credentials (the server answers only requests signed with them), its region, and its URL.
 */
export async function localEnv(options: LocalEnvOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const { home, credentials, server } = await localEndpoint(config.home);
  const variables: Record<string, string> = {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    ...(server ? { AWS_ENDPOINT_URL: server.url } : {}),
  };
  if (options.json) {
    output.json(variables);
  } else {
    for (const [name, value] of Object.entries(variables))
      output.result(`export ${name}='${value}'`);
    // The SDKs prefer a profile or a session token to keys in the environment.
    output.result('unset AWS_SESSION_TOKEN AWS_PROFILE');
  }
  if (!server) {
    output.info(
      `No lottery local serve answers for ${home}, so AWS_ENDPOINT_URL is left out: start one (\`lottery local serve\`), then run this again.`,
    );
  }
}
