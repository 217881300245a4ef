// Name-matching quality: precision, recall and F1 per variation type on a labelled set built with the
// synthetic generator, for Homeward's engine and for what a user would pick instead (pg_trgm
// similarity on raw names, Double Metaphone keys, Jaro-Winkler, fuse.js). `npm run bench identity-quality`.
import { doubleMetaphone } from 'double-metaphone';
import Fuse from 'fuse.js';
import { DEFAULT_LINK_THRESHOLD } from '../server/src/modules/identity/linkage.ts';
import {
  type BirthRange,
  comparePersons,
  jaroWinkler,
  type Sex,
} from '../server/src/modules/identity/names/index.ts';
import {
  type GeneratedName,
  type GeneratedPerson,
  generatePopulation,
} from '../server/src/modules/synthetic/generator.ts';
import { typo } from '../server/src/modules/synthetic/names.ts';
import { Random } from '../server/src/modules/synthetic/random.ts';
import { openPGlite } from '../server/src/platform/db/database.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';

const PERSONS = Number(process.env.BENCH_QUALITY_PERSONS ?? 4000);
const SEED = 2026;

/** One line of a list: one name, sex, date of birth (what a list row holds). */
interface ListRecord {
  name: string;
  sex: Sex;
  birth?: BirthRange;
}

interface LabelledPair {
  type: string;
  same: boolean;
  a: ListRecord;
  b: ListRecord;
}

const TYPES = [
  'cyrillic↔latin',
  'arabic↔latin',
  'arabic↔cyrillic',
  'romanisations',
  'order',
  'typos',
  'date variants',
  'twins',
  'parent/child same name',
] as const;

function birthOf(p: GeneratedPerson): BirthRange | undefined {
  return p.birth_date_from !== null && p.birth_date_to !== null
    ? { from: p.birth_date_from, to: p.birth_date_to }
    : undefined;
}

function recordOf(p: GeneratedPerson, name: GeneratedName, birth = birthOf(p)): ListRecord {
  return { name: name.full_name, sex: p.sex, ...(birth === undefined ? {} : { birth }) };
}

/**
 * Variants of the person's own name. A kunya (Umm Yusuf) or an adopted alias is another name, not a
 * spelling of this one: no name engine can link it by its letters, so it is left out of the set.
 */
const spellings = (p: GeneratedPerson) =>
  p.names.filter((n) => n.name_type !== 'kunya' && n.name_type !== 'alias');
const byScript = (p: GeneratedPerson, script: string) => spellings(p).filter((n) => n.script === script);
const primary = (p: GeneratedPerson) => p.names.find((n) => n.is_display) ?? p.names[0];

