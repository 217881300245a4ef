import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHomeward } from '../server/src/start.ts';
import ar from '../web/src/i18n/locales/ar.json';
import en from '../web/src/i18n/locales/en.json';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  hasChromium,
  overflowsHorizontally,
  seriousAccessibilityViolations,
} from './browser.ts';
import { totpCode } from './totp.ts';

/**
 * Browser smoke test: a real Homeward (PGlite in memory, demo data) and Debian's Chromium.
 * Skipped when Chromium is absent, unless HOMEWARD_REQUIRE_BROWSER=1 (CI), where it fails.
 */

const requireBrowser = process.env.HOMEWARD_REQUIRE_BROWSER === '1';
const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const DEMO_PASSWORD = 'homeward-demo';

describe.runIf(requireBrowser && !hasChromium)('browser requirement', () => {
  it('has Chromium installed', () => {
    throw new Error(
      `HOMEWARD_REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} does not exist. Install it (apt-get install chromium) ` +
        'or unset HOMEWARD_REQUIRE_BROWSER to skip the browser tests.',
    );
  });
});

describe.skipIf(!hasChromium)('Homeward in Chromium', () => {
  let homeward: Awaited<ReturnType<typeof startHomeward>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    homeward = await startHomeward({
      port: 0,
      host: '127.0.0.1',
      dataDir: 'memory://',
      demo: true,
      seedPersons: 50,
      logLevel: 'warn',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await homeward?.close();
  });

  /** A fresh browser profile. `bypassCSP` only where axe-core must be injected as an inline script. */
  async function openPage(options: { width?: number; height?: number; bypassCSP?: boolean } = {}) {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      locale: 'en-GB',
      bypassCSP: options.bypassCSP ?? false,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A 401 from /api/me on the sign-in page is expected; the browser logs it as a failed load.
      const expected401 = /Failed to load resource: .*status of 401/.test(message.text());
      if (message.type() === 'error' && !expected401) {
        problems.push(`console: ${message.text()}`);
      }
    });
    return { page, problems };
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.getByLabel(en.auth.signIn.username).fill(username);
    await page.getByLabel(en.auth.signIn.password).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: en.auth.signIn.submit }).click();
  }

  /** The signed-in pages, whatever the language: only they have the main navigation. */
  async function waitForHome(page: Page): Promise<void> {
    await page.getByRole('navigation').waitFor();
  }

  /** The one language select, whatever language its label is in now. */
  async function chooseLanguage(page: Page, language: 'en' | 'ar'): Promise<void> {
    await page.getByRole('combobox').selectOption(language);
    await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
  }

  async function currentUser(page: Page): Promise<{ displayName: string; agency: { name: string } }> {
    return page.evaluate(async () => {
      const response = await fetch('/api/me', { headers: { accept: 'application/json' } });
      return response.json();
    });
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  }

  it('signs in, passes axe on every page, switches to Arabic right to left and signs out', async () => {
    const { page, problems } = await openPage({ bypassCSP: true });
    await page.goto(homeward.url);

    await page.getByRole('heading', { level: 1, name: en.auth.signIn.title }).waitFor();
    await page.getByText(en.app.demoBanner).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'en',
      'ltr',
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'login-en');

    await signIn(page, 'caseworker');
    await waitForHome(page);
    // The account's saved language applies on sign-in; this part of the test reads English.
    await chooseLanguage(page, 'en');
    const welcome = page.getByRole('heading', { level: 1 });
    await welcome.filter({ hasText: 'Welcome' }).waitFor();
    const me = await currentUser(page);
    expect(await welcome.textContent()).toContain(me.displayName);
    await page.getByText(me.agency.name, { exact: true }).waitFor();
    await page.getByText(en.app.demoBanner).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'home-en');

    await page.getByLabel(en.app.language).selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    await page
      .getByRole('heading', { level: 1, name: ar.home.welcome.replace('{{name}}', me.displayName) })
      .waitFor();
    await page.getByText(ar.app.demoBanner).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'home-ar');

    await page.getByRole('button', { name: ar.auth.signOut }).click();
    await page.getByRole('heading', { level: 1, name: ar.auth.signIn.title }).waitFor();
    await page.getByText(ar.auth.notice.signedOut).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'login-ar');

    const afterSignOut = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(afterSignOut).toBe(401);
    expect(problems).toEqual([]);
  });

  it('asks for the one-time code of a user with an authenticator, and refuses a wrong one', async () => {
    const { page, problems } = await openPage({ bypassCSP: true });
    await page.goto(homeward.url);
    await page.getByRole('heading', { level: 1, name: en.auth.signIn.title }).waitFor();
    await signIn(page, 'health');
    await waitForHome(page);
    await chooseLanguage(page, 'en');

    // Turn the second factor on through the API, as the account page will do.
    const { secret } = await page.evaluate(async () => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const response = await fetch('/api/me/totp/setup', {
        method: 'POST',
        headers: { 'x-csrf-token': me.csrfToken },
      });
      return (await response.json()) as { secret: string };
    });
    const enabled = await page.evaluate(async (code) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const response = await fetch('/api/me/totp/enable', {
        method: 'POST',
        headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      return response.status;
    }, totpCode(secret));
    expect(enabled).toBe(200);

    await page.getByRole('button', { name: en.auth.signOut }).click();
    await page.getByText(en.auth.notice.signedOut).waitFor();
    await signIn(page, 'health');
    await page.getByRole('heading', { level: 1, name: en.auth.totp.title }).waitFor();

    const wrong = totpCode(secret, Date.now(), 10);
    await page.getByLabel(en.auth.totp.code).fill(wrong);
    await page.getByRole('button', { name: en.auth.totp.submit }).click();
    await page.getByRole('alert').getByText(en.auth.failure.TOTP_INVALID).waitFor();
    expect(await page.getByLabel(en.auth.totp.code).getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'login-totp-error-en');

    // Enrolment spent this step's code, and a code is good only once: the next step's code signs in.
    await page.getByLabel(en.auth.totp.code).fill(totpCode(secret, Date.now(), 1));
    await page.getByRole('button', { name: en.auth.totp.submit }).click();
    await waitForHome(page);
    await page.getByText(en.home.secondFactorOn, { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('fits a 360 px wide phone without sideways scrolling, in English and Arabic', async () => {
    const { page, problems } = await openPage({ width: 360, height: 740 });
    await page.goto(homeward.url);
    await page.getByRole('heading', { level: 1, name: en.auth.signIn.title }).waitFor();
    expect(await overflowsHorizontally(page)).toBeNull();

    await signIn(page, 'caseworker');
    await waitForHome(page);

    for (const language of ['en', 'ar'] as const) {
      await chooseLanguage(page, language);
      expect(await overflowsHorizontally(page), `home page overflows in ${language}`).toBeNull();
      await screenshot(page, `home-mobile-${language}`);
    }
    expect(problems).toEqual([]);
  });

  it('runs under the server’s Content-Security-Policy and keeps /api answers out of the service-worker cache', async () => {
    const { page, problems } = await openPage();
    await page.goto(homeward.url);
    await page.getByRole('heading', { level: 1, name: en.auth.signIn.title }).waitFor();
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${homeward.url}/`);

    // Reload so the service worker controls the page and sees every request, then sign in.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: en.auth.signIn.title }).waitFor();
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await signIn(page, 'caseworker');
    await waitForHome(page);
    await page.reload();
    await waitForHome(page);

    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached).toContain('/index.html');
    expect(cached.filter((path) => path.startsWith('/api'))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
