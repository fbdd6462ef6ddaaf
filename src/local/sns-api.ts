import { randomUUID } from 'node:crypto';
import { publishToOutbox } from './outbox';

// The SNS operations the CLI and a user's SDK need, in the AWS Query protocol as the SDK v3 client
// speaks it: a form-encoded POST with Action=…, answered in XML. Published messages go to the
// outbox file.

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);

function respond(action: string, result: string): [number, string] {
  return [
    200,
    `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  ];
}

export function snsError(status: number, code: string, message: string): [number, string] {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return [
    status,
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  ];
}

export function createSnsApi(topicArn: string, outbox: string) {
  const requireTopic = (params: URLSearchParams): [number, string] | undefined =>
    params.get('TopicArn') === topicArn
      ? undefined
      : snsError(404, 'NotFound', `Topic does not exist: ${params.get('TopicArn') ?? ''}`);

  return async (params: URLSearchParams): Promise<[number, string]> => {
    const action = params.get('Action') ?? '';
    switch (action) {
      case 'Publish': {
        const missing = requireTopic(params);
        if (missing) return missing;
        const message = params.get('Message');
        if (!message) return snsError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
        const subject = params.get('Subject');
        const { MessageId } = await publishToOutbox(outbox, {
          TopicArn: topicArn,
          Message: message,
          ...(subject ? { Subject: subject } : {}),
        });
        return respond(action, `<MessageId>${MessageId}</MessageId>`);
      }
      case 'GetTopicAttributes': {
        const missing = requireTopic(params);
        if (missing) return missing;
        const entries = {
          TopicArn: topicArn,
          DisplayName: 'Lottery',
          SubscriptionsConfirmed: '0',
          SubscriptionsPending: '0',
        };
        const xml = Object.entries(entries)
          .map(
            ([key, value]) => `<entry><key>${key}</key><value>${escapeXml(value)}</value></entry>`,
          )
          .join('');
        return respond(action, `<Attributes>${xml}</Attributes>`);
      }
      case 'ListTopics': {
        // AWS answers up to 100 topics a page with a NextToken for the rest. The backend has one
        // topic, so the first page is the only one and no token of ours can name another.
        if (params.has('NextToken'))
          return snsError(400, 'InvalidParameter', 'Invalid parameter: NextToken');
        return respond(
          action,
          `<Topics><member><TopicArn>${escapeXml(topicArn)}</TopicArn></member></Topics>`,
        );
      }
      default:
        return snsError(400, 'InvalidAction', `${action} is not supported by the embedded backend`);
    }
  };
}
