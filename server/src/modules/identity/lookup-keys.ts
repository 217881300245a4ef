import { nameKeys } from './names/index.ts';
import { NameMemo } from './names/memo.ts';

/*
 * The blocking keys a lookup, a screening or a linkage searches with. Pure (no I/O): linkage workers
 * compute the keys of their own records with it, without loading the database and access modules.
 */

/** How much sharing one key says, by key kind (keys.ts): whole-name and pair keys say most. */
export function keyWeight(key: string): number {
  if (key.startsWith('s:')) return 4;
  if (key.startsWith('p:')) return 2;
  if (key.startsWith('kn:')) return 2;
  if (key.startsWith('k:')) return 1;
  return 0.25;
}

export interface LookupKeys {
  /** Pair, whole-name and kunya keys. */
  selective: readonly string[];
  /** Single-part keys: used only when the selective ones find nobody. */
  broad: readonly string[];
}

// One name's lookup keys, remembered per distinct name (names repeat a lot across a population).
const lookupCache = new NameMemo<LookupKeys>(50_000);

function lookupKeysOf(name: string): LookupKeys {
  let hit = lookupCache.get(name);
  if (hit === undefined) {
    const keys = nameKeys(name);
    hit = {
      selective: keys.filter((k) => !k.startsWith('t:')),
      broad: keys.filter((k) => k.startsWith('t:')),
    };
    lookupCache.set(name, hit);
  }
  return hit;
}

/** The keys to look up for these names: pair, whole-name and kunya keys; single parts only when needed. */
export function lookupKeys(names: readonly string[]): LookupKeys {
  if (names.length === 1 && names[0] !== undefined && names[0].trim() !== '') return lookupKeysOf(names[0]);
  const selective = new Set<string>();
  const broad = new Set<string>();
  for (const name of names) {
    if (name.trim() === '') continue;
    const keys = lookupKeysOf(name);
    for (const k of keys.selective) selective.add(k);
    for (const k of keys.broad) broad.add(k);
  }
  return { selective: [...selective], broad: [...broad] };
}
