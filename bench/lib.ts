// What the benchmarks call in-process. bench/run.mjs bundles this file with esbuild (the options of
// scripts/build.mjs) into a temporary directory and imports it: the scenarios then drive the real
// embedded backend and the real AWS SDK clients, with no TypeScript loader at run time.

export { startLocalServer, type LocalServer } from '../src/local/server';
export { LOCAL_ARNS, LOCAL_REGION } from '../src/local/constants';
export { DRAWS_TABLE, EMPLOYEE_TABLE, SERIAL_INDEX, WINNERS_TABLE } from '../src/core/names';
export { createClients, createDocumentClient } from '../src/aws/clients';
export { putEmployees, scanEmployees } from '../src/aws/employees-table';
export { putPoolStats } from '../src/aws/draws-table';
export { parseEmployeeFile } from '../src/core/employee-file';
export { planSeed } from '../src/core/seed-plan';

export { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
export { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
export {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
