import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import {
  describeCause,
  requestDifferences,
  type DrawRequest,
  type DrawResult,
  type WinnerDetail,
} from '../../core/draw';
import { LotteryError } from '../../core/errors';
import { printable } from '../../core/printable';
import {
  ProgressTracker,
  type ExecutionEnd,
  type ProgressUpdate,
  type Step,
} from '../../core/progress';
import {
  describeExecution,
  executionArnFor,
  followHistory,
  startExecution,
} from '../../aws/executions';
import { beaconSettingsFromEnv, checkRoundFile } from '../../aws/beacon-relays';
import type { CommandContext } from '../context';
import { cannotRead } from '../files';
import { drawResultOf, unknownDrawError } from '../past-draw';
import { plannedDraw } from '../plan';
import { startStage, type ForfeitOnStage, type StageShow } from '../stage';
import { stageSettings } from '../stage-settings';
import type { Session } from '../session';
import { DrawView } from '../render/draw-view';
import { bigText } from '../render/banner';
import { renderTable, styled } from '../render/table';
import type { DrawOptions, RedrawOptions } from '../options';
import { alreadyForfeited, recordForfeit, replacementRequest } from '../forfeit';
import { BACKEND_ERRORS } from '../../core/names';
import { plural } from '../../core/plural';

/** A readable, sortable execution name: draw-20261126-134501-3f2a. */
function newDrawName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `draw-${stamp}-${randomBytes(2).toString('hex')}`;
}

function failureError(
  end: Exclude<ExecutionEnd, { status: 'SUCCEEDED' }>,
  failedStep: Step | undefined,
  name: string,
  reported: boolean,
): LotteryError {
  const where = failedStep ? ` at ${failedStep.name}` : '';
  const reason = describeCause(end.cause) || end.error;
  const verb =
    end.status === 'ABORTED' ? 'was stopped' : end.status === 'TIMED_OUT' ? 'timed out' : 'failed';
  return new LotteryError('failed', `draw ${name} ${verb}${where}: ${reason}`, {
    hint:
      end.error === 'NotEnoughEligible'
        ? 'seed more employees, or reset the winners with `lottery reset`'
        : undefined,
    reported,
  });
}

/** On a terminal, the show ends with each winner's name in large letters. */
async function printBigNames(context: CommandContext, result: DrawResult): Promise<void> {
  const { stdout } = context.output.streams;
  if (!stdout.isTTY || context.output.streams.env.TERM === 'dumb') return;
  const style = context.output.out;
  context.output.result();
  for (const winner of result.winners) {
    const art = await bigText(winner.employee_name, (stdout.columns ?? 80) - 2);
    context.output.result(
      art ? style.bold.yellow(art) : style.bold.yellow(`  ★ ${winner.employee_name} ★`),
    );
  }
}

export async function printDrawResult(context: CommandContext, result: DrawResult): Promise<void> {
  const { output } = context;
  const style = output.out;
  await printBigNames(context, result);
  output.result();
  output.result(style.bold(`Winners${result.prize ? ` of ${result.prize}` : ''}:`));
  output.result(
    renderTable(
      style,
      ['#', 'Employee ID', 'Name', 'Department', 'Serial'],
      result.winners.map((winner, index) => [
        index + 1,
        winner.employee_id,
        styled(winner.employee_name, style.bold),
        winner.department,
        winner.lottery_serial,
      ]),
    ),
  );
  output.result();
  if (result.announcement.status === 'SENT') {
    output.result(`Announcement: ${result.message}`);
  } else {
    output.warn(
      `the winners are recorded, but the announcement was not sent (${result.announcement.error}: ${describeCause(result.announcement.cause)}). ` +
        `Send it with \`lottery announce ${result.draw_id}\` once the topic works.`,
    );
  }
  const beacon = result.audit.beacon;
  const source = beacon
    ? ` (the randomness of drand round ${beacon.round}, committed to before it existed)`
    : '';
  output.info(
    output.err.dim(
      `Draw ${result.draw_id}: ${result.audit.pool.size} eligible, seed ${result.audit.seed}${source}`,
    ),
  );
}

/** A draw being followed: where it runs, and how it is shown. */
interface Following {
  session: Session;
  executionArn: string;
  /** The draw's name, which is its execution's. */
  name: string;
  /** --json: the result (or the failure) as JSON on stdout. */
  json: boolean;
  /** --next: a draw whose places another draw took throws PlacesTaken, not why it failed. */
  moveOn: boolean;
  /** On stage, the show instead of the steps. */
  stage?: StageShow;
}

/**
 * The error of Reserve Prize when the prize has fewer places left than the draw asks: with
 * `--next`, another draw took them after this one read the plan, and nobody was picked yet.
 */
