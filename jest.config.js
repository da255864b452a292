// Jest runs TypeScript as native ESM through ts-jest's ESM preset; arquero 8 is
// ESM only, so the whole suite runs under `NODE_OPTIONS=--experimental-vm-modules`
// (set by the npm scripts). Relative imports are written with `.js` endings, as
// NodeNext requires, and mapped back to the `.ts` sources here.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  // A test that runs both engines end to end takes ~3 s on an idle 2-core machine and
  // ~10× that when the machine is shared (load 20 was measured, issue 19): the timeout
  // is there to catch a hang, not to measure speed, so it leaves room for a busy machine.
  testTimeout: 120000,
};
