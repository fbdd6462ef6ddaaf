import { describe, expect, it } from 'vitest';
import { HEALTH_PATH, routeOf } from '../../src/local/routes';

const json = (target: string) => ({
  method: 'POST',
  url: '/',
  headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
});

describe('routeOf: where the embedded backend sends a request', () => {
  it('sends each JSON protocol by its X-Amz-Target, naming the operation', () => {
    expect(routeOf(json('DynamoDB_20120810.PutItem'))).toEqual({
      kind: 'dynamodb',
      target: 'DynamoDB_20120810.PutItem',
      operation: 'PutItem',
    });
    expect(routeOf(json('AWSStepFunctions.StartExecution'))).toEqual({
      kind: 'sfn',
      target: 'AWSStepFunctions.StartExecution',
      operation: 'StartExecution',
    });
  });

  it("sends a form POST to SNS (the Query protocol), and anything else to dynalite's refusal", () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    expect(routeOf({ method: 'POST', url: '/', headers: form })).toEqual({ kind: 'sns' });
    expect(routeOf({ method: 'GET', url: '/', headers: form })).toEqual({ kind: 'unknown' });
    expect(routeOf(json('Kinesis_20131202.PutRecord'))).toEqual({ kind: 'unknown' });
    expect(routeOf({ method: 'POST', headers: {} })).toEqual({ kind: 'unknown' });
  });

  it('answers the health check on GET only, with its challenge', () => {
    expect(routeOf({ method: 'GET', url: `${HEALTH_PATH}?challenge=abc`, headers: {} })).toEqual({
      kind: 'health',
      challenge: 'abc',
    });
    expect(routeOf({ method: 'GET', url: HEALTH_PATH, headers: {} })).toEqual({
      kind: 'health',
      challenge: '',
    });
    expect(routeOf({ ...json('DynamoDB_20120810.GetItem'), url: HEALTH_PATH }).kind).toBe(
      'dynamodb',
    );
  });
});
