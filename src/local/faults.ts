import { LotteryError } from '../core/errors';

// A test-only switch of the embedded backend: LOTTERY_FAULTS='{"dynamodb": [...], "tasks": [...]}'
// makes chosen requests fail or slow down, so that tests (and a nervous organiser) can rehearse a
// throttled table, a failing announcement or a crashing handler against the real code. It never
// applies to AWS. The first fault of a list that matches a call applies to it.

interface Schedule {
  /** Let this many matching calls through first. */
  skip?: number;
  /** Apply to this many calls, then let calls through again; to every call when left out. */
  times?: number;
  /** Answer this much later (with or without an error). */
  delayMs?: number;
}

export interface RequestFault extends Schedule {
  /** The API operation, e.g. "BatchWriteItem" for DynamoDB or "Publish" for SNS. */
  operation: string;
  /** The error to answer with; none to only delay. */
  error?: 'ProvisionedThroughputExceededException' | 'ThrottlingException' | 'InternalServerError' | 'InternalError';
}

export interface TaskFault extends Schedule {
  /** The state name, e.g. "Notify Winners". */
  state: string;
  /** The error name the task fails with, e.g. "SNS.InternalErrorException"; none to only delay. */
  error?: string;
  message?: string;
  /** Fail after the handler has done its work, as a Lambda that times out after writing would. */
  after?: boolean;
}

export interface FaultPlan {
  dynamodb?: RequestFault[];
  sns?: RequestFault[];
  tasks?: TaskFault[];
}

export function parseFaults(text: string | undefined): FaultPlan {
  if (!text) return {};
  try {
    const plan = JSON.parse(text) as FaultPlan;
    if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) throw new Error('not an object');
    return plan;
  } catch (error) {
    throw new LotteryError('usage', `LOTTERY_FAULTS is not valid: ${(error as Error).message}`, 'it takes JSON such as {"tasks": [{"state": "Notify Winners", "error": "SNS.InternalErrorException"}]}');
  }
}

export const delay = (ms: number | undefined) => (ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

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
