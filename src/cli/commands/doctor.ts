import { diagnose, summarize, type CheckStatus, type DoctorCheck } from '../../ops/doctor';
import type { Target } from '../../core/config';
import { LotteryError } from '../../core/errors';
import type { ClientTarget } from '../../aws/clients';
import { probeTarget, type ProbeRequest } from '../../aws/probe';
import type { CommandContext } from '../context';
import { announceAwsTarget } from '../session';
import type { DoctorOptions } from '../options';
import { plural } from '../../core/plural';
import { DATA_CHECKS } from '../data-checks';

/** Probes the chosen target and judges each part of the backend. */
export async function collectDoctor(
  context: CommandContext,
  fix = false,
): Promise<{ target: Target; checks: DoctorCheck[] }> {
  const { config, output } = context;
  let client: ClientTarget;
  let topicArn: string | undefined;
  let stack: ProbeRequest['stack'];
  if (config.target === 'local') {
    const [session, { LOCAL_ARNS }] = await Promise.all([
      context.session(),
      import('../../local/constants'),
    ]);
    client = session.target;
    topicArn = LOCAL_ARNS.topic;
  } else {
    // Not context.session(): it stops at a missing region, which is one of the things to report.
    client = { region: config.region, profile: config.profile, endpoint: config.endpointUrl };
    const { bundledStack } = await import('../stack-operation');
    // Without its bundles (a checkout never built) the package has nothing to compare the stack
    // with.
    const bundled = (() => {
      try {
        return bundledStack();
      } catch (error) {
        if (error instanceof LotteryError) return undefined;
        throw error;
      }
    })();
    stack = {
      name: config.stackName,
      ...(bundled
        ? { bundled: { template: bundled.templateIn(''), functions: bundled.functions } }
        : {}),
    };
  }
  const spinner = await output.spinner(
    `Checking the ${config.target === 'local' ? 'embedded backend' : 'AWS target'}…`,
  );
  const probe = await probeTarget({
    target: config.target,
    client,
    tables: {
      employees: config.employeeTable,
      winners: config.winnersTable,
      draws: config.drawsTable,
    },
    stateMachineArn: config.stateMachineArn,
    stateMachineOrigin: context.origins.stateMachineArn,
    topicArn,
    stack,
    signal: context.signal,
  }).finally(() => spinner.stop());
  if (context.signal.aborted)
    throw new LotteryError('interrupted', 'interrupted before every check had an answer');
  if (config.target === 'aws') announceAwsTarget(config, output, probe.region);
  const checks = diagnose(probe);
  // What the tables hold can be asked about only once the parts it reads answer.
  const answered = new Set(checks.filter((check) => check.status === 'ok').map((c) => c.name));
  for (const check of DATA_CHECKS)
    if (check.needs.every((name) => answered.has(name)))
      checks.push(await check.run(await context.session(), fix));
  return { target: config.target, checks };
}

export async function doctor(options: DoctorOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const { target, checks } = await collectDoctor(context, Boolean(options.fix));
  const { ok, problems, warnings } = summarize(checks);
  if (options.json) {
    output.json({ ok, target, checks });
  } else {
    const style = output.out;
    const marks: Record<CheckStatus, string> = {
      ok: style.green('✔'),
      warn: style.yellow('!'),
      fail: style.red('✖'),
    };
    const width = Math.max(...checks.map((check) => check.name.length));
    for (const check of checks) {
      output.result(`  ${marks[check.status]} ${check.name.padEnd(width)}  ${check.message}`);
      if (check.fix) output.result(`    ${' '.repeat(width)}  ${style.dim(`fix: ${check.fix}`)}`);
    }
  }
  if (!ok) {
    throw new LotteryError('environment', `${plural(problems, 'problem')} found`, {
      hint: 'fix them as shown above, then run `lottery doctor` again',
      reported: Boolean(options.json),
    });
  }
  if (!options.json) {
    output.result(
      warnings > 0
        ? output.out.yellow(`No problems, ${plural(warnings, 'warning')}.`)
        : output.out.green('Everything is in place.'),
    );
  }
}
