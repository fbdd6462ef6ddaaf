import { STATE_MACHINE_NAME, TOPIC_NAME } from '../core/names';

/** The embedded backend's region and account, as they appear in its ARNs. */
export const LOCAL_REGION = 'local';
const LOCAL_ACCOUNT = '000000000000';

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;

export const LOCAL_ARNS = {
  stateMachine: arn('states', `stateMachine:${STATE_MACHINE_NAME}`),
  executionPrefix: arn('states', `execution:${STATE_MACHINE_NAME}:`),
  role: arn('iam', 'role/lottery-local'),
  topic: arn('sns', TOPIC_NAME),
  function: (name: string) => arn('lambda', `function:${name}`),
};
