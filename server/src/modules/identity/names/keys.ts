import { analyse, makeToken, type Token } from './analyse.ts';
import { NameMemo } from './memo.ts';
import { MAX_VARIANTS, skeletonOf } from './phonetic.ts';
import type { NameParts } from './types.ts';

/*
 * Blocking keys for retrieval. Each key is a short string to store in an indexed column; two
 * records are candidates for comparison when they share a key. Prefixes say how selective a key is:
 *
 *   p:A|B      two parts of the name (sorted consonant skeletons): the main blocking key. Two
 *              spellings of one person share one when any two parts survive; two people who share
 *              only a given name or only a surname do not.
 *   s:A|B|C    the whole sorted set of parts (three or more parts): the most selective.
 *   k:umm:A    a kunya (Umm + child's name); kn:umm:A:B adds the nisba.
 *   t:A        one part alone: broad (every Muhammad shares t:MHMT), for one-word names and for
 *              "search by any part" screens; do not use it alone to block a batch link.
 *
 * Surnames with a gendered ending also get keys on their stem (Zhanbulatova, Zhanbulatov and a
 * dropped-ending Zhanbulat share JNBLT; Rahimova and Rahimzoda share RHM).
 */

/**
 * Every reading a token has (phonetic.ts keeps at most MAX_VARIANTS): dropping the last one lost the
 * all-secondary reading, so "Baschaschaba" (ICAO s+ch twice) shared no key with Басчасчаба.
 */
const MAX_PER_TOKEN = MAX_VARIANTS;

function skeletonsOf(t: Token): string[] {
  const out = t.skeleton.slice(0, MAX_PER_TOKEN);
  for (const stem of t.stems) {
    if (t.endingFamily !== 'gendered') break;
    const s = skeletonOf(stem);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

// Keys of recent distinct names: screening and linkage ask for the same names again and again.
const keysCache = new NameMemo<readonly string[]>(50_000);

export function nameKeys(name: string | NameParts): string[] {
  if (typeof name !== 'string') return keysOf(name);
  let keys = keysCache.get(name);
  if (keys === undefined) {
    keys = keysOf(name);
    keysCache.set(name, keys);
  }
  return [...keys];
}

function keysOf(name: string | NameParts): string[] {
  const a = analyse(name);
  const keys = new Set<string>();
  const parts: Token[] = [...a.core];
  // Adjacent given names also as one word (Muhammad Ali ~ Muhammadali).
  for (let i = 0; i + 1 < a.core.length; i++) {
    const x = a.core[i];
    const y = a.core[i + 1];
    if (x !== undefined && y !== undefined && x.role === 'given' && y.role === 'given') {
      parts.push({ ...makeToken(x.display + y.display, 'given', 1), display: `${x.display} ${y.display}` });
    }
  }
  const father = a.patronymic ?? a.nasab[0]?.token;
  if (father !== undefined) parts.push(father);
  const skels = parts.map(skeletonsOf);
  const joinedFrom = (i: number): [number, number] | undefined => {
    // Index of a joined part → the two parts it was made of (they are not paired with it).
    const k = i - a.core.length;
    let seen = -1;
    for (let j = 0; j + 1 < a.core.length; j++) {
      if (a.core[j]?.role === 'given' && a.core[j + 1]?.role === 'given') {
        seen++;
        if (seen === k) return [j, j + 1];
      }
    }
    return undefined;
  };
  for (const list of skels) for (const s of list) if (s !== '') keys.add(`t:${s}`);
  for (let i = 0; i < parts.length; i++) {
    const ji = i >= a.core.length ? joinedFrom(i) : undefined;
    for (let j = i + 1; j < parts.length; j++) {
      const jj = j >= a.core.length ? joinedFrom(j) : undefined;
      if (ji !== undefined && (ji[0] === j || ji[1] === j)) continue;
      if (jj !== undefined && (jj[0] === i || jj[1] === i)) continue;
      if (ji !== undefined && jj !== undefined && (ji[1] === jj[0] || ji[0] === jj[1])) continue;
      for (const x of skels[i] ?? []) {
        for (const y of skels[j] ?? []) {
          if (x === '' || y === '') continue;
          keys.add(x < y ? `p:${x}|${y}` : `p:${y}|${x}`);
        }
      }
    }
  }
  if (a.core.length >= 3) {
    const primary = a.core.map((t) => t.skeleton[0] ?? '').sort();
    keys.add(`s:${primary.join('|')}`);
  }
  if (a.kunya !== undefined) {
    for (const s of a.kunya.token.skeleton.slice(0, MAX_PER_TOKEN)) {
      keys.add(`k:${a.kunya.kind}:${s}`);
      for (const n of a.nisba) keys.add(`kn:${a.kunya.kind}:${s}:${n.skeleton[0] ?? ''}`);
    }
  }
  // A name that is nothing but a nisba-like word (a one-word name ending in -i) must still be findable.
  if (keys.size === 0) {
    for (const n of a.nisba)
      for (const sk of n.skeleton.slice(0, MAX_PER_TOKEN)) if (sk !== '') keys.add(`t:${sk}`);
  }
  return [...keys];
}

/**
 * Version of the key scheme above. Stored with every key row (person_name_keys.key_version); bump it
 * whenever nameKeys would produce different keys for the same name, then run `homeward identity reindex`.
 */
export const KEY_VERSION = 4;
