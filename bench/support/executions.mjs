// Executions as the embedded backend keeps them on disk, read back for the per-state times.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The execution as the embedded backend keeps it in the data directory (executions/<name>.json
 * and .history.jsonl): start and stop, and each state's time from entered to exited, with its
 * nesting depth. Undefined if that layout has changed.
 */
export function executionOf(home, name) {
  try {
    const directory = join(home, 'executions');
    const summary = JSON.parse(readFileSync(join(directory, `${name}.json`), 'utf8'));
    const history = readFileSync(join(directory, `${name}.history.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const states = [];
    const open = [];
    for (const event of history) {
      const at = event.timestamp * 1000;
      if (event.stateEnteredEventDetails) {
        open.push({
          name: event.stateEnteredEventDetails.name,
          entered: at,
          id: event.id,
          depth: open.filter((state) => state.parallel).length,
          parallel: event.type === 'ParallelStateEntered',
        });
      }
      if (event.stateExitedEventDetails) {
        const index = open.findLastIndex(
          (state) => state.name === event.stateExitedEventDetails.name,
        );
        const [state] = open.splice(index, 1);
        states.push({
          name: state.name,
          depth: state.depth,
          ms: at - state.entered,
          order: state.id,
        });
      }
    }
    states.sort((a, b) => a.order - b.order);
    return {
      startDate: summary.startDate,
      stopDate: summary.stopDate,
      events: history.length,
      states,
    };
  } catch {
    return undefined;
  }
}
