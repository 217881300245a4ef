import { randomBytes } from 'node:crypto';
import { buildCaseListQuery, countCases } from '../server/src/modules/cases/list.ts';
import { caseListQuerySchema } from '../server/src/modules/cases/schemas.ts';
import { authenticateSession } from '../server/src/platform/auth/authenticate.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { hashToken } from '../server/src/platform/crypto/secrets.ts';
import { openPostgres } from '../server/src/platform/db/database.ts';

const handle = openPostgres(`postgres://postgres@127.0.0.1:5432/${process.env.DB ?? 'bench_lifecycle_1m'}`);
const config = loadConfig({ HOMEWARD_DATA_DIR: 'memory://', HOMEWARD_DEMO: '1', LOG_LEVEL: 'silent' });
const user = await handle.db
  .selectFrom('users')
  .select('id')
  .where('username', '=', 'supervisor')
  .executeTakeFirstOrThrow();
const token = randomBytes(32).toString('base64url');
await handle.db
  .insertInto('sessions')
  .values({
    token_hash: hashToken(token),
    user_id: user.id,
    csrf_token: 'x',
    expires_at: new Date(Date.now() + 3600000),
  })
  .execute();
const actor = await authenticateSession(handle.db, config, token);
const ctx = {
  db: handle.db,
  config,
  actor,
  audit: { actorUserId: actor.userId, actorAgencyId: actor.agencyId, clientIp: null, requestId: null },
};
const filters = caseListQuerySchema.parse(
  Object.fromEntries(new URLSearchParams(`${process.argv[2]}&limit=50`)),
);
const { page, filtered } = buildCaseListQuery(ctx, filters);
const which = process.argv[3] ?? 'page';
const compiled =
  which === 'page'
    ? page.compile()
    : which === 'exact'
      ? filtered.select((eb) => eb.fn.countAll().as('n')).compile()
      : handle.db
          .selectFrom(
            filtered
              .select((eb) => eb.lit(1).as('one'))
              .limit(10001)
              .as('m'),
          )
          .select((eb) => eb.fn.countAll().as('n'))
          .compile();
if (process.env.SQL) console.log(compiled.sql, compiled.parameters);
const plan = await handle.db.executeQuery({ ...compiled, sql: `EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}` });
console.log(plan.rows.map((r) => Object.values(r as object)[0]).join('\n'));
void countCases;
await handle.close();
