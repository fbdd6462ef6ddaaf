import { defineConfig } from 'vitest/config';
import base, { MUTATION } from './vitest.config';

// One project for `npm run test:mutation`: Stryker's vitest runner runs every project of the
// config it is given and cannot pick one, and the e2e project would build dist/ (and test the
// built bundle, which no mutant reaches) before every run.
// Stryker runs the tests again for every mutant: with isolate: false the worker keeps the modules
// it loaded between those runs (Stryker switches mutants on at run time, and the core keeps no
// state between calls), which took a run over src/core/pool.ts from 8 to 5 minutes here.
const { projects: _everyProject, ...shared } = base.test ?? {};
export default defineConfig({
  test: { ...shared, name: 'unit', include: MUTATION, isolate: false },
});
