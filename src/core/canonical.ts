/** JSON with object keys sorted at every level: the same record always has the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      // An object's keys are distinct: no two compare equal.
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const members = entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
