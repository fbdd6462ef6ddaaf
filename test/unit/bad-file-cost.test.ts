import { afterEach, describe, expect, it, vi } from 'vitest';
import { streamEmployeeRecords, type FileFindings } from '../../src/core/employee-file';
import { IssueList } from '../../src/core/issues';

// Refusing a file whose every line is short of a field took about as long per line as building an
// Error with its stack (csv-parse made one for each such record): ~16,000 lines a second, a
// hundred times slower than reading good lines. The time itself is the bench's to measure
// (`npm run bench -- refuse`); this checks the cause: no stack is captured per line, and the
// problems kept stay bounded while every one is counted.

afterEach(() => vi.restoreAllMocks());

async function* lines(count: number) {
  yield 'employee_id,employee_name,email\n';
  for (let start = 0; start < count; start += 1000) {
    let text = '';
    for (let i = start; i < Math.min(count, start + 1000); i++) text += `E${i},Name ${i}\n`;
    yield text;
  }
}

describe('a file whose every line is bad', () => {
  it('is refused without an error built per line, every problem counted', async () => {
    const stacks = vi.spyOn(Error, 'captureStackTrace');
    const found: FileFindings = { issues: new IssueList(), warnings: [] };
    let records = 0;
    for await (const _ of streamEmployeeRecords(lines(20_000), 'short.csv', found)) records++;
    expect(records).toBe(0);
    expect(found.issues.length).toBe(20_000);
    expect([...found.issues]).toHaveLength(50);
    expect([...found.issues][0]).toMatchObject({
      line: 2,
      message: "has fewer fields than the header's 3",
    });
    expect(stacks.mock.calls.length).toBeLessThan(10);
  });
});
