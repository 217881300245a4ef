// Answer time of the case list API for the filter changes a case worker makes in a day (issue 7,
// "a filter change answers within 200 ms on the demo dataset"; docs/PERFORMANCE.md "## Case list").
// Method: Homeward in its own process on in-memory PGlite with the demo dataset (HOMEWARD_DEMO:
// BENCH_CASE_LIST_PERSONS persons, default 2,000 as `npm start`), signed in as the demo case worker;
// then one request at a time (a person clicking, not a load test) cycling through typical filter
// changes, each a GET /api/cases with its total count, timed from send to parsed body on this side.
// BENCH_CASE_LIST_REQUESTS requests (default 300, at least 200) after a warm-up round; p50/p95 per
// filter and overall.
import { startChild } from './child.ts';

const PERSONS = Number(process.env.BENCH_CASE_LIST_PERSONS ?? 2000);
const REQUESTS = Math.max(200, Number(process.env.BENCH_CASE_LIST_REQUESTS ?? 300));

interface Row {
  filter: string;
  n: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanTotal: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number((sorted[Math.max(0, index)] ?? 0).toFixed(1));
}

/** The filter changes of a working day, as the page sends them (25 a page, with the total). */
function filterChanges(me: { id: string; agencyId: string }, name: string): [string, string][] {
  return [
    ['no filter (newest first)', ''],
    ['assigned to me', `assignedUserId=${me.id}`],
    ['me + overdue tasks', `assignedUserId=${me.id}&overdueTasks=true`],
    ['stage 4,5', 'stage=4&stage=5'],
    ['stage 4,5 + female', 'stage=4&stage=5&sex=female'],
    ['age band 0-4', 'ageBand=0-4'],
    ['flags unaccompanied', 'flag=unaccompanied'],
    ['protection track active', 'track=protection&trackStatus=active'],
    ['own agency, sorted by stage', `agencyId=${me.agencyId}&sort=stage`],
    ['open, case number order', 'status=open&sort=case_number'],
    ['name search (Latin)', 'q=Gulnara'],
    ['name search (Cyrillic)', `q=${encodeURIComponent('Гульнара')}`],
    ['name search (Arabic)', `q=${encodeURIComponent('غولنارا')}`],
    ['name search (a listed display name)', `q=${encodeURIComponent(name)}`],
  ];
}

export async function benchCaseListFilter(): Promise<Row[]> {
  const server = await startChild(
    './servers/homeward.ts',
    [JSON.stringify({ dataDir: 'memory://', demo: true, seedPersons: PERSONS })],
    { ...process.env, DATABASE_URL: '', HOMEWARD_AUTH_RATE_LIMIT: '1000' },
  );
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'caseworker', password: 'homeward-demo' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (login.status !== 200 || !cookie) throw new Error(`login failed: ${login.status}`);
    const headers = { cookie, accept: 'application/json' };
    const me = (await (await fetch(`${server.url}/api/me`, { headers })).json()) as {
      id: string;
      agency: { id: string };
    };
    const first = (await (await fetch(`${server.url}/api/cases?limit=25`, { headers })).json()) as {
      items: { displayName: string | null }[];
    };
    const name = first.items.find((c) => c.displayName)?.displayName ?? 'Gulnara';
    const changes = filterChanges({ id: me.id, agencyId: me.agency.id }, name);

    const ask = async (query: string): Promise<{ ms: number; total: number }> => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/cases?limit=25&${query}`, { headers });
      const body = (await response.json()) as { total: number | null };
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET /api/cases?${query}: ${response.status}`);
      return { ms, total: body.total ?? 0 };
    };
    for (const [, query] of changes) await ask(query); // warm-up, not counted

    const samples = new Map<string, { ms: number[]; totals: number[] }>();
    for (let i = 0; i < REQUESTS; i += 1) {
      const [label, query] = changes[i % changes.length]!;
      const { ms, total } = await ask(query);
      const entry = samples.get(label) ?? { ms: [], totals: [] };
      entry.ms.push(ms);
      entry.totals.push(total);
      samples.set(label, entry);
    }
    const rows: Row[] = [...samples].map(([filter, { ms, totals }]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return {
        filter,
        n: ms.length,
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        maxMs: Number((sorted.at(-1) ?? 0).toFixed(1)),
        meanTotal: Math.round(totals.reduce((a, b) => a + b, 0) / totals.length),
      };
    });
    const all = [...samples.values()].flatMap((s) => s.ms).sort((a, b) => a - b);
    rows.push({
      filter: `ALL (${PERSONS} persons)`,
      n: all.length,
      p50Ms: percentile(all, 50),
      p95Ms: percentile(all, 95),
      maxMs: Number((all.at(-1) ?? 0).toFixed(1)),
      meanTotal: 0,
    });
    return rows;
  } finally {
    await server.stop();
  }
}
