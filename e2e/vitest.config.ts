import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Browser smoke tests: `npm run test:e2e` from the repository root. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/build-web.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
