import { createApp } from './app.ts';
import { loadConfig } from './platform/config.ts';
import { openPGlite } from './platform/db/database.ts';

/**
 * The OpenAPI document, built from the route schemas without a running server: the source of the
 * web app's generated client (web/scripts/generate-api.ts).
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const handle = await openPGlite('memory://');
  try {
    const app = await createApp(handle, loadConfig({ HOMEWARD_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }), {
      logger: false,
    });
    await app.ready();
    const document = app.swagger() as unknown as Record<string, unknown>;
    await app.close();
    return document;
  } finally {
    await handle.close();
  }
}
