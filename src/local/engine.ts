import { writeFileSync } from 'node:fs';
import { allStates, lotteryDefinition, substitute, taskStates } from '../core/definition';
import { FUNCTIONS, STATE_MACHINE_NAME, type FunctionVariable } from '../core/names';
import { LOCAL_ARNS, LOCAL_REGION } from './constants';
import { newSeed } from '../core/selection';
import { createDocumentClient, type StaticCredentials } from '../aws/clients';
import { releaseClaims, rowsOfDraw } from '../aws/winners-table';
import { getSelectionRecords } from '../aws/draws-table';
import { rememberingEnded } from '../aws/executions';
import { releasePrizeHold } from '../aws/prize-plan';
import { settleInterruptedDraw } from '../core/audit';
import { sleep } from '../aws/dynamo';
import { HANDLER_SDK_ATTEMPTS, type HandlerDeps } from '../lambdas/deps';
import { createInputWinners } from '../lambdas/input-winners';
import { createReservePrize } from '../lambdas/reserve-prize';
import { createRandomSelectWinners } from '../lambdas/random-select-winners';
import { createRecordWinners } from '../lambdas/record-winners';
import { createReleaseWinners } from '../lambdas/release-winners';
import { createValidateWinners } from '../lambdas/validate-winners';
import { createCommitDraw } from '../lambdas/commit-draw';
import { createFetchBeaconRound } from '../lambdas/fetch-beacon-round';
import { beaconSettingsFromEnv } from '../aws/beacon-relays';
import { ApiError, LocalStepFunctions, type LocalTask, type LocalTaskHandler } from './executions';
import { publishToOutbox } from './outbox';
import { PRIVATE_FILE, readDataFile, type HomePaths } from './paths';
import type { StateMachineInfo } from './sfn-api';
import type { TableNames } from './tables';
import { delay, FaultInjector, type TaskFault } from './faults';
import * as z from 'zod/mini';
import { checkJson } from '../core/parse';
import { LotteryError } from '../core/errors';

/** aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22) for Task timeouts. */
function installPromiseWithResolvers() {
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve!: (value: unknown) => void;
    let reject!: (reason?: unknown) => void;
    const created = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}

/** The engine stores `"ResultPath": "$"` under a literal "$" key; leaving it out means the same. */
function withoutRootResultPaths(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRootResultPaths);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, field]) => !(key === 'ResultPath' && field === '$'))
      .map(([key, field]) => [key, withoutRootResultPaths(field)]),
  );
}

export function localDefinition() {
  const values: Record<string, string> = {
    Partition: 'aws',
    NotificationTopicArn: LOCAL_ARNS.topic,
  };
  for (const [variable, name] of Object.entries(FUNCTIONS))
    values[variable as FunctionVariable] = LOCAL_ARNS.function(name);
  return withoutRootResultPaths(substitute(lotteryDefinition(), values)) as ReturnType<
    typeof lotteryDefinition
  >;
}

function lambdaHandlers(deps: HandlerDeps): Record<string, LocalTaskHandler> {
  return {
    [FUNCTIONS.InputWinnersFunctionArn]: createInputWinners(deps) as LocalTaskHandler,
    [FUNCTIONS.ReservePrizeFunctionArn]: createReservePrize(deps) as LocalTaskHandler,
    [FUNCTIONS.RandomSelectWinnersFunctionArn]: createRandomSelectWinners(deps) as LocalTaskHandler,
    [FUNCTIONS.ValidateWinnersFunctionArn]: createValidateWinners(deps) as LocalTaskHandler,
    [FUNCTIONS.RecordWinnersFunctionArn]: createRecordWinners(deps) as LocalTaskHandler,
    [FUNCTIONS.ReleaseWinnersFunctionArn]: createReleaseWinners(deps) as LocalTaskHandler,
    [FUNCTIONS.CommitDrawFunctionArn]: createCommitDraw(deps) as LocalTaskHandler,
    [FUNCTIONS.FetchBeaconRoundFunctionArn]: createFetchBeaconRound(deps) as LocalTaskHandler,
  };
}

function withFaults(
  faults: FaultInjector,
  state: string,
  handler: LocalTaskHandler,
): LocalTaskHandler {
  const fail = (fault: TaskFault) => {
    if (fault.error)
      throw Object.assign(new Error(fault.message ?? 'injected by LOTTERY_FAULTS'), {
        name: fault.error,
      });
  };
  return async (input) => {
    const fault = faults.task(state);
    if (!fault?.after) await delay(fault?.delayMs);
    if (fault && !fault.after) fail(fault);
    const output = await handler(input);
    if (fault?.after) {
      await delay(fault.delayMs);
      fail(fault);
    }
    return output;
  };
}

