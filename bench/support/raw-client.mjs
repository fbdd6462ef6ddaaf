// The baseline of seed-throughput: a plain client process that sends BatchWriteItem calls of 25
// pre-marshalled items, IN_FLIGHT at a time, to a running backend (`lottery local serve`), and
// prints how long the calls took, from the first call to the last answer, as JSON. usage: node
// raw-client.mjs ENDPOINT_URL TABLE N IN_FLIGHT, with the server's credentials in the environment
// (`lottery local env --json`), as any SDK client of it has them.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { DynamoDBClient, BatchWriteItemCommand } = await import('@aws-sdk/client-dynamodb');
const [endpoint, table, count, inFlight] = process.argv.slice(2);
const total = Number(count);
const client = new DynamoDBClient({ endpoint, region: 'local' });
const item = (index) => ({
  employee_id: { S: `S${String(index + 1).padStart(6, '0')}` },
  employee_name: { S: `Employee ${index + 1}` },
  department: { S: 'Operations' },
  lottery_serial: { N: String(index + 1) },
});
let next = 0;
const started = performance.timeOrigin + performance.now();
await Promise.all(
  Array.from({ length: Number(inFlight) }, async () => {
    while (next < total) {
      const start = next;
      next += 25;
      let pending = Array.from({ length: Math.min(25, total - start) }, (_, offset) => ({
        PutRequest: { Item: item(start + offset) },
      }));
      while (pending.length > 0) {
        const answer = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
        );
        pending = answer.UnprocessedItems?.[table] ?? [];
      }
    }
  }),
);
const ended = performance.timeOrigin + performance.now();
client.destroy();
process.stdout.write(`${JSON.stringify({ ms: ended - started, started, ended, items: total })}\n`);
