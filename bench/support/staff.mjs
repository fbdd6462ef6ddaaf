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

/** Writes employees-<count>.csv into `directory` and returns its path. */
export function writeStaffCsv(directory, count) {
  const rows = Array.from({ length: count }, (_, index) => {
    const name = `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`;
    return `S${String(index + 1).padStart(6, '0')},${name},${DEPARTMENTS[index % DEPARTMENTS.length]}`;
  });
  const file = join(directory, `employees-${count}.csv`);
  writeFileSync(file, `employee_id,employee_name,department\n${rows.join('\n')}\n`);
  return file;
}
