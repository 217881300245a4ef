import { keepAuthCacheCoherent } from './platform/auth/invalidation.ts';
import type { Config } from './platform/config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { currentSchemaVersion, latestSchemaVersion } from './platform/db/migrate.ts';
import { buildApp } from './platform/http/app.ts';
import { registerRoutes } from './routes.ts';

/** The Fastify app with every module's routes, on an open, migrated database. */
export async function createApp(handle: DatabaseHandle, config: Config, options: { logger?: boolean } = {}) {
  const expectedVersion = latestSchemaVersion();
  const readiness = async () => {
    const schemaVersion = await currentSchemaVersion(handle.db);
    return { ready: schemaVersion === expectedVersion, schemaVersion, expectedVersion };
  };
  const deps = { db: handle.db, config, backend: handle.backend, readiness };
  // Before the first request: on PostgreSQL the cache answers only once the listener is up.
  const authCoherence = await keepAuthCacheCoherent(handle);
  try {
    const app = await buildApp({
      ...deps,
      ...(options.logger === false ? { logger: false } : {}),
      registerRoutes: (app) => registerRoutes(app, deps),
    });
    app.addHook('onClose', () => authCoherence.close());
    return app;
  } catch (error) {
    await authCoherence.close();
    throw error;
  }
}
