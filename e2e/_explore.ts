import { chromium } from 'playwright-core';
import { startHomeward } from '../server/src/start.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.ts';

const user = process.argv[2] ?? 'caseworker';
const urls = process.argv.slice(3);
const homeward = await startHomeward({
  port: 0,
  host: '127.0.0.1',
  dataDir: 'memory://',
  demo: true,
  seedPersons: 50,
  logLevel: 'warn',
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => {
    if (m.type() === 'error') console.log('CONSOLE', m.text());
  });
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  await page.goto(homeward.url);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('homeward-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').first().waitFor();
  await page
    .getByRole('combobox')
    .first()
    .selectOption('en')
    .catch(() => {});
  for (const u of urls) {
    let target = u;
    if (u.includes('FIRSTCASE')) {
      const id = await page.evaluate(async () => {
        const r = await fetch('/api/cases?limit=1');
        const j = await r.json();
        return (j.items ?? j.cases ?? j)[0]?.id ?? JSON.stringify(j).slice(0, 300);
      });
      target = u.replace('FIRSTCASE', id);
    }
    await page.goto(homeward.url + target);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500);
    console.log(`===== ${target}`);
    console.log(await page.locator('body').ariaSnapshot());
    await page.screenshot({ path: `/tmp/hw-e2e/${target.replace(/\W+/g, '_')}.png`, fullPage: true });
  }
} finally {
  await browser.close();
  await homeward.close();
}
