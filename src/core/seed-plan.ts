import {
  changedFields,
  mergeEmployee,
  normalizeEmployee,
  type Employee,
  type RawRecord,
} from './employees';
import { LotteryError } from './errors';
import type { FileEligibility } from './exclusions';
import { IssueList, type Issue } from './issues';

// What a seed writes, decided in two passes over the file so that a file of any size is checked
// whole before anything is written, without holding its records: the first pass keeps only each
// employee's id, name, serial and place in the file; the second reads the file again and decides
// record by record.

export interface SeedOptions {
  /**
   * The file becomes the whole pool: employees it leaves out are removed, and their serials are
   * free.
   */
  replace?: boolean;
}

export type SeedDecision =
  | { kind: 'add' | 'unchanged'; employee: Employee; assigned: boolean }
  | { kind: 'update'; employee: Employee; assigned: boolean; fields: (keyof Employee)[] };

export interface SeedCounts {
  added: number;
  updated: number;
  unchanged: number;
  /** Serials assigned because the file left them out. */
  assigned: number;
  /** Employees in the table once the plan is written. */
  total: number;
}

export interface SeedPlan extends SeedCounts {
  /** Employees to put: new ones and changed ones. */
  write: Employee[];
  /** With `replace`: employees in the table that the file leaves out, to delete. */
  remove: Employee[];
  /** What changed for each updated employee. */
  changes: { employee_id: string; fields: (keyof Employee)[] }[];
  issues: Issue[];
  warnings: Issue[];
}

interface Seen {
  name: string;
  serial?: number;
  line?: number;
  item?: number;
  /** The file's eligible column said no. */
  excluded?: boolean;
}

/** What the statistics keep of the table once the seed is written. */
export interface PoolAfter {
  count: number;
  maxSerial: number;
  /** The largest ticket count anyone has, and everyone's tickets added up. */
  maxTickets: number;
  ticketsTotal: number;
}

const where = (seen: Pick<Seen, 'line' | 'item'>) =>
  seen.line !== undefined ? `line ${seen.line}` : `item ${seen.item}`;

/**
 * Ids that differ only in case are two people to DynamoDB, and most likely one person to whoever
 * typed them.
 */
function caseTwin(
  file: string,
  at: Pick<Seen, 'line' | 'item'>,
  id: string,
  other: string,
  otherWhere: string,
): Issue {
  return {
    file,
    line: at.line,
    item: at.item,
    field: 'employee_id',
    message: `"${id}" and "${other}" (${otherWhere}) differ only in upper and lower case: they are loaded as two people`,
    hint: 'if they are one person, write the id the same way everywhere',
  };
}

export class SeedPlanner {
  readonly issues = new IssueList();
  private readonly unknown = new Map<string, RawRecord>();
  private readonly byId = new Map<string, Seen>();
  /** Ids by their lower-case form, to notice E001 and e001: DynamoDB takes them for two people. */
  private readonly byFoldedId = new Map<string, string>();
  private readonly caseWarnings = new IssueList();
  private readonly bySerial = new Map<number, { id: string } & Seen>();
  private current = new Map<string, Employee>();
  private existing: readonly Employee[] = [];
  private readonly serialOwner = new Map<number, Employee>();
  private nextSerial = 1;
  private checked = false;
  /** Tickets of the people the file leaves as they are in the table. */
  private keptTickets = { max: 0, total: 0 };
  private writtenTickets = { max: 0, total: 0 };
  private readonly eligibility = new Map<string, FileEligibility>();
  private readonly counts: SeedCounts = {
    added: 0,
    updated: 0,
    unchanged: 0,
    assigned: 0,
    total: 0,
  };

  constructor(
    private readonly file: string,
    private readonly options: SeedOptions = {},
  ) {}

  /** How many employees the first pass has seen. */
  get seen(): number {
    return this.byId.size;
  }

