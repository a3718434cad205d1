/**
 * Jest runs the unit and integration suites (issue 16); tests/e2e stays on node:test through
 * scripts/run-tests.mjs. TypeScript is compiled by @swc/jest (type checking is `npm run typecheck`'s
 * job), to CommonJS like tsconfig.json.
 *
 * The code under test also starts worker threads from server/src/imaging/decodeWorkerBoot.js, which
 * loads its TypeScript through tsx outside jest, and child processes (`node --import tsx`): neither
 * needs anything from this file.
 */
const swc = (tsx) => [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx },
      target: 'es2022',
      transform: tsx ? { react: { runtime: 'automatic' } } : undefined,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/tests/support/jestEnvironment.mjs',
  // Only tests/ is crawled for tests; server/, extension/ and scripts/ are reached by require.
  roots: ['<rootDir>/tests'],
  testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'],
  transform: { '\\.tsx$': swc(true), '\\.ts$': swc(false) },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json', 'node'],
  // Two workers: the suites were sized for `node --test --test-concurrency=2` on 2 cores.
  maxWorkers: 2,
  // node:test had no default timeout; integration tests start real servers and decode real images
  // on a shared 2-core machine. Tests that need longer say so (their third argument).
  testTimeout: 180_000,
  // A worker that grows past this is replaced between files (the model runtimes are large).
  workerIdleMemoryLimit: '1.5GB',
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  reporters: ['default', '<rootDir>/scripts/test-count.mjs'],
};
