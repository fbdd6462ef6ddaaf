import { CONFIG_KEYS, SETTINGS } from '../../core/config';
import type { CommandContext } from '../context';
import { PROJECT_CONFIG, findProjectConfig, userConfigPath } from '../config-files';
import { renderTable, styled } from '../render/table';
import type { ConfigShowOptions } from '../options';

export function collectConfig(context: CommandContext) {
  return CONFIG_KEYS.map((key) => {
    const value = context.config[key];
    return {
      key,
      value: value ?? null,
      from:
        value === undefined
          ? (SETTINGS[key].unset ?? 'unset')
          : (context.origins[key] ?? 'default'),
    };
  });
}

/** Every setting, its value, and where the value came from (flag, environment, file, default). */
export async function configShow(
  options: ConfigShowOptions,
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  const settings = collectConfig(context);
  const files = {
    project: findProjectConfig(process.cwd()) ?? null,
    user: userConfigPath(output.streams.env),
  };
  if (options.json) {
    output.json({ settings, files });
    return;
  }
  output.result(
    renderTable(
      output.out,
      ['Setting', 'Value', 'From'],
      settings.map((setting) => [
        setting.key,
        setting.value === null ? styled('—', output.out.dim) : String(setting.value),
        setting.from,
      ]),
    ),
  );
  output.info(
    `Precedence: flags, then LOTTERY_* variables, then ${files.project ?? `./${PROJECT_CONFIG} (none found)`}, then ${files.user}, then defaults.`,
  );
}
