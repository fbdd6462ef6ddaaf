// Preloaded with `node --import` into a `lottery` process to see where its time goes, without
// touching src/: records when Node has booted, every request the embedded backend's HTTP server
// receives and answers (by X-Amz-Target), and the exit, then writes them to $BENCH_TRACE_FILE.
// DynamoDB answers to reads also carry how many items they returned, read off the answer's body.
// Used only for separate, untimed runs: the timed runs carry no preload.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_TRACE_FILE;
const now = () => performance.timeOrigin + performance.now();
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const ITEMS = Symbol('items read');

/** Items in a DynamoDB read's answer: Item, Items, or BatchGetItem's Responses. */
function itemsIn(body) {
  try {
    const answer = JSON.parse(body);
    if (Array.isArray(answer.Items)) return answer.Items.length;
    if (answer.Responses)
      return Object.values(answer.Responses).reduce((sum, items) => sum + items.length, 0);
    return answer.Item ? 1 : 0;
  } catch {
    return 0;
  }
}

/** Keeps what the server writes in answer to a DynamoDB read, to count its items once it ends. */
function countItems(response) {
  const chunks = [];
  const keep = (chunk) =>
    chunk !== undefined && typeof chunk !== 'function' && chunks.push(Buffer.from(chunk));
  const { write, end } = response;
  response.write = function (chunk, ...rest) {
    keep(chunk);
    return write.call(this, chunk, ...rest);
  };
  response.end = function (chunk, ...rest) {
    keep(chunk);
    response[ITEMS] = itemsIn(Buffer.concat(chunks).toString('utf8'));
    return end.call(this, chunk, ...rest);
  };
}

if (file) {
  const events = [
    { at: performance.timeOrigin, kind: 'origin' },
    { at: now(), kind: 'preload' },
  ];
  const target = (message) =>
    String(message.request.headers['x-amz-target'] ?? message.request.url);
  subscribe('http.server.request.start', (message) => {
    const name = target(message);
    events.push({ at: now(), kind: 'request', target: name });
    if (name.startsWith('DynamoDB_20120810.') && READS.has(name.slice(name.indexOf('.') + 1)))
      countItems(message.response);
  });
  subscribe('http.server.response.finish', (message) => {
    const items = message.response[ITEMS];
    events.push({
      at: now(),
      kind: 'response',
      target: target(message),
      ...(items === undefined ? {} : { items }),
    });
  });
  process.on('exit', () => {
    events.push({ at: now(), kind: 'exit' });
    writeFileSync(file, JSON.stringify(events));
  });
}