const PRIZE_TAKEN = 'PrizeExhausted';

/** A `--next` draw found its places taken (see PRIZE_TAKEN): the command moves on. */
class PlacesTaken extends Error {}

/** What a draw's progress is shown on: the steps, or the show. */
type ProgressView = { update(update: ProgressUpdate): Promise<void> | void; close(): void };

/**
 * Follows a draw to its end, showing each state on `view`; returns its result, or throws why it
 * failed (with --json, after printing the failure as JSON).
 */
async function awaitResult(
  context: CommandContext,
  following: Omit<Following, 'stage'>,
  view: ProgressView,
): Promise<DrawResult> {
  const { session, name } = following;
  const tracker = new ProgressTracker();
  const local = context.config.target === 'local';
  if (session.inProcess) {
    context.interrupts.first = `stopping: draw ${name} runs inside this command, so it finishes first; press Ctrl-C again to stop at once`;
    context.interrupts.second = `stopped at once, in the middle of draw ${name}. The next lottery command finishes it if its winners were recorded, or gives its people back; see how it ended with \`lottery draw --attach ${name}\``;
  }
  let failedStep: Step | undefined;
  try {
    for await (const events of followHistory(await session.clients.sfn(), following.executionArn, {
      minDelayMs: local ? 20 : 200,
      maxDelayMs: local ? 200 : context.config.pollIntervalMs,
      signal: context.signal,
    })) {
      for (const update of tracker.push(events)) {
        if (update.kind === 'ended') failedStep = update.failedStep;
        await view.update(update);
      }
    }
  } finally {
    view.close();
  }
  if (context.signal.aborted) {
    const where = session.inProcess
      ? 'It runs inside this command, so it is allowed to finish first'
      : `It keeps running on ${context.config.target === 'aws' ? 'AWS' : 'the local server'}`;
    throw new LotteryError('interrupted', `stopped watching draw ${name}. ${where}.`, {
      hint: `follow it again with \`lottery draw --attach ${name}\``,
    });
  }
  return endOf(context, following, { end: tracker.end, failedStep });
}

/** A followed draw's end: its result, or why it failed thrown (and with --json shown). */
async function endOf(
  context: CommandContext,
  following: Omit<Following, 'stage'>,
  seen: { end: ExecutionEnd | undefined; failedStep: Step | undefined },
): Promise<DrawResult> {
  const { output } = context;
  const { name, json } = following;
  const sfn = await following.session.clients.sfn();
  const described = await describeExecution(sfn, following.executionArn);
  if (described.status === 'SUCCEEDED') return drawResultOf(name, described.output);
  if (described.error === BACKEND_ERRORS.storageFailed) {
    throw new LotteryError(
      'environment',
      `draw ${name} was stopped: ${described.cause ?? 'its history could not be written'}`,
      {
        hint: 'free some space on the disk of the data directory (LOTTERY_HOME), or choose another one',
      },
    );
  }
  const { end, failedStep } = seen;
  const failure: Exclude<ExecutionEnd, { status: 'SUCCEEDED' }> =
    end && end.status !== 'SUCCEEDED'
      ? end
      : {
          status: (described.status ?? 'FAILED') as 'FAILED',
          error: described.error ?? 'Failed',
          cause: described.cause ?? '',
        };
  if (following.moveOn && failure.error === PRIZE_TAKEN) throw new PlacesTaken(name);
  if (json) {
    output.json({
      draw_id: name,
      status: failure.status,
      failed_state: failedStep?.name ?? null,
      error: failure.error,
      cause: describeCause(failure.cause),
    });
  }
  throw failureError(failure, failedStep, name, json);
}

/**
 * Follows a draw to its end, showing each state (or the show, on stage); prints its result and
 * the replacements drawn on stage, or throws why it failed.
 */
async function follow(context: CommandContext, following: Following): Promise<void> {
  const { stage, json } = following;
  const view = stage ?? new DrawView(context.output);
  const result = await awaitResult(context, following, view);
  const replacements = stage ? await stage.reveal(result) : [];
  stage?.leave();
  if (json) context.output.json(replacements.length > 0 ? { ...result, replacements } : result);
  else {
    await printDrawResult(context, result);
    for (const replacement of replacements) await printDrawResult(context, replacement);
  }
}

