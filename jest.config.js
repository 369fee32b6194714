// Unit tests need nothing; integration tests get the real local Neo4j from globalSetup.
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  // Fixture trees (agent projects, manifests) hold package.json files, some deliberately broken: not modules.
  modulePathIgnorePatterns: ['<rootDir>/test/cases/', '<rootDir>/test/fixtures/', '<rootDir>/src/demo/data/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: false }],
  },
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int.test.ts', '<rootDir>/test/native/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.mjs',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.mjs',
    },
  ],
};
