// AWS's CloudFormation linter on infra/template.yaml, and on the template `lottery deploy` submits
// (code in S3, the definition inline). It is a Python tool: when it is missing this test fails
// (never skips), in CI and everywhere else, and says how to install it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledStack } from '../../../src/cli/stack-operation';
import { ROOT, TEMPLATE_PATH } from '../../helpers/template';

const INSTALL_HINT =
  'cfn-lint (AWS CloudFormation Linter) is not installed or not on PATH: install it with `pip install cfn-lint` (or `pipx install cfn-lint`), then run the tests again';

// cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational; other codes mean it
// failed to run.
const ERRORS = 2;
const KNOWN_BITS = 2 | 4 | 8;

const work = mkdtempSync(join(tmpdir(), 'lottery-cfn-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function expectNoErrors(path: string) {
  const result = spawnSync('cfn-lint', ['--format', 'parseable', '--', path], {
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
  expect(code & ERRORS, `cfn-lint found errors:\n${output}`).toBe(0);
}

describe('cfn-lint', () => {
  it('finds no errors in infra/template.yaml', () => {
    expectNoErrors(relative(ROOT, TEMPLATE_PATH));
  }, 120_000);

  it('finds no errors in the template deploy submits', () => {
    const path = join(work, 'packaged.json');
    writeFileSync(
      path,
      JSON.stringify(
        bundledStack().templateIn('lottery-artifacts-123456789012-eu-west-1'),
        null,
        2,
      ),
    );
    expectNoErrors(path);
  }, 120_000);
});
