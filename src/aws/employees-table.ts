import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Employee } from '../core/employees';
import { batchWrite, scanAll, type BatchWriteOptions } from './dynamo';

const EMPLOYEE_ATTRIBUTES = ['employee_id', 'employee_name', 'lottery_serial', 'employee_entry_date', 'department', 'email'];

export function scanEmployees(doc: DynamoDBDocumentClient, table: string): Promise<Employee[]> {
  return scanAll<Employee>(doc, {
    TableName: table,
    ProjectionExpression: EMPLOYEE_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(EMPLOYEE_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
  });
}

export function putEmployees(doc: DynamoDBDocumentClient, table: string, employees: readonly Employee[], options?: BatchWriteOptions) {
  return batchWrite(doc, table, employees.map((employee) => ({ PutRequest: { Item: { ...employee } } })), options);
}