/**
 * How long a beacon draw reads its round file after the round's time: within Fetch Beacon Round's
 * Task timeout (60 s).
 */
function roundFileWaitMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.LOTTERY_BEACON_ROUND_FILE_WAIT_SECONDS ?? 45);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 45) * 1000 : 45_000;
}

/**
 * When the state machine was first created in this data directory: it stays put across restarts, as
 * on AWS.
 */
function creationTime(paths: HomePaths): number {
  let text: string;
  try {
    text = readDataFile(paths.stateMachine);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const createdAt = Date.now();
    writeFileSync(paths.stateMachine, JSON.stringify({ createdAt }), PRIVATE_FILE);
    return createdAt;
  }
  // A file that cannot be read is reported, not written over: it holds the date since which draws
  // are listed.
  const kept = checkJson(z.object({ createdAt: z.number() }), text);
  if (!kept.ok)
    throw new LotteryError(
      'environment',
      `the embedded backend cannot read ${paths.stateMachine} (${kept.error})`,
      {
        hint: 'restore it from a backup, or remove it to start the state machine afresh (past draws are kept)',
      },
    );
  return kept.value.createdAt;
}

/**
 * The Step Functions side of the embedded backend: the ASL file run in-process with our handlers.
 */
export async function createLocalStepFunctions(
  url: string,
  credentials: StaticCredentials,
  paths: HomePaths,
  tables: TableNames,
  faults = new FaultInjector(),
) {
  installPromiseWithResolvers();
  const { StateMachine } = await import('aws-local-stepfunctions');
  const definition = localDefinition();
  // The definition is validated by the test suite (asl-validator); skipping it here saves ~100 ms.
  const machine = new StateMachine(definition as never, {
    validationOptions: { noValidate: true },
  });
  const { doc } = await createDocumentClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials,
    maxAttempts: HANDLER_SDK_ATTEMPTS,
  });
  // The handlers ask about other draws' executions: the engine answers from the executions it runs.
  const running: { executions?: LocalStepFunctions } = {};
  const handlers = lambdaHandlers({
    doc,
    employeeTable: tables.employees,
    winnersTable: tables.winners,
    drawsTable: tables.draws,
    indexLagMs: 0,
    executionStatus: rememberingEnded(async (executionArn) => {
      try {
        return running.executions?.describe(executionArn).status;
      } catch (error) {
        if (error instanceof ApiError) return undefined;
        throw error;
      }
    }),
    now: () => new Date(),
    newSeed,
    sleep,
    // The same settings as the functions on AWS, named LOTTERY_BEACON_* (docs/beacon.md).
    beacon: () => beaconSettingsFromEnv(process.env, 'LOTTERY_'),
    roundFileWaitMs: roundFileWaitMs(process.env),
  });
  const tasks: Record<string, LocalTask> = {};
  for (const task of taskStates(definition)) {
    if (task.resource.endsWith(':states:::sns:publish')) {
      tasks[task.name] = {
        resource: task.resource,
        kind: 'service',
        handler: withFaults(faults, task.name, (input) =>
          publishToOutbox(paths.outbox, input as never),
        ),
      };
      continue;
    }
    const handler = handlers[task.resource.split(':').at(-1) ?? ''];
    if (!handler)
      throw new Error(`the embedded backend has no handler for ${task.name} (${task.resource})`);
    tasks[task.name] = {
      resource: task.resource,
      kind: 'lambda',
      handler: withFaults(faults, task.name, handler),
    };
  }
  const retryStates = allStates(definition).flatMap(([name, state]) => (state.Retry ? [name] : []));
  const executions = new LocalStepFunctions({
    directory: paths.executions,
    machine,
    stateMachineArn: LOCAL_ARNS.stateMachine,
    executionArnPrefix: LOCAL_ARNS.executionPrefix,
    roleArn: LOCAL_ARNS.role,
    region: LOCAL_REGION,
    tasks,
    retryIntervalMs: 50,
    retryStates,
  });
  running.executions = executions;
  await executions.recoverInterrupted(async ({ name }) => {
    const rows = await rowsOfDraw(doc, tables.winners, name);
    const finished = settleInterruptedDraw(
      rows,
      await getSelectionRecords(doc, tables.draws, name),
    );
    if (finished) return { output: JSON.stringify(finished) };
    await releaseClaims(
      doc,
      tables.winners,
      name,
      rows.map((row) => row.employee_id),
    );
    await releasePrizeHold(doc, tables.draws, tables.winners, name, () => new Date());
    return undefined;
  });
  const info: StateMachineInfo = {
    arn: LOCAL_ARNS.stateMachine,
    name: STATE_MACHINE_NAME,
    roleArn: LOCAL_ARNS.role,
    definition: JSON.stringify(definition),
    createdAt: creationTime(paths),
  };
  return { executions, info };
}
