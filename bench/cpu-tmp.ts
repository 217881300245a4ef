// CPU time the server process spends per request (utime+stime from /proc), for bare Fastify and Homeward /api/me.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
const dir = process.argv[2]!;
const ticks = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; }; // ms at 100 Hz
async function measure(script: string, args: string[], path: string, login: boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', `${dir}/bench/servers/${script}`, ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: '', HOMEWARD_AUTH_RATE_LIMIT: '1000' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const { url } = JSON.parse(await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r)));
  let cookie = '';
  if (login) { const l = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'caseworker', password: 'homeward-demo' }) }); cookie = (l.headers.get('set-cookie') ?? '').split(';')[0]!; }
  await autocannon({ url: url + path, connections: 10, duration: 2, headers: { cookie } });
  const before = ticks(child.pid!);
  const r = await autocannon({ url: url + path, connections: 10, duration: 8, headers: { cookie } });
  const cpu = ticks(child.pid!) - before;
  await new Promise((res) => { child.once('exit', res); child.kill('SIGTERM'); });
  return { rps: Math.round(r.requests.average), usPerReq: +(1000 * cpu / r.requests.total).toFixed(1) };
}
const bare = await measure('bare-fastify.ts', [], '/api/health', false);
const me = await measure('homeward.ts', [JSON.stringify({ dataDir: 'memory://', demo: true, seedPersons: 200 })], '/api/me', true);
console.log(JSON.stringify({ dir, bare, me, costRatio: +(bare.usPerReq / me.usPerReq).toFixed(3) }));
