// Where settings come from, in process (runMain): each command runs in a project directory, as a
// user's shell would be, so that the nearest lottery.config.json is found from it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

let home: string;
let cleanup: () => void;
let project: string;
let userConfig: string;
beforeEach(() => {
  ({ home, cleanup } = tempHome());
  project = join(home, 'party', 'stage');
  mkdirSync(project, { recursive: true });
  userConfig = join(home, 'user-config.json');
});
afterEach(() => cleanup());

interface Shown {
  settings: { key: string; value: unknown; from: string }[];
  files: { project: string | null; user: string };
}
const show = async (args: string[] = [], env: Record<string, string | undefined> = {}) => {
  const result = await runMain([...args, 'config', 'show', '--json'], {
    home,
    cwd: project,
    env: { LOTTERY_CONFIG: userConfig, ...env },
  });
  expect(result.code, result.stderr).toBe(0);
  const shown = JSON.parse(result.stdout) as Shown;
  return Object.fromEntries(
    shown.settings.map((setting) => [setting.key, [setting.value, setting.from]]),
  );
};

describe('configuration precedence: flags, LOTTERY_* variables, project file, user file, defaults', () => {
  it('takes each setting from the first place that sets it, and says which', async () => {
    const projectFile = join(home, 'party', 'lottery.config.json');
    writeFileSync(
      projectFile,
      JSON.stringify({ region: 'eu-west-1', winnersTable: 'Party-Winners', pollIntervalMs: 500 }),
    );
    writeFileSync(
      userConfig,
      JSON.stringify({
        region: 'us-east-1',
        profile: 'me',
        employeeTable: 'Staff',
        pollIntervalMs: 750,
      }),
    );
    const settings = await show(['--region', 'ap-south-1'], {
      LOTTERY_WINNERS_TABLE: 'Env-Winners',
    });
    expect(settings.region).toEqual(['ap-south-1', '--region']);
    expect(settings.winnersTable).toEqual(['Env-Winners', 'LOTTERY_WINNERS_TABLE']);
    expect(settings.pollIntervalMs).toEqual([500, projectFile]);
    expect(settings.profile).toEqual(['me', userConfig]);
    expect(settings.employeeTable).toEqual(['Staff', userConfig]);
    expect(settings.target).toEqual(['local', 'default']);
    expect(settings.home).toEqual([home, 'LOTTERY_HOME']);
  });

  it('uses the table names of the nearest lottery.config.json for real', async () => {
    writeFileSync(
      join(project, 'lottery.config.json'),
      JSON.stringify({ employeeTable: 'Stage-Employees', winnersTable: 'Stage-Winners' }),
    );
    const seeded = await runMain(['seed', '--json'], {
      home,
      cwd: project,
      env: { LOTTERY_CONFIG: userConfig },
    });
    expect(seeded.code, seeded.stderr).toBe(0);
    const drawn = await runMain(['draw', '-n', '1', '--json'], {
      home,
      cwd: project,
      env: { LOTTERY_CONFIG: userConfig },
    });
    expect(drawn.code, drawn.stderr).toBe(0);
    // The default tables stayed empty: everything went to the configured ones.
    const elsewhere = await runMain(['employees', 'count', '--json'], {
      home,
      env: { LOTTERY_CONFIG: userConfig },
    });
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ total: 0 });
  });

  it('says where a config file is broken', async () => {
    writeFileSync(
      join(project, 'lottery.config.json'),
      '{\n  "target": "aws",\n  "region" "eu-west-1"\n}\n',
    );
    const result = await runMain(['config', 'show'], {
      home,
      cwd: project,
      env: { LOTTERY_CONFIG: userConfig },
    });
    expect(result.code).toBe(252);
    expect(result.stderr).toContain(
      `lottery.config.json:3: the config file is not valid JSON (ColonExpected)`,
    );
  });

  it('refuses unknown settings and bad values, naming the file', async () => {
    writeFileSync(userConfig, JSON.stringify({ regoin: 'eu-west-1' }));
    const unknown = await runMain(['config', 'show'], {
      home,
      cwd: project,
      env: { LOTTERY_CONFIG: userConfig },
    });
    expect(unknown.code).toBe(252);
    expect(unknown.stderr).toContain(`${userConfig}: unknown setting "regoin"`);
    writeFileSync(userConfig, JSON.stringify({ target: 'cloud' }));
    const bad = await runMain(['config', 'show'], {
      home,
      cwd: project,
      env: { LOTTERY_CONFIG: userConfig },
    });
    expect(bad.code).toBe(252);
    expect(bad.stderr).toContain(`${userConfig}: target must be "local" or "aws", got "cloud"`);
  });
});

describe('LOTTERY_CONFIG', () => {
  it('naming a file that does not exist is said out loud, and the command goes on', async () => {
    const missing = join(home, 'typo-config.json');
    const result = await runMain(['config', 'show', '--json'], {
      home,
      cwd: project,
      env: { LOTTERY_CONFIG: missing },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `warning: LOTTERY_CONFIG names ${missing}, which does not exist: no settings are read from it`,
    );
  });
});
