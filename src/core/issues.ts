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
export function formatIssues(issues: readonly Issue[], cap = 50): string[] {
  const lines = issues.slice(0, cap).map(formatIssue);
  if (issues.length > cap) lines.push(`… and ${issues.length - cap} more`);
  return lines;
}
