import * as z from 'zod/mini';
import { LotteryError } from '../core/errors';
import { checkJson } from '../core/parse';
import { lotteryDefinition, taskStates } from '../core/definition';

// A test-only switch of the embedded backend: LOTTERY_FAULTS='{"dynamodb": [...], "tasks": [...]}'
// makes chosen requests fail or slow down, so that tests (and a nervous organiser) can rehearse a
// throttled table, a failing announcement or a crashing handler against the real code. It never
// applies to AWS. The first fault of a list that matches a call applies to it.

const count = z.int().check(z.minimum(0));

const schedule = {
  /** Let this many matching calls through first. */
  skip: z.optional(count),
  /** Apply to this many calls, then let calls through again; to every call when left out. */
  times: z.optional(count),
  /** Answer this much later (with or without an error). */
  delayMs: z.optional(count),
};

const requestFaultSchema = z.strictObject({
  /** The API operation, e.g. "BatchWriteItem" for DynamoDB or "Publish" for SNS. */
  operation: z.string(),
  /** The error to answer with; none to only delay. */
  error: z.optional(
    z.enum([
      'ProvisionedThroughputExceededException',
      'ThrottlingException',
      'InternalServerError',
      'InternalError',
    ]),
  ),
  ...schedule,
});

/**
 * The states a task fault can name: the Task states of the workflow. A misspelt one would silently
 * never apply.
 */
const TASK_STATES = taskStates(lotteryDefinition()).map((task) => task.name);

const taskFaultSchema = z.strictObject({
  /** The state name, e.g. "Notify Winners". */
  state: z.string().check(
    z.refine((state) => TASK_STATES.includes(state), {
      error: (issue) =>
        `no Task state is named ${JSON.stringify(issue.input)}; the Task states are ${TASK_STATES.join(', ')}`,
    }),
  ),
  /** The error name the task fails with, e.g. "SNS.InternalErrorException"; none to only delay. */
  error: z.optional(z.string()),
  message: z.optional(z.string()),
  /**
   * After the handler has done its work: the delay, then the error, as a Lambda that writes and
   * then times out (or is still running when its execution is stopped) would.
   */
  after: z.optional(z.boolean()),
  ...schedule,
});

const faultPlanSchema = z.strictObject({
  dynamodb: z.optional(z.array(requestFaultSchema)),
  sns: z.optional(z.array(requestFaultSchema)),
  tasks: z.optional(z.array(taskFaultSchema)),
});

type Schedule = { skip?: number; times?: number; delayMs?: number };
export type RequestFault = z.output<typeof requestFaultSchema>;
export type TaskFault = z.output<typeof taskFaultSchema>;
export type FaultPlan = z.output<typeof faultPlanSchema>;

export function parseFaults(text: string | undefined): FaultPlan {
  if (!text) return {};
  const plan = checkJson(faultPlanSchema, text);
  if (!plan.ok) {
    throw new LotteryError('usage', `LOTTERY_FAULTS is not valid: ${plan.error}`, {
      hint: 'it takes JSON such as {"tasks": [{"state": "Notify Winners", "error": "SNS.InternalErrorException"}]}',
    });
  }
  return plan.value;
}

export const delay = (ms: number | undefined) =>
  ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** Counts calls and says which ones are hit. */
export class FaultInjector {
  private readonly seen = new Map<object, number>();

  constructor(private readonly plan: FaultPlan = {}) {}

  private hits(fault: Schedule): boolean {
    const call = (this.seen.get(fault) ?? 0) + 1;
    this.seen.set(fault, call);
    const skip = fault.skip ?? 0;
    return call > skip && (fault.times === undefined || call <= skip + fault.times);
  }

  request(service: 'dynamodb' | 'sns', operation: string): RequestFault | undefined {
    return this.plan[service]?.find((fault) => fault.operation === operation && this.hits(fault));
  }

  task(state: string): TaskFault | undefined {
    return this.plan.tasks?.find((fault) => fault.state === state && this.hits(fault));
  }
}
