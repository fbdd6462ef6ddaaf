// The other half of the circle in a.ts.
import type { A } from './a';

export interface B {
  a?: A;
}
