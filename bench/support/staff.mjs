// A staff list of any size for the benchmarks: CSV with ids S000001…, names from a few dozen
// first and last names, departments in turn.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIRST = [
  'Ana',
  'Bo',
  'Chen',
  'Dmitri',
  'Elif',
  'Femi',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kaveh',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Vera',
  'Wen',
  'Yusuf',
  'Zoë',
];
const LAST = [
  'Almeida',
  'Brown',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Li',
  'Müller',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Rossi',
  'Singh',
  'Tanaka',
  'Wang',
];
const DEPARTMENTS = [
  'Engineering',
  'Finance',
  'Marketing',
  'Sales',
  'Operations',
  'Legal',
  'People',
  'Support',
];

/**
 * Writes employees-<count>.csv into `directory` and returns its path. With `event`, also the
 * columns of an event: every tenth person not eligible, and tickets 1 to 5 in turn.
 */
export function writeStaffCsv(directory, count, { event = false } = {}) {
  const rows = Array.from({ length: count }, (_, index) => {
    const name = `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`;
    const row = `S${String(index + 1).padStart(6, '0')},${name},${DEPARTMENTS[index % DEPARTMENTS.length]}`;
    return event ? `${row},${index % 10 === 9 ? 'no' : 'yes'},${1 + (index % 5)}` : row;
  });
  const file = join(directory, `employees-${count}${event ? '-event' : ''}.csv`);
  const header = `employee_id,employee_name,department${event ? ',eligible,tickets' : ''}`;
  writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
  return file;
}
