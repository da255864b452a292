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
  testTimeout: 30000,
};
