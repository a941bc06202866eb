// @ts-check
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Resolves `./x.js` to `./x.ts` the way TypeScript does, so path rules see real files.
const importSettings = {
  'import-x/resolver-next': [
    createTypeScriptImportResolver({
      project: ['src/shared/tsconfig.json', 'src/main/tsconfig.json', 'src/renderer/tsconfig.json', 'server/tsconfig.json', 'test/tsconfig.json'],
      noWarnOnMultipleProjects: true,
    }),
  ],
};

/**
 * Architecture boundaries from STYLE.md, as lint rules so that a wrong import fails CI instead of a
 * review. Exported separately so a test can prove each rule fires.
 */
export const boundaries = [
  {
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: importSettings,
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/shared', from: ['./src/main', './src/preload', './src/renderer', './server'], message: 'src/shared is imported by every runtime and imports none of them.' },
            { target: './src/renderer', from: ['./src/main', './server', './src/sheet-render'], message: 'The renderer talks to the bridge object only; it never imports main or server code.' },
            { target: './src/preload', from: ['./src/renderer', './server'], message: 'The preload builds the bridge from the IPC contract only.' },
            { target: './src/main', from: ['./src/renderer', './server'], message: 'The station never imports renderer or server code; it talks to the server over HTTPS.' },
            { target: './server', from: ['./src/main', './src/preload', './src/renderer'], message: 'The server shares only src/shared (and the Node sheet renderer src/sheet-render) with the station.' },
            { target: './src/sheet-render', from: ['./src/main', './src/preload', './src/renderer', './server'], message: 'The ticket sheet renderer is shared by station and server and imports neither.' },
          ],
        },
      ],
    },
  },
  {
    // Pure code: no Node built-ins, no Electron, no DOM-only libraries.
    files: ['src/shared/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'node-hid', 'react', 'react-dom', 'knex', 'pg', 'fastify'], message: 'src/shared stays free of runtimes and frameworks.' }] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-nodejs-modules': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'node-hid'], message: 'The renderer has no Electron or hardware access; use the bridge.' },
            { group: ['**/preload/**', '**/preload'], allowTypeImports: true, message: 'The renderer may only import types from the preload (the bridge type).' },
          ],
        },
      ],
    },
  },
  {
    // Services are plain Node behind ports: testable without Electron or hardware.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/adapters/**', 'src/main/app/**', 'src/main/ipc/**', 'src/main/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/{app,ipc,adapters} and index.ts import electron; services get ports.' }] }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    ignores: ['src/main/adapters/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='node-hid']", message: 'node-hid is imported only by src/main/adapters.' },
        { selector: "CallExpression[callee.name='require'][arguments.0.value='node-hid']", message: 'node-hid is loaded only by src/main/adapters.' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts'],
    ignores: ['**/vite.config.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-default-export': 'error' },
  },
];

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'data/**', '.tmp/**', 'coverage/**', 'test-results/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Fastify plugins and route handlers are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      // Tests poke at untyped results (raw SQL rows, JSON bodies) on purpose.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...boundaries,
);
