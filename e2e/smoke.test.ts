import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import homeEn from '../web/src/features/home/locales/en.json';
import ar from '../web/src/i18n/locales/ar.json';
import en from '../web/src/i18n/locales/en.json';
import {
  CHROMIUM_PATH,
  hasChromium,
  overflowsHorizontally,
  seriousAccessibilityViolations,
} from './browser.ts';
import { escapeRegExp, region } from './helpers.ts';
import {
  chooseLanguage,
  Harness,
  requireBrowser,
  screenshot,
  signIn as signInAs,
  waitForSignedIn as waitForHome,
} from './session.ts';
import { totpCode } from './totp.ts';

/**
 * Browser smoke test: a real Homeward (PGlite in memory, demo data) and Debian's Chromium.
 * Skipped when Chromium is absent, unless HOMEWARD_REQUIRE_BROWSER=1 (CI), where it fails.
 */

describe.runIf(requireBrowser && !hasChromium)('browser requirement', () => {
  it('has Chromium installed', () => {
    throw new Error(
      `HOMEWARD_REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} does not exist. Install it (apt-get install chromium) ` +
        'or unset HOMEWARD_REQUIRE_BROWSER to skip the browser tests.',
    );
  });
});

describe.skipIf(!hasChromium)('Homeward in Chromium', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  const openPage = (options: { width?: number; height?: number; bypassCSP?: boolean } = {}) =>
    harness.openPage(options);
  const signIn = signInAs;

  async function currentUser(page: Page): Promise<{ displayName: string; agency: { name: string } }> {
    return page.evaluate(async () => {
      const response = await fetch('/api/me', { headers: { accept: 'application/json' } });
      return response.json();
    });
  }

  it('signs in, passes axe on every page, switches to Arabic right to left and signs out', async () => {
    const { page, problems } = await openPage({ bypassCSP: true });
    await page.goto(harness.url);

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
    const me = await currentUser(page);
    await page
      .getByRole('heading', { level: 1, name: en.home.welcome.replace('{{name}}', me.displayName) })
      .waitFor();
    // The home page: the account, and what is waiting for a case worker today.
    await region(page, en.home.profile).getByText(me.agency.name).waitFor();
    await region(page, new RegExp(`^${escapeRegExp(homeEn.caseload.title)}`))
      .getByRole('link')
      .first()
      .waitFor();
    await region(page, new RegExp(`^${escapeRegExp(homeEn.tasks.title)}`)).waitFor();
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
    await page.goto(harness.url);
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
    await page.goto(harness.url);
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
    await page.goto(harness.url);
    await page.getByRole('heading', { level: 1, name: en.auth.signIn.title }).waitFor();
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${harness.url}/`);

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