/** Follows the draw on stage when asked and possible, leaving the show however the draw ends. */
async function followOnStage(
  context: CommandContext,
  following: Omit<Following, 'stage' | 'json' | 'moveOn'> & {
    options: DrawOptions;
    prize: string | null;
  },
): Promise<void> {
  const { options, prize, ...rest } = following;
  const draw = { ...rest, json: Boolean(options.json), moveOn: options.next === true };
  const settings = stageSettings(options);
  const forfeit: ForfeitOnStage = (winner, drawn, show) =>
    replaceOnStage(context, draw.session, winner, drawn, show);
  const stage =
    settings &&
    startStage(context, draw.session, { id: draw.name, prize }, { ...settings, forfeit });
  if (!stage) return follow(context, draw);
  try {
    const signal = AbortSignal.any([context.signal, stage.interrupted]);
    await follow({ ...context, signal }, { ...draw, stage });
  } finally {
    stage.leave();
    const failure = await stage.settle();
    if (failure)
      context.output.warn(
        `the room's screen (lottery show) may not have followed this show: ${failure}`,
      );
  }
}

export async function draw(options: DrawOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const { attach } = options;
  stageSettings(options);
  if (attach !== undefined) {
    const session = await context.session();
    const executionArn = executionArnFor(await session.stateMachineArn(), attach);
    output.info(`Following draw ${attach}`);
    const following = { session, executionArn, name: attach, options, prize: null };
    await followOnStage(context, following).catch((error: unknown) => {
      throw unknownDrawError(attach, error);
    });
    return;
  }
  // `--next` reads the plan before its draw reserves places: when other operators' draws take
  // them meanwhile, it fails before anyone is picked, and the next prize with places left is drawn.
  for (let moves = 0; ; moves++) {
    const name = drawName(options, moves);
    const drawing = await planAndDraw(options, context, name);
    if (drawing.followed) return;
    if (moves + 1 >= MOVES_ON)
      throw new LotteryError(
        'failed',
        'other draws kept taking the places of the next prize: ' +
          `${MOVES_ON} draws of --next found theirs taken`,
        { hint: '`lottery prizes` shows what is left of each prize; draw one with --prize' },
      );
    output.warn(
      `the places of ${printable(drawing.prize ?? '')} were taken by another draw ` +
        `while draw ${name} started; drawing the next prize with places left`,
    );
  }
}

/**
 * `--next` moves on at most this many times: each move follows a prize whose places another draw
 * took, so a plan runs out long before, unless draws keep taking places and giving them back.
 */
const MOVES_ON = 20;

/** The name of the draw after `moves` moves on: `--name` with a suffix, or a fresh one. */
function drawName(options: DrawOptions, moves: number): string {
  if (options.name === undefined) return newDrawName();
  if (moves === 0) return options.name;
  const suffix = `-${moves + 1}`;
  return options.name.slice(0, 80 - suffix.length) + suffix;
}

/**
 * Reads the plan (for a prize or --next), starts the draw and follows it; `followed` is false when
 * a `--next` draw found its places taken.
 */
async function planAndDraw(
  options: DrawOptions,
  context: CommandContext,
  name: string,
): Promise<{ followed: boolean; prize: string | null }> {
  const { output } = context;
  if (options.next || options.prize !== undefined) {
    const planned = await plannedDraw(await context.session(), options);
    if (planned) options = { ...options, prize: planned.prize, winners: planned.winners };
  }
  const request = requestOf(options, context.config.target);
  if (options.beaconRound !== undefined && request.beacon_round_file !== undefined) {
    const shown = options.beaconRound;
    await checkRoundFile(request.beacon_round_file).catch((error: unknown) => {
      throw cannotRead(shown, error, 'name the file the round will be written to');
    });
  }
  if (request.seed) {
    output.warn(
      'this draw uses the seed you gave: it repeats a draw on the same pool, but whoever picks a seed can pick the winners, and `lottery verify` will say so',
    );
  }
  const session = await context.session();
  checkBeaconSettings(session, request.beacon);
  const executionArn = await startDraw(context, session, name, request);
  const prize = request.prize ?? null;
  try {
    await followOnStage(context, { session, executionArn, name, options, prize });
  } catch (error) {
    if (error instanceof PlacesTaken) return { followed: false, prize };
    throw error;
  }
  return { followed: true, prize };
}

/**
 * The embedded backend in this process reads its beacon settings (LOTTERY_BEACON_*, docs/beacon.md)
 * from this environment: a mistake in them is said here, before anything is written, rather than
 * by a failed execution. `local serve` and the Lambda functions read their own.
 */
function checkBeaconSettings(session: Session, beacon: boolean | undefined): void {
  if (beacon && session.inProcess) beaconSettingsFromEnv(process.env, 'LOTTERY_');
}

