// English counts: one winner, two winners. A reader trips on "1 winners".

/** The count and its noun: "1 winner", "2 winners"; an irregular plural is given ("people"). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${oneOrMany(count, one, many)}`;
}

/** The word alone, as the count takes it: "is" or "are", "it" or "them", "setting(s)". */
export function oneOrMany(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}
