// A sorted list of serials as the deltas between them, each a LEB128 varint: how an audit record
// keeps a draw's candidates (deflated, src/core/candidates.ts) and a draw's record its pool
// (src/core/record-format.ts). No Node-only module here: the record page decodes it in a browser.

export function deltaVarints(sorted: readonly number[]): Uint8Array {
  const bytes: number[] = [];
  let previous = 0;
  for (const serial of sorted) {
    let delta = serial - previous;
    if (!Number.isInteger(delta) || delta < 0)
      throw new RangeError('serials must be whole numbers in ascending order');
    previous = serial;
    while (delta >= 0x80) {
      bytes.push((delta % 0x80) | 0x80);
      // Stryker disable next-line ArithmeticOperator: `delta * 0x80` grows the array until V8
      // aborts the whole test process, which ends a mutation run instead of failing a test
      delta = Math.floor(delta / 0x80);
    }
    bytes.push(delta);
  }
  return Uint8Array.from(bytes);
}

/** The serials, and whether the bytes ended where a number did (a cut list does not). */
export function fromDeltaVarints(bytes: Iterable<number>): { serials: number[]; whole: boolean } {
  const serials: number[] = [];
  let previous = 0;
  let delta = 0;
  let scale = 1;
  for (const byte of bytes) {
    delta += (byte & 0x7f) * scale;
    if (byte & 0x80) {
      scale *= 0x80;
      continue;
    }
    previous += delta;
    serials.push(previous);
    delta = 0;
    scale = 1;
  }
  return { serials, whole: scale === 1 };
}
