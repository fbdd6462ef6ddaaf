import * as z from 'zod/mini';
import { en } from 'zod/locales';

// Input from outside (flags, files, execution input and output, environment variables) is parsed
// with a schema, never cast: these turn a schema's verdict into a value or a sentence.

// zod/mini ships no messages of its own ("Invalid input"): the English ones name what was expected.
z.config(en());

export type Check<T> = { ok: true; value: T } | { ok: false; error: string };

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A value parsed by `schema`, or the first thing wrong with it. `at` names where inside the value
 * it is (winners.0.employee_id), for schemas whose messages do not say it themselves.
 */
export function check<T>(
  schema: z.ZodMiniType<T>,
  raw: unknown,
  options: { at?: boolean } = {},
): Check<T> {
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const [issue] = parsed.error.issues;
  const at = options.at && issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${at}${issue?.message ?? 'not valid'}` };
}

/** JSON text parsed by `schema`; text that is not JSON says so. */
export function checkJson<T>(schema: z.ZodMiniType<T>, text: string | undefined): Check<T> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  return check(schema, value, { at: true });
}
