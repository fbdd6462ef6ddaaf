import { describe, expect, it } from 'vitest';
import {
  bundleName,
  compareTemplates,
  packageTemplate,
  parseTemplate,
  templateFunctions,
  type Json,
  type Resource,
  type Template,
} from '../../src/ops/template';

// What `lottery deploy` submits: infra/template.yaml read with CloudFormation's short forms, and
// packaged with the uploaded code and the bundled definition. Templates are parsed inside the
// tests, not at collection, so that every part of the reading is exercised each time.

const FUNCTION = 'AWS::Serverless::Function';
const STATE_MACHINE = 'AWS::Serverless::StateMachine';
const DEFINITION = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };
const fn = (codeUri: Json | undefined): Resource => ({
  Type: FUNCTION,
  Properties:
    codeUri === undefined
      ? { Handler: 'index.handler' }
      : { CodeUri: codeUri, Handler: 'index.handler' },
});
const template = (resources: Template['Resources']): Template => ({ Resources: resources });

describe('parseTemplate: short-form intrinsics in their long form', () => {
  it.each<[string, string, Json]>([
    ['!Ref', 'A: !Ref Bucket', { A: { Ref: 'Bucket' } }],
    [
      '!Condition, which has no Fn:: either',
      'A: !Condition IsProd',
      { A: { Condition: 'IsProd' } },
    ],
    ['!Sub on a string', 'A: !Sub "${AWS::Region}-x"', { A: { 'Fn::Sub': '${AWS::Region}-x' } }],
    ['!GetAtt with a dot', 'A: !GetAtt Table.Arn', { A: { 'Fn::GetAtt': ['Table', 'Arn'] } }],
    [
      '!GetAtt as a list',
      'A: !GetAtt [Table, StreamArn]',
      { A: { 'Fn::GetAtt': ['Table', 'StreamArn'] } },
    ],
    [
      '!Equals nested in !Not',
      'A: !Not [!Equals [!Ref Email, ""]]',
      { A: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Email' }, ''] }] } },
    ],
    [
      '!Transform on a map',
      'A: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }',
      { A: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } } },
    ],
  ])('%s', (_what, yaml, expected) => {
    expect(parseTemplate(yaml)).toEqual(expected);
  });
});

describe('the functions a template deploys', () => {
  it.each<[string, Json, string | undefined]>([
    ['a path', '../dist/lambdas/Lottery-InputWinners', 'Lottery-InputWinners'],
    ['a path ending in slashes', '../dist/lambdas/Lottery-InputWinners//', 'Lottery-InputWinners'],
    ['a location in S3', { Bucket: 'b', Key: 'k.zip' }, undefined],
    ['nothing but slashes', '//', undefined],
  ])('bundleName of %s', (_what, codeUri, expected) => {
    expect(bundleName(codeUri)).toBe(expected);
  });

  it.each<[string, Resource, string]>([
    [
      'code already in S3 (a packaged template)',
      fn({ Bucket: 'b', Key: 'k.zip' }),
      'RecordFunction: CodeUri is not a local directory',
    ],
    ['no CodeUri', fn(undefined), 'RecordFunction: CodeUri is not a local directory'],
    [
      'no properties at all',
      { Type: FUNCTION },
      'RecordFunction: CodeUri is not a local directory',
    ],
  ])('refuses a function with %s, naming it', (_what, resource, message) => {
    expect(() => templateFunctions(template({ RecordFunction: resource }))).toThrow(
      new Error(message),
    );
  });
});

describe('packageTemplate: the template deploy submits', () => {
  const code = {
    'Lottery-RecordWinners': {
      Bucket: 'artefacts',
      Key: 'lottery/functions/Lottery-RecordWinners/abc.zip',
    },
  };

  it('refuses to submit a function whose code was not uploaded, naming it', () => {
    const source = template({
      RecordFunction: fn('../dist/lambdas/Lottery-RecordWinners'),
      ReleaseFunction: fn('../dist/lambdas/Lottery-ReleaseWinners'),
    });
    expect(() => packageTemplate(source, code, DEFINITION)).toThrow(
      new Error('no uploaded code for Lottery-ReleaseWinners (ReleaseFunction)'),
    );
  });

  it('inlines the definition only in place of a state machine’s DefinitionUri', () => {
    const api: Resource = {
      Type: 'AWS::Serverless::Api',
      Properties: { DefinitionUri: 'api.yaml' },
    };
    const inline: Resource = {
      Type: STATE_MACHINE,
      Properties: { Definition: { StartAt: 'Old', States: {} } },
    };
    const packaged = packageTemplate(
      template({
        Api: api,
        Inline: inline,
        Machine: {
          Type: STATE_MACHINE,
          Properties: { DefinitionUri: 'statemachine/lottery.asl.json', Role: 'r' },
        },
        RecordFunction: fn('../dist/lambdas/Lottery-RecordWinners'),
      }),
      code,
      DEFINITION,
    );
    expect(packaged.Resources).toEqual({
      Api: api,
      Inline: inline,
      Machine: { Type: STATE_MACHINE, Properties: { Definition: DEFINITION, Role: 'r' } },
      RecordFunction: {
        Type: FUNCTION,
        Properties: {
          CodeUri: { Bucket: 'artefacts', Key: 'lottery/functions/Lottery-RecordWinners/abc.zip' },
          Handler: 'index.handler',
        },
      },
    });
  });
});

describe('compareTemplates: values of different kinds', () => {
  const resource = (value: Json): Resource => ({ Type: 'T', Properties: { A: value } });

  it.each<[string, Json, Json]>([
    ['a list against a string of the same length', ['x'], 'x'],
    ['a string against a list of the same length', 'x', ['x']],
    ['an empty object against 0', {}, 0],
    ['0 against an empty object', 0, {}],
    ['null against an empty object', null, {}],
  ])('%s is a change', (_what, before, after) => {
    expect(
      compareTemplates(template({ T: resource(before) }), template({ T: resource(after) })),
    ).toEqual({ code: [], resources: ['T'], other: false });
  });

  it('compares a CodeUri it cannot read a key from as a whole', () => {
    expect(
      compareTemplates(template({ F: fn(['old.zip']) }), template({ F: fn(['new.zip']) })).code,
    ).toEqual(['F']);
  });

  it('counts a CodeUri outside a function as a setting of that resource, not as code', () => {
    const other = (key: string): Resource => ({
      Type: 'Custom::Bundle',
      Properties: { CodeUri: { Bucket: 'b', Key: key } },
    });
    expect(
      compareTemplates(template({ C: other('1.zip') }), template({ C: other('2.zip') })),
    ).toEqual({ code: [], resources: ['C'], other: false });
  });
});
