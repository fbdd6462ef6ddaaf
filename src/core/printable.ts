// Text from files and tables reaches terminals, spreadsheets and other people's screens. A name
// holding ESC [2J clears the screen of whoever lists the winners; U+202E turns what follows around.
// Input refuses such characters (src/core/employees.ts), but a table can be written by anyone:
// whatever is shown goes through printable() first.

/**
 * Characters that act on a terminal or reorder what it shows rather than being shown: C0 and C1
 * controls (ESC, BEL, CSI U+009B…), DEL, and the bidirectional overrides and isolates. Input that
 * holds one is refused (names, ids, prizes); output spells them out.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The first control character of a value, named as people know it. */
export function describeControl(value: string): string {
  const char = CONTROL_CHARS.exec(value)?.[0];
  if (char === undefined) return 'no control character';
  const names: Record<string, string> = {
    '\t': 'a tab',
    '\n': 'a line break',
    '\r': 'a carriage return',
    '\u001b': 'ESC',
    '\u0007': 'BEL',
  };
  return names[char] ?? `U+${hex(char, 4)}`;
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const UNPRINTABLE_BUT_NEWLINE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/**
 * What JSON.stringify leaves raw: it escapes C0 controls itself, and its own line breaks are
 * outside strings.
 */
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const hex = (char: string, digits: number) =>
  (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(digits, '0');
const spelled = (char: string) =>
  char.charCodeAt(0) <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`;

/**
 * The text with every control character spelled out (\x1B, \u202E), so that it shows instead of
 * acting.
 */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? UNPRINTABLE_BUT_NEWLINE : UNPRINTABLE, spelled);
}

/**
 * JSON whose strings hold no raw control or reordering characters; any JSON reader reads the same
 * values.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(RAW_IN_JSON, (char) => `\\u${hex(char, 4)}`);
}
