import { type Kysely, sql } from 'kysely';
import type { Database, DatabaseHandle } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { type AuthChange, authCacheFor } from './cache.ts';

/** The PostgreSQL notification channel every Homeward process listens on for authentication changes. */
export const AUTH_CHANNEL = 'homeward_auth';

/**
 * Tells every Homeward process on this database that an authentication fact changed (a session
 * ended, a user's password, roles, status or agency, a token revoked, a role's permissions…).
 * Call it inside the transaction that makes the change: the local cache of `db` forgets at once, and
 * `pg_notify` is queued in `trx`, so other processes hear of it exactly when, and only if, it commits.
 * On PGlite the notice has no listener and costs one statement; the local eviction is what matters
 * there, and PGlite's single connection keeps any lookup from reading the old rows before the commit.
 */
export async function announceAuthChange(db: Database, trx: Kysely<DB>, change: AuthChange): Promise<void> {
  authCacheFor(db).evict(change);
  tellFollowers(db, change);
  await sql`SELECT pg_notify(${AUTH_CHANNEL}, ${change})`.execute(trx);
}

type Follower = (db: Database, change: AuthChange) => void;
const followers = new Set<Follower>();

/**
 * Other caches of what a user may see that must forget together with the authentication cache, in
 * this process and (through the same notices) in every other: the access module's field-sensitivity
 * rules follow 'all'. Each is told which database the change is about. Returns a function that stops
 * following.
 */
export function followAuthChanges(follower: Follower): () => void {
  followers.add(follower);
  return () => followers.delete(follower);
}

function tellFollowers(db: Database, change: AuthChange): void {
  for (const follower of followers) follower(db, change);
}

function isAuthChange(payload: string): payload is AuthChange {
  return payload === 'all' || /^(session|user|token):./.test(payload);
}

export interface AuthCoherence {
  close(): Promise<void>;
}

const running = new WeakMap<Database, { users: number; stop: () => Promise<void> }>();

/**
 * Makes the authentication cache of `handle` safe to answer from, for as long as the app runs.
 * PGlite: at once, since one process holds the database and evicts its own changes. PostgreSQL: while
 * a dedicated connection listens on `homeward_auth`; each notice evicts, and while that connection is
 * down (until it reconnects) the cache is suspended and every request reads the database.
 * Two apps on the same handle share one listener.
 */
export async function keepAuthCacheCoherent(handle: DatabaseHandle): Promise<AuthCoherence> {
  const cache = authCacheFor(handle.db);
  let current = running.get(handle.db);
  if (current === undefined) {
    if (handle.listen === undefined) {
      cache.resume();
      current = { users: 0, stop: async () => cache.suspend() };
      running.set(handle.db, current);
    } else {
      const listener = handle.listen(AUTH_CHANNEL, {
        notify: (payload) => {
          const change = isAuthChange(payload) ? payload : 'all';
          cache.evict(change);
          tellFollowers(handle.db, change);
        },
        up: () => cache.resume(),
        down: () => cache.suspend(),
      });
      current = {
        users: 0,
        stop: async () => {
          await listener.close();
          cache.suspend();
        },
      };
      // Registered before waiting, so a second app on this handle joins this listener.
      running.set(handle.db, current);
      // The first connection attempt, whatever its outcome: a failure leaves the cache suspended and
      // the listener retrying, and the app serves from the database meanwhile.
      await listener.firstAttempt;
    }
  }
  const held = current;
  held.users++;
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      held.users--;
      if (held.users === 0 && running.get(handle.db) === held) {
        running.delete(handle.db);
        await held.stop();
      }
    },
  };
}
