import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The layers (docs/architecture.md): each may import only those below it.
//   core     the lottery's rules, pure
//   ops      the operations tooling's decisions (doctor, deploy, stack, template), pure
//   aws      I/O: SDK clients, tables, executions, stacks
//   lambdas  the handlers, on core and aws
//   local    the embedded backend, on core, aws and lambdas
//   cli      the commands, on everything
//   show-page  the room's screen's script, run in a browser: on core only (pure, no Node)
//   record-page  a draw record's verifier, run in a browser: on core only
// Within cli, a command never imports another command: what two share lives beside them.
const LAYERS = {
  core: ['core'],
  ops: ['core', 'ops'],
  aws: ['core', 'ops', 'aws'],
  lambdas: ['core', 'aws', 'lambdas'],
  local: ['core', 'aws', 'lambdas', 'local'],
  'show-page': ['core', 'show-page'],
  'record-page': ['core', 'record-page'],
};
const ALL = ['core', 'ops', 'aws', 'lambdas', 'local', 'cli', 'show-page', 'record-page'];
const LAYER_ZONES = [
  ...Object.entries(LAYERS).map(([layer, allowed]) => ({
    target: `./src/${layer}`,
    from: ALL.filter((other) => !allowed.includes(other)).map((other) => `./src/${other}`),
    message: `${layer}/ may import only ${allowed.join(', ')} (docs/architecture.md, "Layers").`,
  })),
  {
    target: './src/cli/commands',
    from: './src/cli/commands',
    message: 'a command does not import another command: move what they share beside them.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-sea/',
      'node_modules/',
      'coverage/',
      'bench/results/',
      'reports/',
      '.stryker-tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    plugins: { '@stylistic': stylistic },
    rules: {
      // Prettier wraps code at 100 but leaves comments and strings alone: this catches the rest.
      // A message or a URL is easier to find with grep whole than cut in two, so those may run on.
      '@stylistic/max-len': [
        'error',
        {
          code: 100,
          comments: 100,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Output goes through the CLI's Output (stdout for results, stderr for the rest).
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      // A circle of imports makes the order modules load in matter, and hides which is the base.
      // Type-only imports count too: a circle of types is a circle a reader walks.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
    },
  },
  {
    // Every AWS call goes through aws/ (and the embedded backend's own server through local/):
    // elsewhere the SDK's types may be named, its clients and commands not used.
    files: ['src/cli/**/*.ts', 'src/core/**/*.ts', 'src/ops/**/*.ts', 'src/lambdas/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', '@smithy/*'],
              allowTypeImports: true,
              message: 'AWS calls go through src/aws/ (docs/architecture.md, "Layers").',
            },
          ],
        },
      ],
    },
  },
  // The room's screen's script and a draw record's verifier run in a browser.
  {
    files: ['src/show-page/**/*.ts', 'src/record-page/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  // The executable has no extension; lint it as the JavaScript module it is.
  { files: ['bin/lottery'], languageOptions: { sourceType: 'module', ecmaVersion: 2022 } },
  {
    files: ['scripts/**', 'bench/**', 'bin/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
