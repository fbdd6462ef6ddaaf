/**
 * Errors the workflow tells apart by name: the ASL file's Retry lists never retry these, and the
 * CLI explains them. A Lambda error's name becomes its Step Functions error name.
 */
export type WorkflowErrorName = 'InvalidDrawInput' | 'NotEnoughEligible' | 'DrawConflict' | 'ClaimLost' | 'PrizeNotInPlan' | 'PrizeExhausted';

export const PERMANENT_ERRORS: readonly WorkflowErrorName[] = ['InvalidDrawInput', 'NotEnoughEligible', 'DrawConflict', 'ClaimLost', 'PrizeNotInPlan', 'PrizeExhausted'];

export class WorkflowError extends Error {
  constructor(name: WorkflowErrorName, message: string) {
    super(message);
    this.name = name;
  }
}
