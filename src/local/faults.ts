import { LotteryError } from '../core/errors';

// A test-only switch of the embedded backend: LOTTERY_FAULTS='{"dynamodb": [...], "tasks": [...]}'
// makes chosen requests fail, so that tests (and a nervous organiser) can rehearse a throttled
// table, a failing announcement or a crashing handler against the real code. It never applies
// to AWS.

export interface DynamoFault {
  /** The DynamoDB operation, e.g. "BatchWriteItem". */
  operation: string;
  error: 'ProvisionedThroughputExceededException' | 'ThrottlingException' | 'InternalServerError';
  /** Let this many calls through first. */
  skip?: number;
  /** Fail this many calls, then let calls through again; every call when left out. */
  times?: number;
}

export interface TaskFault {
  /** The state name, e.g. "Notify Winners". */
  state: string;
  /** The error name the task fails with, e.g. "SNS.InternalErrorException". */
  error: string;
  message?: string;
  times?: number;
  /** Fail after the handler has done its work, as a Lambda that times out after writing would. */
  after?: boolean;
}

export interface FaultPlan {
  dynamodb?: DynamoFault[];
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

/** Counts calls and says which ones fail. */
export class FaultInjector {
  private readonly seen = new Map<object, number>();

  constructor(private readonly plan: FaultPlan = {}) {}

  private fires(fault: DynamoFault | TaskFault): boolean {
    const call = (this.seen.get(fault) ?? 0) + 1;
    this.seen.set(fault, call);
    const skip = 'skip' in fault ? (fault.skip ?? 0) : 0;
    return call > skip && (fault.times === undefined || call <= skip + fault.times);
  }

  dynamo(operation: string): DynamoFault | undefined {
    return this.plan.dynamodb?.find((fault) => fault.operation === operation && this.fires(fault));
  }

  task(state: string): TaskFault | undefined {
    return this.plan.tasks?.find((fault) => fault.state === state && this.fires(fault));
  }
}