  /** First pass: one record, in file order. */
  check(record: RawRecord): void {
    const { file } = this;
    const { employee, issues, unknownFields, eligible } = normalizeEmployee(record);
    this.issues.push(...issues.map((issue) => ({ file, ...issue })));
    for (const field of unknownFields)
      if (!this.unknown.has(field)) this.unknown.set(field, record);
    if (!employee) return;
    const at = { line: record.line, item: record.item };
    const sameId = this.byId.get(employee.employee_id);
    if (sameId) {
      this.issues.push({
        file,
        ...at,
        field: 'employee_id',
        message: `"${employee.employee_id}" appears again (first on ${where(sameId)})`,
        hint: 'list each employee once',
      });
      return;
    }
    const folded = employee.employee_id.toLowerCase();
    const twin = this.byFoldedId.get(folded);
    if (twin === undefined) this.byFoldedId.set(folded, employee.employee_id);
    else
      this.caseWarnings.push(
        caseTwin(file, at, employee.employee_id, twin, where(this.byId.get(twin) as Seen)),
      );
    const seen: Seen = {
      name: employee.employee_name,
      serial: employee.lottery_serial,
      ...at,
      ...(eligible ? {} : { excluded: true }),
    };
    if (employee.lottery_serial !== undefined) {
      const sameSerial = this.bySerial.get(employee.lottery_serial);
      if (sameSerial) {
        this.issues.push({
          file,
          ...at,
          field: 'lottery_serial',
          message: `${employee.lottery_serial} is already used by ${sameSerial.id} (${sameSerial.name}) on ${where(sameSerial)}`,
          hint: 'give each employee a different serial, or leave it empty to have one assigned',
        });
        seen.serial = undefined;
      } else {
        this.bySerial.set(employee.lottery_serial, { id: employee.employee_id, ...seen });
      }
    }
    this.byId.set(employee.employee_id, seen);
  }

  /**
   * After the first pass: checks against the employees in the table, and where new serials start.
   */
  finishChecks(existing: readonly Employee[]): { issues: IssueList; warnings: IssueList } {
    if (!this.checked) {
      this.checked = true;
      for (const employee of existing) {
        const twin = this.byFoldedId.get(employee.employee_id.toLowerCase());
        const seen = twin === undefined ? undefined : this.byId.get(twin);
        if (seen && !this.byId.has(employee.employee_id)) {
          this.caseWarnings.push(
            caseTwin(this.file, seen, twin as string, employee.employee_id, 'in the table'),
          );
        }
      }
      this.existing = existing;
      this.current = new Map(existing.map((employee) => [employee.employee_id, employee]));
      // With --replace the people the file leaves out go, and their serials with them.
      if (!this.options.replace)
        for (const employee of existing)
          if (!this.byId.has(employee.employee_id))
            this.serialOwner.set(employee.lottery_serial, employee);
      for (const [id, seen] of this.byId) {
        const owner = seen.serial === undefined ? undefined : this.serialOwner.get(seen.serial);
        if (owner) {
          this.issues.push({
            file: this.file,
            line: seen.line,
            item: seen.item,
            field: 'lottery_serial',
            message: `${seen.serial} is already used by ${owner.employee_id} (${owner.employee_name}) in the table`,
            hint: 'use another serial, leave it empty to have one assigned, or start afresh with --replace',
          });
        }
        const serial = this.resolvedSerial(id, seen);
        this.nextSerial = Math.max(this.nextSerial, (serial ?? 0) + 1);
      }
      for (const serial of this.serialOwner.keys())
        this.nextSerial = Math.max(this.nextSerial, serial + 1);
      if (this.options.replace)
        for (const employee of this.existing)
          if (!this.byId.has(employee.employee_id)) this.current.delete(employee.employee_id);
      for (const employee of this.current.values())
        if (!this.byId.has(employee.employee_id)) countTickets(this.keptTickets, employee);
      this.counts.total = this.current.size;
      for (const id of this.byId.keys()) if (!this.current.has(id)) this.counts.total++;
    }
    const warnings = new IssueList();
    warnings.push(
      ...[...this.unknown].map(([field, at]) => ({
        file: this.file,
        line: at.line,
        item: at.item,
        message: `field "${field}" is not used`,
        hint: 'it is ignored',
      })),
    );
    return { issues: this.issues, warnings: warnings.concat(this.caseWarnings) };
  }

  /** The serial given in the file, or the one the table has, when nobody else takes it. */
  private resolvedSerial(id: string, seen: Seen): number | undefined {
    if (seen.serial !== undefined) return seen.serial;
    const kept = this.current.get(id)?.lottery_serial;
    return kept !== undefined && !this.serialOwner.has(kept) && !this.bySerial.has(kept)
      ? kept
      : undefined;
  }

