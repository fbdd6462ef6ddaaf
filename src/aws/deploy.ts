import { randomUUID } from 'node:crypto';
import {
  STACK_PARAMETERS,
  changeSetParameters,
  changedParameters,
  describeDifferences,
  stackTableNames,
  type DeployFindings,
} from '../ops/deploy';
import { planDeploy, type StackFacts } from '../ops/stack';
import { compareTemplates, parseTemplate, type Template } from '../ops/template';
import { uploadOnce, zipBundle, type PackagedStack } from './artifacts';
import type { StackClients } from './clients';
import { existingTables } from './dynamo';
import {
  createChangeSet,
  deleteChangeSet,
  deleteStack,
  describeStack,
  originalTemplate,
  type ChangeSetResult,
} from './stack';

// The I/O of `lottery deploy`: what it reads before deciding (src/ops/deploy.ts decides), and the
// steps that apply the decision. src/cli/commands/deploy.ts shows them and asks.

export interface DeployRequest {
  stackName: string;
  /** The parameters the flags set, by name; undefined: not given. */
  given: Readonly<Record<string, string | undefined>>;
  bundled: PackagedStack;
  /** The template to submit, with its code in the artefact bucket. */
  template: Template;
}

/** Reads what deploy decides on: the stack, and what an update would change or a create meet. */
export async function lookBeforeDeploy(
  clients: StackClients,
  request: DeployRequest,
  signal: AbortSignal,
): Promise<{ existing: StackFacts | undefined; findings: DeployFindings }> {
  const existing = await describeStack(clients.cloudformation, request.stackName, signal);
  const plan = planDeploy(existing);
  if (plan.kind === 'refuse') return { existing, findings: { plan } };
  if (plan.kind === 'update' && existing) {
    const deployed = parseTemplate(
      await originalTemplate(clients.cloudformation, existing.stackId, signal),
    );
    const differences = describeDifferences(
      compareTemplates(deployed, request.template),
      request.bundled.functions,
      changedParameters(request.given, existing),
    );
    return { existing, findings: { plan, differences } };
  }
  const prefix = request.given[STACK_PARAMETERS.prefix] ?? '';
  const tablesInTheWay = await existingTables(clients.dynamodb, stackTableNames(prefix));
  return { existing, findings: { plan, tablesInTheWay } };
}

/** Where the function bundles go: ensureBucket (src/aws/artifacts.ts) makes it if need be. */
export interface ArtefactTarget {
  bucket: string;
  account: string;
  region: string;
  partition: string;
  /** Make the bucket if it is missing: only the default one is made, never one named by flag. */
  create: boolean;
  /** An endpoint without TLS (moto, a local test): the bucket's TLS-only policy would refuse it. */
  plainHttp: boolean;
}

/** One bundle in the bucket: its zip's size when uploaded now, 0 when it was there already. */
export interface Upload {
  name: string;
  key: string;
  uploaded: number;
}

/** Puts every function bundle in the artefact bucket, saying each upload as it ends. */
export async function uploadBundles(
  clients: StackClients,
  bundled: PackagedStack,
  target: Pick<ArtefactTarget, 'bucket' | 'account'>,
  onUpload: (upload: Upload) => void,
): Promise<void> {
  for (const bundle of bundled.bundles) {
    const uploaded = await uploadOnce(clients.s3, {
      bucket: target.bucket,
      key: bundle.key,
      body: () => zipBundle(bundle),
      account: target.account,
    });
    onUpload({ name: bundle.name, key: bundle.key, uploaded });
  }
}

/** Asks CloudFormation for a change set from the stack to this version, and waits for it. */
export async function prepareChangeSet(
  clients: StackClients,
  request: DeployRequest & { operation: 'create' | 'update'; existing: StackFacts | undefined },
  signal: AbortSignal,
  pollMs: number,
): Promise<ChangeSetResult> {
  const { operation } = request;
  return createChangeSet(
    clients.cloudformation,
    {
      stackName: request.stackName,
      changeSetName: `lottery-deploy-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`,
      type: operation === 'update' ? 'UPDATE' : 'CREATE',
      templateBody: JSON.stringify(request.template),
      parameters: changeSetParameters(
        request.given,
        operation === 'update' ? request.existing : undefined,
        Object.keys(request.bundled.source.Parameters ?? {}),
      ),
      description: 'lottery deploy',
    },
    signal,
    pollMs,
  );
}

/** A change set not applied is removed, and with it a stack that only it made. */
export async function discardChangeSet(
  clients: StackClients,
  changeSet: { id: string; stackId: string },
  operation: 'create' | 'update',
): Promise<void> {
  await deleteChangeSet(clients.cloudformation, changeSet.id, changeSet.stackId);
  if (operation === 'create')
    await deleteStack(clients.cloudformation, changeSet.stackId, `lottery-${randomUUID()}`);
}
