import {
  describeCause,
  drawRequestSchema,
  drawResultSchema,
  type ReplacedWinner,
} from '../../core/draw';
import type { Replaces } from '../../core/forfeits';
import { checkJson } from '../../core/parse';
import pMap from 'p-map';
import { describeExecution, recentExecutions } from '../../aws/executions';
import type { CommandContext } from '../context';
import { renderTable, styled } from '../render/table';
import type { DrawsListOptions } from '../options';

export interface DrawSummary {
  draw_id: string;
  status: string;
  started_at: string | null;
  stopped_at: string | null;
  requested: number | null;
  prize: string | null;
  winners: { employee_id: string; employee_name: string }[];
  /** A replacement draw: the winner it replaces, and why they forfeited (once it has drawn). */
  replaces: {
    draw_id: string;
    employee_id: string;
    employee_name?: string;
    reason?: string;
  } | null;
  error: string | null;
}

const DESCRIBE_CONCURRENCY = 4;

function replacedBy(replaces: Replaces | ReplacedWinner | undefined): DrawSummary['replaces'] {
  if (!replaces) return null;
  return {
    draw_id: replaces.draw_id,
    employee_id: replaces.employee_id,
    ...('reason' in replaces
      ? { employee_name: replaces.employee_name, reason: replaces.reason }
      : {}),
  };
}

/** What the list says of a replacement draw. */
function replacedText(replaces: NonNullable<DrawSummary['replaces']>): string {
  const why = replaces.reason ? `: ${replaces.reason}` : '';
  return `replaces ${replaces.employee_name ?? replaces.employee_id} of ${replaces.draw_id}${why}`;
}

/** Recent draws from ListExecutions, each described for its prize, winners or error. */
export async function collectDraws(
  context: CommandContext,
  options: DrawsListOptions,
): Promise<DrawSummary[]> {
  const session = await context.session();
  if (session.home) {
    // The embedded backend leaves a damaged record out of its list: say which, and why.
    const [{ damagedExecutionRecords }, { homePaths }] = await Promise.all([
      import('../../local/executions'),
      import('../../local/paths'),
    ]);
    for (const problem of damagedExecutionRecords(homePaths(session.home).executions))
      context.output.warn(problem);
  }
  const listed = await recentExecutions(
    await session.clients.sfn(),
    await session.stateMachineArn(),
    options.limit,
    options.status,
  );
  return pMap(
    listed.flatMap((item) =>
      item.executionArn ? [{ ...item, executionArn: item.executionArn }] : [],
    ),
    async (item): Promise<DrawSummary> => {
      const execution = await describeExecution(await session.clients.sfn(), item.executionArn);
      // Another tool may have started an execution with any input: it is listed, with what can be
      // read of it.
      const request = checkJson(drawRequestSchema, execution.input);
      const result =
        execution.output === undefined ? undefined : checkJson(drawResultSchema, execution.output);
      const drawn = result?.ok ? result.value : undefined;
      return {
        draw_id: item.name ?? '',
        status: execution.status ?? item.status ?? 'UNKNOWN',
        started_at: execution.startDate?.toISOString() ?? null,
        stopped_at: execution.stopDate?.toISOString() ?? null,
        requested: request.ok ? request.value.input : null,
        prize: drawn?.prize ?? (request.ok ? request.value.prize : null) ?? null,
        winners: (drawn?.winners ?? []).map((winner) => ({
          employee_id: winner.employee_id,
          employee_name: winner.employee_name,
        })),
        replaces: replacedBy(drawn?.replaces ?? (request.ok ? request.value.replaces : undefined)),
        error: execution.error
          ? `${execution.error}: ${describeCause(execution.cause)}`
          : result && !result.ok
            ? `its output is not a draw result: ${result.error}`
            : null,
      };
    },
    { concurrency: DESCRIBE_CONCURRENCY },
  );
}

export async function drawsList(options: DrawsListOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const draws = await collectDraws(context, options);
  if (options.json) {
    output.json(draws);
    return;
  }
  if (draws.length === 0) {
    output.info('No draws yet.');
    return;
  }
  const style = output.out;
  const paint = (status: string) =>
    styled(
      status,
      status === 'SUCCEEDED' ? style.green : status === 'RUNNING' ? style.cyan : style.red,
    );
  output.result(
    renderTable(
      style,
      ['Draw', 'Status', 'Started', 'Prize', 'Winners'],
      draws.map((draw) => [
        draw.draw_id,
        paint(draw.status),
        draw.started_at?.replace('T', ' ').slice(0, 19),
        draw.prize,
        [
          draw.winners.length > 0
            ? draw.winners.map((winner) => winner.employee_name).join(', ')
            : (draw.error ?? ''),
          draw.replaces ? `(${replacedText(draw.replaces)})` : '',
        ]
          .filter(Boolean)
          .join(' '),
      ]),
    ),
  );
}