  /** Second pass: the same records in the same order, once finishChecks() found no issues. */
  decide(record: RawRecord): SeedDecision {
    if (!this.checked || this.issues.length > 0)
      throw new Error('decide() runs after a first pass without issues');
    const { employee, given } = normalizeEmployee(record);
    const seen = employee && this.byId.get(employee.employee_id);
    if (!employee || !seen || seen.line !== record.line || seen.item !== record.item) {
      throw new LotteryError('usage', `${this.file} changed while it was being loaded`, {
        hint: 'run the seed again: it writes only what is missing or different',
      });
    }
    const resolved = this.resolvedSerial(employee.employee_id, seen);
    const assigned = resolved === undefined;
    const before = this.current.get(employee.employee_id);
    const complete = mergeEmployee(
      before,
      { ...employee, lottery_serial: resolved ?? this.nextSerial++ },
      given,
    );
    if (assigned) this.counts.assigned++;
    countTickets(this.writtenTickets, complete);
    this.eligibility.set(complete.employee_id, {
      excluded: seen.excluded === true,
      lottery_serial: complete.lottery_serial,
    });
    if (!before) {
      this.counts.added++;
      return { kind: 'add', employee: complete, assigned };
    }
    const fields = changedFields(before, complete);
    if (fields.length > 0) {
      this.counts.updated++;
      return { kind: 'update', employee: complete, assigned, fields };
    }
    this.counts.unchanged++;
    return { kind: 'unchanged', employee: complete, assigned };
  }

  /** After finishChecks(): the highest serial the table keeps or the file gives. */
  highestSerial(): number {
    return this.nextSerial - 1;
  }

  /** After finishChecks(): how many employees the second pass gives a new serial. */
  assignmentsNeeded(): number {
    let needed = 0;
    for (const [id, seen] of this.byId) if (this.resolvedSerial(id, seen) === undefined) needed++;
    return needed;
  }

  /**
   * Before the second pass: new serials start at `first` instead of just above the highest one, as
   * a range claimed for this seed alone (src/core/seeding.ts) may begin higher up.
   */
  assignFrom(first: number): void {
    if (first < this.nextSerial)
      throw new Error(`serials from ${first} would reuse ones at or below ${this.nextSerial - 1}`);
    if (this.assignmentsNeeded() > 0) this.nextSerial = first;
  }

  /** With `replace`: the employees of the table that the file leaves out. */
  removals(): Employee[] {
    return this.options.replace
      ? this.existing.filter((employee) => !this.byId.has(employee.employee_id))
      : [];
  }

  /** The employee table once the second pass is written: what the pool's statistics keep. */
  poolAfter(): PoolAfter {
    // Every serial the table keeps or the file gives is below nextSerial, and assignments take it
    // in turn.
    return {
      count: this.counts.total,
      maxSerial: this.nextSerial - 1,
      maxTickets: Math.max(1, this.keptTickets.max, this.writtenTickets.max),
      ticketsTotal: this.keptTickets.total + this.writtenTickets.total,
    };
  }

  /**
   * After the second pass: who in the file may win, by id, with their serial; the file's eligible
   * column decides it (yes when it has none).
   */
  fileEligibility(): ReadonlyMap<string, FileEligibility> {
    return this.eligibility;
  }

  /** The counts so far; complete after the second pass. */
  summary(): SeedCounts {
    return { ...this.counts };
  }
}

function countTickets(sum: { max: number; total: number }, employee: Employee): void {
  const tickets = employee.tickets ?? 1;
  sum.max = Math.max(sum.max, tickets);
  sum.total += tickets;
}

/** Both passes over records held in memory. */
export function planSeed(
  file: string,
  records: readonly RawRecord[],
  existing: readonly Employee[],
  options: SeedOptions = {},
): SeedPlan {
  const planner = new SeedPlanner(file, options);
  for (const record of records) planner.check(record);
  const { issues, warnings } = planner.finishChecks(existing);
  const plan: SeedPlan = {
    write: [],
    remove: planner.removals(),
    changes: [],
    ...planner.summary(),
    issues: [...issues],
    warnings: [...warnings],
  };
  if (issues.length > 0) return { ...plan, total: 0 };
  for (const record of records) {
    const decision = planner.decide(record);
    if (decision.kind === 'add') plan.write.push(decision.employee);
    if (decision.kind === 'update') {
      plan.write.push(decision.employee);
      plan.changes.push({ employee_id: decision.employee.employee_id, fields: decision.fields });
    }
  }
  return { ...plan, ...planner.summary() };
}
