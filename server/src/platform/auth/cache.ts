import type { Actor } from './actor.ts';

interface Entry {
  actor: Actor;
  /** Absolute expiry of the session or token, and when it was last seen (for the idle limit). */
  expiresAtMs: number;
  lastSeenMs: number;
  cachedAtMs: number;
}

/**
 * Resolved sessions and API tokens, held for a few seconds so a signed-in request costs no database
 * round trip. Everything that changes who a user is or ends a session invalidates here at once;
 * the short lifetime bounds what another server process could still believe (see ADR 0004).
 */
export class AuthCache {
  #entries = new Map<string, Entry>();
  readonly ttlMs: number;
  readonly maxEntries: number;

  constructor(ttlMs = 5_000, maxEntries = 20_000) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  get(key: string, now = Date.now()): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (now - entry.cachedAtMs > this.ttlMs || now >= entry.expiresAtMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: Omit<Entry, 'cachedAtMs'>, now = Date.now()): void {
    if (this.#entries.size >= this.maxEntries) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { ...entry, cachedAtMs: now });
  }

  invalidateKey(key: string): void {
    this.#entries.delete(key);
  }

  invalidateUser(userId: string): void {
    for (const [key, entry] of this.#entries) if (entry.actor.userId === userId) this.#entries.delete(key);
  }

  /** For changes that touch many users at once: a role's permissions, an agency. */
  clear(): void {
    this.#entries.clear();
  }
}

/** One per process: every Homeward app in it shares it (tokens are random, keys never collide). */
export const authCache = new AuthCache();
