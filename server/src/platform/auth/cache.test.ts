// The authentication cache's rules (ADR 0004): coherence, eviction, and lookups racing a change.
// Its invalidation between server processes is specified in modules/accounts/auth-invalidation.test.ts.
import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { AuthCache, apiTokenKey, sessionKey } from './cache.ts';

const actor = (userId: string, tokenId: string | null = null) => ({ userId, tokenId }) as Actor;
const entry = (userId: string, tokenId: string | null = null) => ({
  actor: actor(userId, tokenId),
  expiresAtMs: Date.now() + 3_600_000,
  lastSeenMs: Date.now(),
});

describe('the authentication cache', () => {
  it('answers nothing and stores nothing until it is coherent, and forgets all when it stops being so', () => {
    const cache = new AuthCache();
    cache.set('s:a', entry('u1'), cache.epoch);
    expect(cache.get('s:a')).toBeUndefined();
    cache.resume();
    cache.set('s:a', entry('u1'), cache.epoch);
    expect(cache.get('s:a')?.actor.userId).toBe('u1');
    cache.suspend();
    expect(cache.get('s:a')).toBeUndefined();
    cache.set('s:b', entry('u2'), cache.epoch);
    cache.resume();
    expect(cache.size).toBe(0);
  });

  it('does not store an answer read before a change was evicted', () => {
    const cache = new AuthCache();
    cache.resume();
    const before = cache.epoch;
    // A lookup reads the database; meanwhile another request logs someone else out.
    cache.evict('session:unrelated');
    cache.set('s:a', entry('u1'), before);
    expect(cache.get('s:a')).toBeUndefined();
    cache.set('s:a', entry('u1'), cache.epoch);
    expect(cache.get('s:a')).toBeDefined();
  });

  it('evicts one session, everything of one user, one API token, or everything', () => {
    const cache = new AuthCache();
    cache.resume();
    const fill = () => {
      cache.set(sessionKey('h1'), entry('u1'), cache.epoch);
      cache.set(sessionKey('h2'), entry('u1'), cache.epoch);
      cache.set(apiTokenKey('h3'), entry('u1', 'tok-1'), cache.epoch);
      cache.set(sessionKey('h4'), entry('u2'), cache.epoch);
    };
    const held = () => ['s:h1', 's:h2', 't:h3', 's:h4'].filter((key) => cache.get(key));
    fill();
    cache.evict('session:h1');
    expect(held()).toEqual(['s:h2', 't:h3', 's:h4']);
    cache.evict('token:tok-1');
    expect(held()).toEqual(['s:h2', 's:h4']);
    fill();
    cache.evict('user:u1');
    expect(held()).toEqual(['s:h4']);
    fill();
    cache.evict('all');
    expect(held()).toEqual([]);
    fill();
    // A notice this version does not know (a newer server mid-upgrade) forgets everything.
    cache.evict('group:g1' as 'all');
    expect(held()).toEqual([]);
  });
});
