import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages.ts';
import { namespaceOf } from './namespaces.ts';

/**
 * Every translation must say everything English says and nothing more. Plural keys
 * (`key_one`, `key_few`…) are compared by their base key, and each language must supply every
 * plural category its grammar has (Intl.PluralRules: Russian one/few/many/other, Arabic six).
 */

type Tree = { [key: string]: string | Tree };

/** The six languages DOMAIN.md §9 requires in full; any other locale file must be complete too. */
const REQUIRED_LANGUAGES = ['en', 'ru', 'kk', 'uz', 'tg', 'ar'] as const;

const localeFiles = import.meta.glob<Tree>(
  ['./locales/*.json', '../features/*/locales/*.json', '../ui/locales/*.json'],
  { eager: true, import: 'default' },
);
/** namespace → language → tree */
const byNamespace = new Map<string, Map<string, Tree>>();
for (const [path, tree] of Object.entries(localeFiles)) {
  const found = namespaceOf(path);
  if (!found) throw new Error(`Locale file outside the known layout: ${path}`);
  const languages = byNamespace.get(found.namespace) ?? new Map<string, Tree>();
  languages.set(found.language, tree);
  byNamespace.set(found.namespace, languages);
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** base key → plural categories present (empty set for a plain key) */
function baseKeys(flat: Map<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of flat.keys()) {
    const match = PLURAL_SUFFIX.exec(key);
    const base = match ? key.slice(0, match.index) : key;
    const categories = out.get(base) ?? new Set<string>();
    if (match?.[1]) categories.add(match[1]);
    out.set(base, categories);
  }
  return out;
}

function variables(text: string): Set<string> {
  return new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? ''));
}

describe.each([...byNamespace.keys()])('translations of namespace %s', (namespace) => {
  const locales = Object.fromEntries(byNamespace.get(namespace) ?? []);
  const english = locales.en;

  it('exists in each required language, and every locale file has a known language code', () => {
    expect(english).toBeDefined();
    for (const code of REQUIRED_LANGUAGES)
      expect(Object.keys(locales), `${namespace}/${code}.json`).toContain(code);
    for (const code of Object.keys(locales)) expect(Object.keys(LANGUAGES)).toContain(code);
  });

  const englishFlat = flatten(english ?? {});
  const englishBases = baseKeys(englishFlat);

  describe.each(Object.keys(locales))('%s', (code) => {
    const flat = flatten(locales[code] ?? {});
    const bases = baseKeys(flat);
    const grammar = new Set(new Intl.PluralRules(code).resolvedOptions().pluralCategories as string[]);

    it('lacks no key that English has', () => {
      const missing = [...englishBases.keys()].filter((key) => !bases.has(key));
      expect(missing).toEqual([]);
    });

    it('has no key that English lacks', () => {
      const extra = [...bases.keys()].filter((key) => !englishBases.has(key));
      expect(extra).toEqual([]);
    });

    it('gives every plural key each plural form of the language, and plain keys stay plain', () => {
      const wrong: string[] = [];
      for (const [base, englishCategories] of englishBases) {
        const categories = bases.get(base);
        if (!categories) continue;
        if (englishCategories.size === 0) {
          if (categories.size > 0) wrong.push(`${base} should not be plural`);
          continue;
        }
        for (const category of grammar)
          if (!categories.has(category)) wrong.push(`${base}_${category} missing`);
        for (const category of categories)
          if (!grammar.has(category)) wrong.push(`${base}_${category} unused`);
      }
      expect(wrong).toEqual([]);
    });

    it('uses only the placeholders English uses', () => {
      const wrong: string[] = [];
      for (const [key, text] of flat) {
        const match = PLURAL_SUFFIX.exec(key);
        const base = match ? key.slice(0, match.index) : key;
        const englishTexts = [...englishFlat].filter(([k]) => k === base || k.startsWith(`${base}_`));
        const allowed = new Set(englishTexts.flatMap(([, t]) => [...variables(t)]));
        if (match) allowed.add('count');
        const used = variables(text);
        for (const name of used) if (!allowed.has(name)) wrong.push(`${key}: {{${name}}}`);
        // Plain strings must keep every placeholder; a plural form may spell the number out.
        if (!match) for (const name of allowed) if (!used.has(name)) wrong.push(`${key}: lacks {{${name}}}`);
      }
      expect(wrong).toEqual([]);
    });

    it('has no empty translation', () => {
      expect([...flat].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
    });
  });
});
