import type { Database } from '../db/database.ts';
import type { Actor } from './actor.ts';

interface Entry {
  actor: Actor;
  /** Absolute expiry of the session or token, and when it was last seen (for the idle limit). */
  expiresAtMs: number;
  lastSeenMs: number;
  cachedAtMs: number;
}

/**
 * What changed, as `announceAuthChange` names it and the `homeward_auth` notification carries it:
 * one session (by token hash), everything of one user, one API token (by id), or everyone (a role's
 * permissions, an agency, an access policy).
 */
export type AuthChange = `session:${string}` | `user:${string}` | `token:${string}` | 'all';

/**
 * Resolved sessions and API tokens of one database, held for a few seconds so a signed-in request
 * costs no database round trip (ADR 0004). It answers only while it is *coherent*: while every change
 * to who a user is reaches it. On PGlite that is always (one process holds the database, and the
 * change is evicted where it is made); on PostgreSQL only while the `homeward_auth` listener is
 * connected. Suspended, it neither answers nor stores, and every request goes to the database.
 */
export class AuthCache {
  #entries = new Map<string, Entry>();
  #coherent = false;
  /**
   * Moves on every eviction and every change of coherence. A lookup notes it before reading the
   * database and stores its result only if it has not moved: an answer read before a change was
   * evicted is never cached after it.
   */
  #epoch = 0;
  readonly ttlMs: number;
  readonly maxEntries: number;

  constructor(ttlMs = 5_000, maxEntries = 20_000) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  get coherent(): boolean {
    return this.#coherent;
  }

  get epoch(): number {
    return this.#epoch;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now = Date.now()): Entry | undefined {
    if (!this.#coherent) return undefined;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    // The lifetime stays as a backstop for what no notification can report: a listener connection
    // silently cut (no reset, no keepalive answer yet) loses notices without knowing it.
    if (now - entry.cachedAtMs > this.ttlMs || now >= entry.expiresAtMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores what a lookup read, unless the cache was suspended or evicted since it began (`epoch`). */
  set(key: string, entry: Omit<Entry, 'cachedAtMs'>, epoch: number, now = Date.now()): void {
    if (!this.#coherent || epoch !== this.#epoch) return;
    if (this.#entries.size >= this.maxEntries) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { ...entry, cachedAtMs: now });
  }

  evict(change: AuthChange): void {
    this.#epoch++;
    if (change === 'all') {
      this.#entries.clear();
      return;
    }
    const colon = change.indexOf(':');
    const kind = change.slice(0, colon);
    const id = change.slice(colon + 1);
    switch (kind) {
      case 'session':
        this.#entries.delete(sessionKey(id));
        return;
      case 'user':
        for (const [key, entry] of this.#entries) if (entry.actor.userId === id) this.#entries.delete(key);
        return;
      case 'token':
        for (const [key, entry] of this.#entries) if (entry.actor.tokenId === id) this.#entries.delete(key);
        return;
      default:
        // A notice this version does not understand (a newer server in a rolling upgrade): drop all.
        this.#entries.clear();
    }
  }

  /** For what changes outside Homeward's own writes (tests editing rows directly): forget everything. */
  clear(): void {
    this.evict('all');
  }

  /** Coherence begins (listener connected, or PGlite): start empty, since notices may have been missed. */
  resume(): void {
    this.#entries.clear();
    this.#epoch++;
    this.#coherent = true;
  }

  /** Coherence lost (listener connection dropped, app closing): forget everything, answer nothing. */
  suspend(): void {
    this.#entries.clear();
    this.#epoch++;
    this.#coherent = false;
  }
}

export const sessionKey = (tokenHash: string) => `s:${tokenHash}`;
export const apiTokenKey = (tokenHash: string) => `t:${tokenHash}`;

/**
 * One cache per database (the Kysely instance of a DatabaseHandle): two Homeward apps on two handles
 * in one process are as separate as two processes, and share invalidation only through the database.
 */
const caches = new WeakMap<Database, AuthCache>();

export function authCacheFor(db: Database): AuthCache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new AuthCache();
    caches.set(db, cache);
  }
  return cache;
}
