import { defineConfig } from 'vitest/config';
import base, { MUTATION } from './vitest.config';

// One project for `npm run test:mutation`: Stryker's vitest runner runs every project of the
// config it is given and cannot pick one, and the e2e project would build dist/ (and test the
// built bundle, which no mutant reaches) before every run.
const { projects: _everyProject, ...shared } = base.test ?? {};
export default defineConfig({ test: { ...shared, name: 'unit', include: MUTATION } });
