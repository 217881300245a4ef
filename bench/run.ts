// `npm run bench [-- name…]`: runs the named benchmarks (all by default) and prints their figures.
// Record them, with method and machine, in docs/PERFORMANCE.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchAccess } from './access.ts';
import { benchCaseListFilter } from './case-list-filter.ts';
import { benchHttp } from './http.ts';
import { benchIdentityQuality } from './identity-quality.ts';
import { benchIdentitySpeed } from './identity-speed.ts';
import { benchLifecycle } from './lifecycle.ts';
import { benchSeed } from './seed.ts';
import { benchStartup } from './startup.ts';
import { benchWebCaseList } from './web-case-list.ts';

const benchmarks: Record<string, () => Promise<unknown>> = {
  http: benchHttp,
  startup: benchStartup,
  seed: benchSeed,
  access: benchAccess,
  'identity-quality': benchIdentityQuality,
  'identity-speed': benchIdentitySpeed,
  lifecycle: benchLifecycle,
  'case-list-filter': benchCaseListFilter,
  'web-case-list': benchWebCaseList,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(benchmarks);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
for (const name of names) {
  const run = benchmarks[name];
  if (!run) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benchmarks).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const result = await run();
  console.table(result);
  writeFileSync(
    new URL(`./results/${name}.json`, import.meta.url),
    JSON.stringify({ name, machine, at: new Date().toISOString(), result }, null, 2),
  );
}
