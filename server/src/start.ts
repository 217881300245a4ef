import type { FastifyInstance } from 'fastify';
import { createApp } from './app.ts';
import { ensureDefaultRoles } from './modules/accounts/bootstrap.ts';
import { ensureShippedInstruments } from './modules/assessments/shipped.ts';
import { isEmptyDeployment, seedDemo } from './modules/demo/seed-demo.ts';
import { hasStaleNameKeys, reindexAllNameKeys } from './modules/identity/keys-repository.ts';
import { assertProductionSafe, type Config, loadConfig } from './platform/config.ts';
import { type DatabaseHandle, openDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';

export interface HomewardOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  demo?: boolean;
  /** Persons in the synthetic demo population, when an empty database is seeded in demo mode. */
  seedPersons?: number;
  seed?: number;
  logLevel?: string;
  /** Log to stdout (default) or stay quiet (tests, benchmarks). */
  logger?: boolean;
  onSeedProgress?: (done: number, total: number) => void;
  /** Told when start-up rebuilds name keys made by an older name engine. */
  onReindex?: (phase: 'start' | 'done') => void;
}

export interface RunningHomeward {
  url: string;
  app: FastifyInstance;
  handle: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

export function configFromOptions(options: HomewardOptions, env: NodeJS.ProcessEnv = process.env): Config {
  const overrides: Record<string, string> = {};
  if (options.port !== undefined) overrides.PORT = String(options.port);
  if (options.host !== undefined) overrides.HOST = options.host;
  if (options.dataDir !== undefined) overrides.HOMEWARD_DATA_DIR = options.dataDir;
  if (options.demo !== undefined) overrides.HOMEWARD_DEMO = options.demo ? '1' : '0';
  if (options.logLevel !== undefined) overrides.LOG_LEVEL = options.logLevel;
  const merged: NodeJS.ProcessEnv = { ...env, ...overrides };
  if (options.databaseUrl !== undefined) merged.DATABASE_URL = options.databaseUrl;
  else if (options.dataDir !== undefined) delete merged.DATABASE_URL;
  return loadConfig(merged);
}

/** Opens the database, brings its schema up to date and seeds what an empty deployment needs. */
export async function prepareDatabase(
  config: Config,
  options: HomewardOptions = {},
): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(handle);
    await ensureDefaultRoles(handle.db);
    await ensureShippedInstruments(handle.db);
    // Name keys made by an older name engine would miss matches the new one finds: rebuild them
    // before serving (minutes for a large registry; `homeward identity reindex` does the same by hand).
    if (await hasStaleNameKeys(handle.db)) {
      options.onReindex?.('start');
      await reindexAllNameKeys(handle.db);
      options.onReindex?.('done');
    }
    if (config.demo && (await isEmptyDeployment(handle.db))) {
      await seedDemo(handle.db, {
        seed: options.seed ?? 1,
        persons: options.seedPersons ?? 2000,
        ...(options.onSeedProgress ? { onProgress: options.onSeedProgress } : {}),
      });
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Starts a whole Homeward: database, migrations, seed (demo), HTTP server. */
export async function startHomeward(options: HomewardOptions = {}): Promise<RunningHomeward> {
  const config = configFromOptions(options);
  assertProductionSafe(config);
  const handle = await prepareDatabase(config, options);
  const app = await createApp(handle, config, { logger: options.logger ?? true });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await handle.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    app,
    handle,
    config,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
