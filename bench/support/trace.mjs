// Preloaded with `node --import` into a `lottery` process to see where its time goes, without
// touching src/: records when Node has booted, every request the embedded backend's HTTP server
// receives and answers (by X-Amz-Target), and the exit, then writes them to $BENCH_TRACE_FILE.
// Used only for separate, untimed runs: the timed runs carry no preload.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_TRACE_FILE;
const now = () => performance.timeOrigin + performance.now();

if (file) {
  const events = [{ at: performance.timeOrigin, kind: 'origin' }, { at: now(), kind: 'preload' }];
  const target = (message) => String(message.request.headers['x-amz-target'] ?? message.request.url);
  subscribe('http.server.request.start', (message) => events.push({ at: now(), kind: 'request', target: target(message) }));
  subscribe('http.server.response.finish', (message) => events.push({ at: now(), kind: 'response', target: target(message) }));
  process.on('exit', () => {
    events.push({ at: now(), kind: 'exit' });
    writeFileSync(file, JSON.stringify(events));
  });
}
