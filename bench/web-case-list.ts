/// <reference lib="dom" />
// The case list in a real browser (issue 7 §9): time to interactive on the demo dataset, and how long
// a filter change takes to answer on screen. Method: `npm run build -w web` when no build exists;
// Homeward in this process on in-memory PGlite with the demo dataset (2,000 persons, as `npm start`);
// Debian's Chromium through playwright-core, signed in as the demo case worker.
//  - Time to interactive: BENCH_WEB_LOADS cold loads of /cases (a new page each time, the browser's
//    HTTP cache kept, as for a returning user), from navigation start to the first frame after the
//    result count and the first case row are on screen with the main thread free (no long task in
//    the last 50 ms).
//  - Filter change: on one page, the "Sex" and "Age band" selects changed in the page itself, every
//    combination once (nothing answered from the query cache), from the change event to the first
//    frame after the count's aria-busy went back to false, i.e. the new rows are rendered.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startHomeward } from '../server/src/start.ts';

const LOADS = Number(process.env.BENCH_WEB_LOADS ?? 15);
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Number((sorted[index] ?? 0).toFixed(1));
}

export async function benchWebCaseList(): Promise<Record<string, unknown>[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (!existsSync(`${root}web/dist/index.html`)) {
    const build = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('web build failed');
  }
  const homeward = await startHomeward({
    port: 0,
    host: '127.0.0.1',
    dataDir: 'memory://',
    demo: true,
    logger: false,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    // tsx wraps named functions in `__name(…)`; the functions below run in the page, which lacks it.
    await context.addInitScript('window.__name = (f) => f;');
    const signIn = await context.newPage();
    await signIn.goto(homeward.url);
    const status = await signIn.evaluate(async () => {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'caseworker', password: 'homeward-demo' }),
      });
      return response.status;
    });
    if (status !== 200) throw new Error(`sign-in answered ${status}`);
    await signIn.close();

    const loads: number[] = [];
    for (let i = 0; i <= LOADS; i += 1) {
      const page = await context.newPage();
      await page.goto(`${homeward.url}/cases`, { waitUntil: 'commit' });
      await page.getByText(/cases? found/).waitFor();
      await page.locator('table tbody tr a, .case-list a[href^="/cases/"]').first().waitFor();
      const at = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let lastLongTask = 0;
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries()) lastLongTask = entry.startTime + entry.duration;
            }).observe({ entryTypes: ['longtask'] as never[] });
            const check = () => {
              const now = performance.now();
              if (now - lastLongTask >= 50) resolve(now);
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          }),
      );
      if (i > 0) loads.push(at); // the first load warms the server and the browser cache
      await page.close();
    }

    const page = await context.newPage();
    await page.goto(`${homeward.url}/cases`);
    await page.getByText(/cases? found/).waitFor();
    const sex = await page.getByLabel('Sex', { exact: true }).elementHandle();
    const age = await page.getByLabel('Age band', { exact: true }).elementHandle();
    if (!sex || !age) throw new Error('filters not found');
    const sexValues = await sex.evaluate((s) => [...(s as HTMLSelectElement).options].map((o) => o.value));
    const ageValues = await age.evaluate((s) => [...(s as HTMLSelectElement).options].map((o) => o.value));
    const changes: number[] = [];
    for (const a of ageValues) {
      for (const s of sexValues) {
        const changed = await page.evaluate(
          ([sexSelect, ageSelect, sexValue, ageValue]) =>
            new Promise<number>((resolve) => {
              const count = document.querySelector('[role="status"][aria-busy]');
              if (!count) throw new Error('no result count');
              const started = performance.now();
              let sawBusy = false;
              const observer = new MutationObserver(() => {
                const busy = count.getAttribute('aria-busy') === 'true';
                if (busy) sawBusy = true;
                else if (sawBusy) {
                  observer.disconnect();
                  requestAnimationFrame(() => resolve(performance.now() - started));
                }
              });
              observer.observe(count, { attributes: true, attributeFilter: ['aria-busy'] });
              const set = (select: HTMLSelectElement, value: string) => {
                if (select.value === value) return false;
                select.value = value;
                select.dispatchEvent(new Event('change', { bubbles: true }));
                return true;
              };
              const a1 = set(ageSelect as HTMLSelectElement, ageValue as string);
              const s1 = set(sexSelect as HTMLSelectElement, sexValue as string);
              if (!a1 && !s1) {
                observer.disconnect();
                resolve(-1);
              }
            }),
          [sex, age, s, a] as const,
        );
        if (changed >= 0) changes.push(changed);
      }
    }
    // The first change loads nothing new in the browser but warms the server's plan cache.
    const measured = changes.slice(1);
    return [
      {
        what: 'case list, time to interactive (ms)',
        n: loads.length,
        p50: percentile(loads, 50),
        p95: percentile(loads, 95),
        max: percentile(loads, 100),
      },
      {
        what: 'filter change answered on screen (ms)',
        n: measured.length,
        p50: percentile(measured, 50),
        p95: percentile(measured, 95),
        max: percentile(measured, 100),
      },
    ];
  } finally {
    await browser.close();
    await homeward.close();
  }
}
