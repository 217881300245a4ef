import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { CHROMIUM_PATH } from './browser.ts';

/**
 * The server serves web/dist, so the smoke test must run against a fresh build of the web app,
 * not whatever an earlier build left there. Set HOMEWARD_E2E_SKIP_BUILD=1 to reuse the last one.
 */
export default async function buildWeb(): Promise<void> {
  if (process.env.HOMEWARD_E2E_SKIP_BUILD === '1' || !existsSync(CHROMIUM_PATH)) return;
  const root = fileURLToPath(new URL('../web', import.meta.url));
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, configFile: `${root}/vite.config.ts`, mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
