import * as z from 'zod/mini';
import { CONTROL_CHARS, describeControl } from './printable';

// The reason given for an exclusion (src/core/exclusions.ts) or a forfeit (src/core/forfeits.ts):
// kept with the record, shown in lists and exports and to whoever verifies the event. Apart, so
// that the program's declarations load nothing more than zod for `--help`.

export const MAX_REASON_LENGTH = 200;

/** Why someone is excluded, or why a winner forfeits: shown in lists, exports and verify. */
export const reasonSchema = z.string({ error: 'the reason must be text' }).check(
  z.trim(),
  z.minLength(1, { error: 'give a reason: it is kept with the record and shown to auditors' }),
  z.refine((reason) => !CONTROL_CHARS.test(reason), {
    error: (issue) =>
      `the reason must not contain control characters; it holds ${describeControl(String(issue.input))}`,
  }),
  z.maxLength(MAX_REASON_LENGTH, {
    error: (issue) =>
      `the reason must be at most ${MAX_REASON_LENGTH} characters, got ${String(issue.input).length}`,
  }),
);
