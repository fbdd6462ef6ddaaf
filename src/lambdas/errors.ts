/**
 * Errors the workflow tells apart by name: the ASL file's Retry lists never retry these, and the
 * CLI explains them. A Lambda error's name becomes its Step Functions error name.
 */
export type WorkflowErrorName =
  | 'InvalidDrawInput'
  | 'NotEnoughEligible'
  | 'DrawConflict'
  | 'ClaimLost'
  /** The draw was stopped from outside while Record Winner Queue ran: it took its wins back. */
  | 'DrawStopped'
  | 'PrizeNotInPlan'
  | 'PrizeExhausted'
  /** The draw's places of its prize were gone from the plan when it recorded: it is rolled back. */
  | 'PrizeHoldLost'
  /** No source had a beacon round yet (or was reachable): retried for a while. */
  | 'BeaconRoundUnavailable'
  /** Every source served something that is not the chain's round: asking again would not help. */
  | 'BeaconRoundInvalid'
  /**
   * The pool was loaded again between a beacon draw's commitment and its round, or someone has
   * more tickets than its statistics know.
   */
  | 'PoolChanged'
  /** A replacement draw whose forfeit is not recorded, or names another replacement. */
  | 'ForfeitNotRecorded';

export const PERMANENT_ERRORS: readonly WorkflowErrorName[] = [
  'InvalidDrawInput',
  'NotEnoughEligible',
  'DrawConflict',
  'ClaimLost',
  'DrawStopped',
  'PrizeNotInPlan',
  'PrizeExhausted',
  'PrizeHoldLost',
  'BeaconRoundInvalid',
  'PoolChanged',
  'ForfeitNotRecorded',
];

export class WorkflowError extends Error {
  constructor(name: WorkflowErrorName, message: string) {
    super(message);
    this.name = name;
  }
}
