// Requests/s and latency of GET /api/health and an authenticated GET /api/me, against a bare
// Fastify handler measured in the same run. Server in one process, autocannon in this one:
// each gets one of the machine's two cores.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { type ChildServer, startChild } from './child.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 10;

interface Result {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /**
   * CPU time the server process spent per request (user + system, from /proc; Linux only). Unlike
   * requests/s it hardly moves with the load on the machine, so its ratio is the steadier figure.
   */
  serverCpuUsPerRequest: number | null;
  errors: number;
  non2xx: number;
}

/** The server process's CPU time so far, in microseconds, or null where /proc is missing. */
function cpuMicros(server: ChildServer): number | null {
  try {
    const fields = readFileSync(`/proc/${server.process.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

async function load(
  name: string,
  server: ChildServer,
  url: string,
  headers: Record<string, string> = {},
): Promise<Result> {
  // Warm-up, not counted.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const cpuBefore = cpuMicros(server);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  const cpuAfter = cpuMicros(server);
  const latency = r.latency as unknown as Record<string, number>;
  return {
    name,
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: latency.p50 ?? 0,
    p95Ms: latency.p97_5 ?? latency.p95 ?? 0,
    p99Ms: latency.p99 ?? 0,
    serverCpuUsPerRequest:
      cpuBefore !== null && cpuAfter !== null && r.requests.total > 0
        ? Math.round((10 * (cpuAfter - cpuBefore)) / r.requests.total) / 10
        : null,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export async function benchHttp(): Promise<Result[]> {
  const results: Result[] = [];
  const bare = await startChild('./servers/bare-fastify.ts');
  try {
    results.push(await load('bare Fastify GET /api/health', bare, `${bare.url}/api/health`));
  } finally {
    await bare.stop();
  }
  const homeward = await startChild(
    './servers/homeward.ts',
    [JSON.stringify({ dataDir: 'memory://', demo: true, seedPersons: 200 })],
    {
      ...process.env,
      DATABASE_URL: '',
      HOMEWARD_AUTH_RATE_LIMIT: '1000',
    },
  );
  try {
    results.push(await load('Homeward GET /api/health', homeward, `${homeward.url}/api/health`));
    const login = await fetch(`${homeward.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'caseworker', password: 'homeward-demo' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (login.status !== 200 || !cookie) throw new Error(`login failed: ${login.status}`);
    results.push(
      await load('Homeward GET /api/me (session, PGlite)', homeward, `${homeward.url}/api/me`, { cookie }),
    );
  } finally {
    await homeward.stop();
  }
  return results;
}
