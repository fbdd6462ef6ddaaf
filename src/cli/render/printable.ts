// Text from files and tables (names, prizes, departments) is printed to terminals: a control
// character in it could move the cursor, change colours or retitle the window. Each one is shown
// as a visible escape instead, so what the file holds is still there to see.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
