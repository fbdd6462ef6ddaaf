import type * as Beacon from '../../src/core/beacon';
import type * as EmployeeFile from '../../src/core/employee-file';
import type * as Employees from '../../src/core/employees';

// Each path is written out: vite resolves an import whose path is a variable only in its query.
const LOADERS = {
  beacon: (copy: number) => import(`../../src/core/beacon?copy=${copy}`) as Promise<typeof Beacon>,
  employees: (copy: number) =>
    import(`../../src/core/employees?copy=${copy}`) as Promise<typeof Employees>,
  'employee-file': (copy: number) =>
    import(`../../src/core/employee-file?copy=${copy}`) as Promise<typeof EmployeeFile>,
};

let copies = 0;

/**
 * A copy of a core module loaded afresh, under a name of its own: the modules it imports are not
 * loaded again. Tables a module builds as it loads are then built from the code the test runs
 * against, which mutation testing changes only after the first import (docs/mutation.md).
 */
export function freshCopy<Name extends keyof typeof LOADERS>(
  name: Name,
): ReturnType<(typeof LOADERS)[Name]> {
  return LOADERS[name](++copies) as ReturnType<(typeof LOADERS)[Name]>;
}
