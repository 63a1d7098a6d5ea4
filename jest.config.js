/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // ESM-only packages are compiled to CommonJS like our own code.
  // Also where npm nests them (light-my-request keeps its own cookie 2 beside our cookie 1).
  transformIgnorePatterns: ['^(?!.*/node_modules/(jose|content-disposition|cookie)/).*/node_modules/'],
  testSequencer: '<rootDir>/test/support/sequencer.js',
  globalSetup: '<rootDir>/dev/global-setup.ts',
  globalTeardown: '<rootDir>/dev/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  collectCoverageFrom: ['domain/**/*.ts'],
  watchman: false,
};
