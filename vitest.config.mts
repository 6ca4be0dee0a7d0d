import { defineConfig } from 'vitest/config'

// Unit tests sit beside the code (foo.test.ts next to foo.ts). End-to-end tests live in e2e/
// and run under Playwright, not here.
export default defineConfig({
  test: {
    include: ['{engine,protocol,engine-host,cli,main,preload,renderer,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
})
