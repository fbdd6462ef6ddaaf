import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LAMBDA_ENV } from '../core/names';
import { newSeed } from '../core/selection';
import { createDocumentClient, createSfnClient } from '../aws/clients';
import { sleep } from '../aws/dynamo';
import { executionStatus, rememberingEnded } from '../aws/executions';
import { beaconSettingsFromEnv, type BeaconSettings } from '../aws/beacon-relays';

/**
 * What the handlers need from the outside: injected by the local backend, read from the environment
 * on AWS.
 */
export interface HandlerDeps {
  doc: DynamoDBDocumentClient;
  employeeTable: string;
  winnersTable: string;
  drawsTable: string;
  /**
   * The status of an execution of the state machine (RUNNING, SUCCEEDED…); undefined if there is
   * none.
   */
  executionStatus(executionArn: string): Promise<string | undefined>;
  now(): Date;
  newSeed(): string;
  sleep(ms: number): Promise<void>;
  /**
   * How long after a seed a draw waits before it trusts lottery_serial-index: DynamoDB's global
   * secondary indexes are eventually consistent, and a person the index does not show yet would be
   * taken for a hole and left out. The embedded backend's index is written with the table: 0.
   */
  indexLagMs: number;
  /**
   * The beacon chain and relays; read when a beacon draw needs them, so that a bad setting fails
   * that draw, not every draw.
   */
  beacon(): BeaconSettings;
  /**
   * Embedded backend only: how long a beacon draw waits for its round file after the round's time.
   */
  roundFileWaitMs?: number;
}

/** A judgment, not a figure AWS publishes: index updates usually show within a second. */
export const AWS_INDEX_LAG_MS = 2000;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/**
 * SDK attempts per request in a handler: the SDK's default, stated because the workflow's Retry
 * policies build on it: a request that still fails fails the task, and Step Functions retries that.
 */
export const HANDLER_SDK_ATTEMPTS = 3;

let fromEnv: Promise<HandlerDeps> | undefined;

/** On AWS: one DynamoDB client per Lambda container, reused across invocations. */
export function depsFromEnv(): Promise<HandlerDeps> {
  fromEnv ??= Promise.all([
    createDocumentClient({ maxAttempts: HANDLER_SDK_ATTEMPTS }),
    createSfnClient({ maxAttempts: HANDLER_SDK_ATTEMPTS }),
  ]).then(([{ doc }, sfn]) => ({
    doc,
    employeeTable: requiredEnv(LAMBDA_ENV.employeeTable),
    winnersTable: requiredEnv(LAMBDA_ENV.winnersTable),
    drawsTable: requiredEnv(LAMBDA_ENV.drawsTable),
    executionStatus: rememberingEnded((executionArn) => executionStatus(sfn, executionArn)),
    indexLagMs: AWS_INDEX_LAG_MS,
    now: () => new Date(),
    newSeed,
    sleep,
    beacon: () => beaconSettingsFromEnv(process.env),
  }));
  return fromEnv;
}

/** Turns a handler factory into a Lambda entry point that builds its dependencies once. */
export function lambdaHandler<E, R>(
  factory: (deps: HandlerDeps) => (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  let handler: ((event: E) => Promise<R>) | undefined;
  return async (event) => {
    handler ??= factory(await depsFromEnv());
    return handler(event);
  };
}
