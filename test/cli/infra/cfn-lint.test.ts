// AWS's CloudFormation linter on infra/template.yaml, and on the template `lottery deploy` submits
// (code in S3, the definition inline), made here from stand-in bundles so that no build is
// needed: only the S3 keys, named by the bundles' content, differ from a real deploy's. It is a
// Python tool: when it is missing this test fails (never skips), in CI and everywhere else, and
// says how to install it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageStack } from '../../../src/aws/artifacts';
import { lotteryDefinition } from '../../../src/core/definition';
import { FUNCTIONS } from '../../../src/core/names';
import type { Json } from '../../../src/ops/template';
import { ROOT, TEMPLATE_PATH } from '../../helpers/template';

const INSTALL_HINT =
  'cfn-lint (AWS CloudFormation Linter) is not installed or not on PATH: install it with `pip install cfn-lint` (or `pipx install cfn-lint`), then run the tests again';

// cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational; other codes mean it
// failed to run.
const KNOWN_BITS = 2 | 4 | 8;

const work = mkdtempSync(join(tmpdir(), 'lottery-cfn-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TEMPLATE = relative(ROOT, TEMPLATE_PATH);
const PACKAGED = join(work, 'packaged.json');

/** The template deploy submits, with the code of stand-in bundles. */
function writePackagedTemplate() {
  const bundles = join(work, 'bundles');
  for (const name of Object.values(FUNCTIONS)) {
    mkdirSync(join(bundles, name), { recursive: true });
    writeFileSync(join(bundles, name, 'index.mjs'), `export const handler = () => '${name}';\n`);
  }
  const stack = packageStack(
    { template: TEMPLATE_PATH, bundles },
    lotteryDefinition() as unknown as Json,
  );
  writeFileSync(
    PACKAGED,
    JSON.stringify(stack.templateIn('lottery-artifacts-123456789012-eu-west-1'), null, 2),
  );
}

// One run of cfn-lint for both templates: most of its time is starting up. Its parseable lines
// read "file:line:column:end line:end column:rule:message"; rules named E… are errors.
let findings: string[] = [];
beforeAll(() => {
  writePackagedTemplate();
  const result = spawnSync('cfn-lint', ['--format', 'parseable', '--', TEMPLATE, PACKAGED], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
    expect.fail(INSTALL_HINT);
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`.trim();
  const code = result.status ?? -1;
  if (output) console.log(`cfn-lint says:\n${output}`);
  expect(code & ~KNOWN_BITS, `cfn-lint did not run properly (exit code ${code}):\n${output}`).toBe(
    0,
  );
  findings = output.split('\n').filter(Boolean);
}, 120_000);

function expectNoErrors(path: string) {
  const errors = findings.filter(
    (line) =>
      line.startsWith(`${path}:`) &&
      line
        .slice(path.length + 1)
        .split(':')[4]
        ?.startsWith('E'),
  );
  expect(errors, `cfn-lint found errors in ${path}`).toEqual([]);
}

describe('cfn-lint', () => {
  it('finds no errors in infra/template.yaml', () => expectNoErrors(TEMPLATE));

  it('finds no errors in the template deploy submits', () => expectNoErrors(PACKAGED));
});
