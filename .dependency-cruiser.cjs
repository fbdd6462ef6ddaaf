// Import circles, type-only imports included: ESLint's import-x/no-cycle skips those (they vanish
// at run time), but a circle of types is still a circle a reader has to walk to find the base.
// `npm run lint` runs this after ESLint; the layers themselves are ESLint's (eslint.config.js).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Break the circle: move what both sides need into a module below both.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports and `import type` count as dependencies.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)' },
  },
};
