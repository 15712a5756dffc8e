// Test runner settings: two projects, so the quick feedback loop does not wait for real processes and Chromium.
// `fast`: unit, store contract, web and in-process CLI tests; `slow`: spawned processes (e2e) and the browser.
// Real collaborators are slow to start, so both allow generous timeouts.
import { defineConfig } from 'vitest/config';

const SLOW = ['test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'];
/** End-to-end CLI cases that run the CLI in this process (runInProcess): as quick as unit tests. */
const IN_PROCESS = [
  'test/e2e/search-cli.test.ts',
  'test/e2e/library-cli.test.ts',
  'test/e2e/ingest-ids-cli.test.ts',
  'test/e2e/hostile-records.test.ts',
];

const shared = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'fast',
          include: ['test/*.test.ts', 'test/!(e2e|browser)/**/*.test.ts', ...IN_PROCESS],
        },
      },
      { test: { ...shared, name: 'slow', include: SLOW, exclude: IN_PROCESS } },
    ],
  },
});
