/** A problem found in user input, located well enough to fix it. */
export interface Issue {
  file?: string;
  line?: number;
  item?: number;
  field?: string;
  message: string;
  hint?: string;
}

export function formatLocation(issue: Pick<Issue, 'file' | 'line' | 'item'>): string {
  const where = [issue.file, issue.line].filter((part) => part !== undefined).join(':');
  const item = issue.item !== undefined ? `item ${issue.item}` : '';
  if (where && item) return `${where} (${item})`;
  return where || item;
}

export function formatIssue(issue: Issue): string {
  const location = formatLocation(issue);
  const field = issue.field ? `${issue.field}: ` : '';
  const hint = issue.hint ? ` — ${issue.hint}` : '';
  return `${location ? `${location}: ` : ''}${field}${issue.message}${hint}`;
}

/** At most `cap` issues, then a line that says how many more there are. */
export function formatIssues(
  issues: Iterable<Issue> & { length: number },
  cap = ISSUES_KEPT,
): string[] {
  const lines = [...issues].slice(0, cap).map(formatIssue);
  if (issues.length > lines.length) lines.push(`… and ${issues.length - lines.length} more`);
  return lines;
}

/** Problems shown in full; past these, a file's problems are only counted. */
export const ISSUES_KEPT = 50;

/**
 * The problems found in a file, keeping the first ISSUES_KEPT and counting the rest, so that a
 * file of a million bad lines is checked in as little memory as a good one.
 */
export class IssueList implements Iterable<Issue> {
  private readonly kept: Issue[] = [];
  private total = 0;

  push(...issues: Issue[]): number {
    for (const issue of issues) {
      if (this.kept.length < ISSUES_KEPT) this.kept.push(issue);
      this.total++;
    }
    return this.total;
  }

  /** How many problems were found, kept or not. */
  get length(): number {
    return this.total;
  }

  [Symbol.iterator](): Iterator<Issue> {
    return this.kept[Symbol.iterator]();
  }

  /** These problems, then those of `other`. */
  concat(other: Iterable<Issue> & { length: number }): IssueList {
    const joined = new IssueList();
    joined.push(...this.kept, ...other);
    joined.total = this.total + other.length;
    return joined;
  }
}
