// The one place where the names shared by the CLI, the Lambda handlers, the local backend and the
// CloudFormation template are spelled. A test checks the template against these.

export const STATE_MACHINE_NAME = 'Lottery';
/** The CloudFormation stack `lottery deploy` makes unless told another name. */
export const STACK_NAME = 'lottery';
export const EMPLOYEE_TABLE = 'Lottery-Employee';
export const WINNERS_TABLE = 'Lottery-Winners';
/**
 * Each draw's audit record, the pool's statistics, the resets and the prize plan: what draws keep
 * beyond their winners.
 */
export const DRAWS_TABLE = 'Lottery-Draws';
export const SERIAL_INDEX = 'lottery_serial-index';
export const TOPIC_NAME = 'Lottery-Notification';

/** State names, kept from the workshop so that people who know it recognise the workflow. */
export const STATES = {
  input: 'Input Lottery Winners',
  reserve: 'Reserve Prize',
  beaconDraw: 'Is Beacon Draw',
  commit: 'Commit Draw',
  waitForRound: 'Wait For Beacon Round',
  fetchRound: 'Fetch Beacon Round',
  select: 'Random Select Winners',
  validate: 'Validate Winners',
  pastDraw: 'Is Winner In Past Draw',
  sendAndRecord: 'Send SNS and Record In Dynamodb',
  record: 'Record Winner Queue',
  notify: 'Notify Winners',
  announcementFailed: 'Announcement Failed',
  release: 'Release Winners',
  invalidStatus: 'Invalid Validation Status',
  failed: 'Failed',
} as const;

/** The Lambda functions behind the Task states, keyed by the DefinitionSubstitutions variable. */
export const FUNCTIONS = {
  InputWinnersFunctionArn: 'Lottery-InputWinners',
  ReservePrizeFunctionArn: 'Lottery-ReservePrize',
  RandomSelectWinnersFunctionArn: 'Lottery-RandomSelectWinners',
  ValidateWinnersFunctionArn: 'Lottery-ValidateWinners',
  RecordWinnersFunctionArn: 'Lottery-RecordWinners',
  ReleaseWinnersFunctionArn: 'Lottery-ReleaseWinners',
  CommitDrawFunctionArn: 'Lottery-CommitDraw',
  FetchBeaconRoundFunctionArn: 'Lottery-FetchBeaconRound',
} as const;

export type FunctionVariable = keyof typeof FUNCTIONS;

/** Every `${…}` variable of the ASL file that DefinitionSubstitutions must fill. */
export const DEFINITION_VARIABLES = [
  ...(Object.keys(FUNCTIONS) as FunctionVariable[]),
  'NotificationTopicArn',
  'Partition',
] as const;

/** Environment variables the Lambda handlers read on AWS. */
export const LAMBDA_ENV = {
  employeeTable: 'EMPLOYEE_TABLE',
  winnersTable: 'WINNERS_TABLE',
  drawsTable: 'DRAWS_TABLE',
} as const;

/** CloudFormation outputs the CLI can be pointed at. */
export const STACK_OUTPUTS = {
  stateMachineArn: 'StateMachineArn',
  employeeTable: 'EmployeeTableName',
  winnersTable: 'WinnersTableName',
  drawsTable: 'DrawsTableName',
  topicArn: 'NotificationTopicArn',
  apiUrl: 'ApiUrl',
} as const;

/**
 * Errors the embedded backend ends an execution with when its process, not the workflow, failed.
 */
export const BACKEND_ERRORS = {
  /** The process running the draw was killed; its next start finished or rolled the draw back. */
  stopped: 'Lottery.BackendStopped',
  /** The draw's history could not be written (a full disk), so it was stopped. */
  storageFailed: 'Lottery.StorageFailed',
} as const;

/**
 * Errors the embedded backend's API answers with when its data directory, not the request, is at
 * fault: the CLI reports them as the machine's problem (exit 253), with the fix, not as a bug.
 */
export const BACKEND_API_ERRORS = {
  /** A file of the data directory could not be written (a full disk, a read-only directory). */
  cannotWrite: 'Lottery.CannotWrite',
  /** A file of the data directory is damaged: the message names it and says what to do. */
  damaged: 'Lottery.DamagedRecord',
} as const;