/** Date variants a camp list produces: year only, 1 January, day and month swapped. */
function dateVariant(rng: Random, birth: BirthRange | undefined): BirthRange | undefined {
  if (birth === undefined || birth.from !== birth.to) return birth;
  const [y, m, d] = birth.from.split('-');
  const kind = rng.int(0, 2);
  if (kind === 0) return { from: `${y}-01-01`, to: `${y}-12-31` };
  if (kind === 1) return { from: `${y}-01-01`, to: `${y}-01-01` };
  if (Number(d) <= 12 && d !== m) return { from: `${y}-${d}-${m}`, to: `${y}-${d}-${m}` };
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

function reorder(name: string): string {
  const parts = name.replace(',', '').split(' ').filter(Boolean);
  return parts.length < 2 ? name : [...parts.slice(1), parts[0]].join(' ');
}

/** The labelled set: for each variation type, same-person pairs and hard different-person pairs. */
export function buildLabelledSet(persons: number, seed: number): LabelledPair[] {
  const rng = new Random(seed, 0xbe4c);
  const people: GeneratedPerson[] = [];
  const families: GeneratedPerson[][] = [];
  for (const f of generatePopulation({ seed, persons })) {
    families.push(f.persons);
    people.push(...f.persons);
  }
  // Hard negatives: another person of the same sex sharing the given name or the surname.
  const byGiven = new Map<string, GeneratedPerson[]>();
  const bySurname = new Map<string, GeneratedPerson[]>();
  for (const p of people) {
    const n = primary(p);
    if (n === undefined) continue;
    const g = `${p.sex}|${n.given_name ?? ''}`;
    const s = `${p.sex}|${(n.family_name ?? '').replace(/а$/u, '')}`;
    byGiven.set(g, [...(byGiven.get(g) ?? []), p]);
    bySurname.set(s, [...(bySurname.get(s) ?? []), p]);
  }
  const similar = (p: GeneratedPerson): GeneratedPerson | undefined => {
    const n = primary(p);
    if (n === undefined) return undefined;
    const pools = [
      bySurname.get(`${p.sex}|${(n.family_name ?? '').replace(/а$/u, '')}`) ?? [],
      byGiven.get(`${p.sex}|${n.given_name ?? ''}`) ?? [],
    ];
    const pool = rng.chance(0.5) ? [...pools[0]!, ...pools[1]!] : [...pools[1]!, ...pools[0]!];
    const others = pool.filter((q) => q.id !== p.id);
    return others.length === 0 ? undefined : rng.pick(others);
  };
  const pairs: LabelledPair[] = [];
  const add = (type: string, same: boolean, a: ListRecord | undefined, b: ListRecord | undefined) => {
    if (a !== undefined && b !== undefined && a.name.trim() !== '' && b.name.trim() !== '')
      pairs.push({ type, same, a, b });
  };
  const scriptPair = (
    type: string,
    p: GeneratedPerson,
    from: GeneratedName[],
    toOf: (q: GeneratedPerson) => GeneratedName[],
  ) => {
    const a = from[0];
    const to = toOf(p);
    const b = to.length > 0 ? rng.pick(to) : undefined;
    if (a === undefined || b === undefined) return;
    add(type, true, recordOf(p, a), recordOf(p, b));
    const q = similar(p);
    if (q === undefined) return;
    const qb = toOf(q);
    if (qb.length > 0) add(type, false, recordOf(p, a), recordOf(q, rng.pick(qb)));
  };
  for (const p of people) {
    if (spellings(p).length < 2) continue;
    const cyr = byScript(p, 'cyrillic');
    const lat = byScript(p, 'latin');
    const ara = byScript(p, 'arabic');
    if (cyr.length > 0) scriptPair('cyrillic↔latin', p, cyr, (q) => byScript(q, 'latin'));
    if (ara.length > 0) scriptPair('arabic↔latin', p, ara, (q) => byScript(q, 'latin'));
    if (ara.length > 0) scriptPair('arabic↔cyrillic', p, ara, (q) => byScript(q, 'cyrillic'));
    if (lat.length >= 2)
      scriptPair('romanisations', p, [lat[0]!], (q) => byScript(q, 'latin').slice(q === p ? 1 : 0));
    // Order: the same spelling with the parts in another order, against another person's reordered name.
    const l = lat[0];
    if (l !== undefined) {
      add('order', true, recordOf(p, l), { ...recordOf(p, l), name: reorder(l.full_name) });
      const q = similar(p);
      const ql = q === undefined ? undefined : byScript(q, 'latin')[0];
      if (q !== undefined && ql !== undefined)
        add('order', false, recordOf(p, l), { ...recordOf(q, ql), name: reorder(ql.full_name) });
      // Typos: one slip in one part.
      const parts = l.full_name.split(' ');
      const i = rng.int(0, parts.length - 1);
      const slipped = parts.map((w, j) => (j === i && w.length > 3 ? typo(rng, w) : w)).join(' ');
      add('typos', true, recordOf(p, l), { ...recordOf(p, l), name: slipped });
      if (q !== undefined && ql !== undefined) add('typos', false, recordOf(p, l), recordOf(q, ql));
      // Dates: the same person with a camp-list date (and another script).
      const other = rng.pick(spellings(p));
      add('date variants', true, recordOf(p, l), recordOf(p, other, dateVariant(rng, birthOf(p))));
      if (q !== undefined) {
        const qo = rng.pick(spellings(q));
        add('date variants', false, recordOf(p, l), recordOf(q, qo, dateVariant(rng, birthOf(q))));
      }
    }
  }
  for (const family of families) {
    const children = family.filter((p) => p.role === 'child' && spellings(p).length >= 2);
    // Twins: siblings of one sex given the same birthday; each also against their own other variant.
    for (let i = 0; i + 1 < children.length; i += 2) {
      const a = children[i]!;
      const b = children[i + 1]!;
      const birth = birthOf(a);
      if (birth === undefined || a.sex !== b.sex) continue;
      // Real twins never share a given name; siblings the generator named alike would be label noise.
      if (primary(a)?.given_name === primary(b)?.given_name) continue;
      const an = rng.pick(spellings(a));
      add(
        'twins',
        true,
        recordOf(a, an, birth),
        recordOf(a, rng.pick(spellings(a).filter((n) => n !== an)), birth),
      );
      add('twins', false, recordOf(a, an, birth), recordOf(b, rng.pick(spellings(b)), birth));
    }
    // A parent and a child of the same sex given the same name (a son named after his father).
    const parent = family.find(
      (p) => (p.role === 'father' || p.role === 'mother') && spellings(p).length >= 2,
    );
    const child = children.find(
      (c) => parent !== undefined && c.sex === parent.sex && birthOf(c) !== undefined,
    );
    if (parent !== undefined && child !== undefined && birthOf(parent) !== undefined) {
      const pn = rng.pick(spellings(parent));
      const other = rng.pick(spellings(parent).filter((n) => n !== pn));
      add('parent/child same name', true, recordOf(parent, pn), recordOf(parent, other));
      add('parent/child same name', false, recordOf(parent, pn), recordOf(parent, other, birthOf(child)));
    }
  }
  return pairs;
}

// ——— baselines: a name similarity in 0..1, gated by the same sex and birth evidence ———

const lower = (s: string) =>
  s.normalize('NFC').toLowerCase().replace(/[,]/gu, ' ').replace(/\s+/gu, ' ').trim();

function metaphoneSimilarity(a: string, b: string): number {
  const codes = (s: string) =>
    new Set(
      lower(s)
        .split(' ')
        .flatMap((w) => doubleMetaphone(w))
        .filter((c) => c !== ''),
    );
  const x = codes(a);
  const y = codes(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const c of x) if (y.has(c)) shared++;
  return shared / Math.min(x.size, y.size);
}

function jaroWinklerSimilarity(a: string, b: string): number {
  const sorted = (s: string) => lower(s).split(' ').sort().join(' ');
  return Math.max(jaroWinkler(lower(a), lower(b)), jaroWinkler(sorted(a), sorted(b)));
}

function fuseSimilarity(a: string, b: string): number {
  const fuse = new Fuse([lower(b)], { includeScore: true, ignoreLocation: true, threshold: 1 });
  const hit = fuse.search(lower(a))[0];
  return hit === undefined ? 0 : 1 - (hit.score ?? 1);
}

/** The non-name evidence every baseline gets too: same sex (or unknown), births at most a year apart. */
function compatible(a: ListRecord, b: ListRecord): boolean {
  if (a.sex !== 'unknown' && b.sex !== 'unknown' && a.sex !== b.sex) return false;
  if (a.birth === undefined || b.birth === undefined) return true;
  const gap =
    Math.max(Date.parse(a.birth.from), Date.parse(b.birth.from)) -
    Math.min(Date.parse(a.birth.to), Date.parse(b.birth.to));
  return gap <= 366 * 86_400_000;
}

interface Scores {
  [method: string]: number[];
}

function f1(tp: number, fp: number, fn: number) {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

function evaluate(pairs: LabelledPair[], predicted: boolean[], type?: string) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  pairs.forEach((p, i) => {
    if (type !== undefined && p.type !== type) return;
    if (predicted[i] && p.same) tp++;
    else if (predicted[i] && !p.same) fp++;
    else if (!predicted[i] && p.same) fn++;
  });
  return f1(tp, fp, fn);
}

export async function benchIdentityQuality() {
  const started = performance.now();
  const pairs = buildLabelledSet(PERSONS, SEED);
  const scores: Scores = {};
  const predictions: Record<string, boolean[]> = {};

  // Homeward as `homeward link` decides: a pair is linked when comparePersons says match or possible
  // with at least the default linkage threshold. Nothing is tuned per variation type.
  predictions.homeward = pairs.map((p) => {
    const c = comparePersons(
      { names: [p.a.name], sex: p.a.sex, ...(p.a.birth ? { birth: p.a.birth } : {}) },
      { names: [p.b.name], sex: p.b.sex, ...(p.b.birth ? { birth: p.b.birth } : {}) },
    );
    return c.decision !== 'no_match' && c.score >= DEFAULT_LINK_THRESHOLD;
  });
  const homewardSeconds = (performance.now() - started) / 1000;
  // BENCH_QUALITY_SHOW_MISSES=<variation type, or "all">: prints Homeward's wrong decisions with their
  // explanations (synthetic names only), to see what a change of the name engine should fix.
  const showMisses = process.env.BENCH_QUALITY_SHOW_MISSES;
  if (showMisses) {
    pairs.forEach((p, i) => {
      if (predictions.homeward?.[i] === p.same || (showMisses !== 'all' && p.type !== showMisses)) return;
      const c = comparePersons(
        { names: [p.a.name], sex: p.a.sex, ...(p.a.birth ? { birth: p.a.birth } : {}) },
        { names: [p.b.name], sex: p.b.sex, ...(p.b.birth ? { birth: p.b.birth } : {}) },
      );
      console.log(
        JSON.stringify({ type: p.type, same: p.same, a: p.a, b: p.b, score: c.score, decision: c.decision }),
      );
      console.log(`  ${JSON.stringify(c.explanation)}`);
    });
  }

  // pg_trgm similarity on raw names, in PostgreSQL (PGlite) itself.
  const pglite = await openPGlite('memory://');
  try {
    await migrate(pglite);
    const { sql } = await import('kysely');
    const result = await sql<{ s: number }>`
      SELECT similarity(a, b) AS s FROM unnest(${pairs.map((p) => p.a.name)}::text[], ${pairs.map((p) => p.b.name)}::text[]) AS t(a, b)`.execute(
      pglite.db,
    );
    scores['pg_trgm similarity'] = result.rows.map((r) => Number(r.s));
  } finally {
    await pglite.close();
  }
  scores['Double Metaphone'] = pairs.map((p) => metaphoneSimilarity(p.a.name, p.b.name));
  scores['Jaro-Winkler'] = pairs.map((p) => jaroWinklerSimilarity(p.a.name, p.b.name));
  scores['fuse.js'] = pairs.map((p) => fuseSimilarity(p.a.name, p.b.name));

  // Each baseline gets its best threshold on this very set (an oracle: generous to the baselines).
  const thresholds: Record<string, number> = {};
  for (const [method, s] of Object.entries(scores)) {
    let best = { t: 0.5, f: -1 };
    for (let t = 0.05; t <= 0.99; t += 0.01) {
      const predicted = pairs.map((p, i) => (s[i] ?? 0) >= t && compatible(p.a, p.b));
      const f = evaluate(pairs, predicted).f1;
      if (f > best.f) best = { t, f };
    }
    thresholds[method] = Number(best.t.toFixed(2));
    predictions[method] = pairs.map((p, i) => (s[i] ?? 0) >= best.t && compatible(p.a, p.b));
  }

  const methods = Object.keys(predictions);
  const rows: Record<string, string | number>[] = [];
  for (const type of [...TYPES, undefined]) {
    const n = pairs.filter((p) => type === undefined || p.type === type);
    const row: Record<string, string | number> = {
      type: type ?? 'overall',
      pairs: n.length,
      same: n.filter((p) => p.same).length,
    };
    for (const m of methods) {
      const r = evaluate(pairs, predictions[m]!, type);
      row[`${m} F1`] = Number(r.f1.toFixed(3));
      if (m === 'homeward') {
        row['homeward P'] = Number(r.precision.toFixed(3));
        row['homeward R'] = Number(r.recall.toFixed(3));
      }
    }
    rows.push(row);
  }
  console.log(
    `labelled pairs: ${pairs.length} from ${PERSONS} synthetic persons (seed ${SEED}); ` +
      `homeward scored them in ${homewardSeconds.toFixed(1)} s; baseline thresholds (oracle): ${JSON.stringify(thresholds)}`,
  );
  return rows;
}