/** The execution input the flags ask for; a usage error for what commander cannot declare. */
function requestOf(options: DrawOptions, target: string): DrawRequest {
  // --winners is required unless --attach is given (which conflicts with it): more than commander
  // can declare.
  if (options.winners === undefined)
    throw new LotteryError(
      'usage',
      'say how many people to draw with --winners <count>, or follow a draw with --attach <id>',
      { hint: 'e.g. lottery draw --winners 2' },
    );
  // JSON leaves out the flags not given: the execution input is {"input": N} plus what was asked.
  const request: DrawRequest = { input: options.winners, prize: options.prize, seed: options.seed };
  // --beacon-round implies --beacon; either conflicts with --seed (declared in program.ts).
  if (options.beacon === true || options.beaconRound !== undefined) request.beacon = true;
  if (options.beaconRound !== undefined) {
    if (target !== 'local') {
      throw new LotteryError(
        'usage',
        '--beacon-round is for the embedded backend: on AWS, Lottery-FetchBeaconRound gets the round from the relays',
        { hint: 'leave out --beacon-round' },
      );
    }
    request.beacon_round_file = resolve(options.beaconRound);
  }
  return request;
}

/**
 * Starts a draw under its name; a draw of that name started before with the same request is
 * followed instead (Step Functions starts a name once), one with another request is refused.
 * Returns its ARN.
 */
async function startDraw(
  context: CommandContext,
  session: Session,
  name: string,
  request: DrawRequest,
): Promise<string> {
  const { output } = context;
  const stateMachineArn = await session.stateMachineArn();
  const sfn = await session.clients.sfn();
  try {
    const executionArn = await startExecution(sfn, stateMachineArn, name, request);
    const of = request.prize ? ` of ${request.prize}` : '';
    const replacing = request.replaces
      ? `, replacing ${request.replaces.employee_id} of draw ${request.replaces.draw_id}`
      : '';
    output.info(`Drawing ${plural(request.input, 'winner')}${of}${replacing} (execution ${name})`);
    return executionArn;
  } catch (error) {
    // Step Functions refuses a second execution with the same name: the draw was started before.
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
  const executionArn = executionArnFor(stateMachineArn, name);
  const differences = requestDifferences(
    (await describeExecution(sfn, executionArn)).input,
    request,
  );
  if (differences.length > 0) {
    throw new LotteryError(
      'usage',
      `draw ${name} was already started with ${differences.join(' and ')}`,
      {
        hint: `to see it, run \`lottery draw --attach ${name}\`; to draw again, choose another --name`,
      },
    );
  }
  output.warn(`draw ${name} was already started: showing it instead of drawing again`);
  return executionArn;
}

/**
 * The stage's \`x\` key: the winner being revealed is not present. Records the forfeit, starts
 * the replacement and follows it on the same show; its result is revealed in the winner's place.
 */
async function replaceOnStage(
  context: CommandContext,
  session: Session,
  winner: WinnerDetail,
  draw: DrawResult,
  show: StageShow,
): Promise<DrawResult> {
  const { forfeit } = await recordForfeit(session, {
    draw: draw.draw_id,
    employeeId: winner.employee_id,
    reason: NOT_PRESENT,
    eligibleAgain: false,
  });
  const request = replacementRequest(forfeit, draw.audit.seed_source === 'beacon');
  const quiet = { ...context, output: context.output.silent() };
  const name = forfeit.replacement_draw_id;
  const executionArn = await startDraw(quiet, session, name, request);
  return awaitResult(quiet, { session, executionArn, name, json: false, moveOn: false }, show);
}

/** What the stage's \`x\` key records as the reason. */
export const NOT_PRESENT = 'not present';

/**
 * \`lottery redraw DRAW ID --reason …\`: the winner forfeits, and one person is drawn in their
 * place, as a draw of its own shown like any other (src/cli/forfeit.ts has the order of writes).
 */
export async function redraw(options: RedrawOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  stageSettings(options);
  const session = await context.session();
  checkBeaconSettings(session, options.beacon);
  const { forfeit, written } = await recordForfeit(session, {
    draw: options.draw,
    employeeId: options.employeeId,
    reason: options.reason,
    eligibleAgain: Boolean(options.eligibleAgain),
    ...(options.name ? { replacementName: options.name } : {}),
  });
  if (written)
    output.info(
      `${forfeit.employee_id} (${forfeit.employee_name}) forfeits draw ${forfeit.draw_id}: "${forfeit.reason}"${forfeit.eligible_again ? '; they may win again later' : ''}`,
    );
  else output.warn(alreadyForfeited(forfeit, options.reason));
  const request = replacementRequest(forfeit, Boolean(options.beacon));
  const name = forfeit.replacement_draw_id;
  const executionArn = await startDraw(context, session, name, request);
  await followOnStage(context, { session, executionArn, name, options, prize: forfeit.prize });
}
