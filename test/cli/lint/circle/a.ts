// Half of an import circle made of type-only imports, for test/cli/lint/lint-rules.test.ts:
// ESLint's no-cycle lets it pass (types vanish at run time); the dependency check must not.
import type { B } from './b';

export interface A {
  b?: B;
}
