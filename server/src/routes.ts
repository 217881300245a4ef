import { registerAccessRoutes } from './modules/access/routes.ts';
import { registerAccountRoutes } from './modules/accounts/routes.ts';
import { registerAssessmentRoutes } from './modules/assessments/routes.ts';
import { registerAuditTrailRoutes } from './modules/audit-trail/routes.ts';
import { registerCaseRoutes } from './modules/cases/routes.ts';
import { registerCaseworkRoutes } from './modules/casework/routes.ts';
import { registerDirectoryRoutes } from './modules/directory/routes.ts';
import { registerFamilyRoutes } from './modules/families/routes.ts';
import { registerIdentityRoutes } from './modules/identity/routes.ts';
import { registerPersonRoutes } from './modules/persons/routes.ts';
import { registerSavedViewRoutes } from './modules/saved-views/routes.ts';
import { registerSystemRoutes } from './modules/system/routes.ts';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import type { ZodApp } from './platform/http/app.ts';

export interface RouteDependencies {
  db: Database;
  config: Config;
  backend: 'pglite' | 'postgres';
  readiness: () => Promise<{ ready: boolean; schemaVersion: number; expectedVersion: number }>;
}

/** The composition root: every module's routes, registered in one place. */
export function registerRoutes(app: ZodApp, deps: RouteDependencies): void {
  registerSystemRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerAuditTrailRoutes(app, deps);
  registerPersonRoutes(app, deps);
  registerFamilyRoutes(app, deps);
  registerCaseRoutes(app, deps);
  registerCaseworkRoutes(app, deps);
  registerDirectoryRoutes(app, deps);
  registerAccessRoutes(app, deps);
  registerIdentityRoutes(app, deps);
  registerAssessmentRoutes(app, deps);
  registerSavedViewRoutes(app, deps);
}
