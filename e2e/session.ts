import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startHomeward } from '../server/src/start.ts';
import en from '../web/src/i18n/locales/en.json';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  overflowsHorizontally,
  seriousAccessibilityViolations,
} from './browser.ts';

/**
 * What every browser test shares: a real Homeward (PGlite in memory, demo data) and Debian's
 * Chromium, fresh browser profiles that collect console errors, signing in, switching language,
 * page checks (axe, sideways scrolling) and screenshots for docs/screenshots/.
 */

export const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
export const DEMO_PASSWORD = 'homeward-demo';
export const requireBrowser = process.env.HOMEWARD_REQUIRE_BROWSER === '1';
export type Language = 'en' | 'ru' | 'kk' | 'uz' | 'tg' | 'ar';
export const LANGUAGE_CODES: Language[] = ['en', 'ru', 'kk', 'uz', 'tg', 'ar'];

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far; a test ends by expecting none. */
  problems: string[];
}

export interface PageOptions {
  width?: number;
  height?: number;
  /** Only where axe-core must be injected as an inline script. */
  bypassCSP?: boolean;
}

export class Harness {
  homeward!: Awaited<ReturnType<typeof startHomeward>>;
  browser!: Browser;
  private contexts: BrowserContext[] = [];

  /** Every page opened so far, oldest first. */
  pages(): Page[] {
    return this.contexts.flatMap((context) => context.pages());
  }

  get url(): string {
    return this.homeward.url;
  }

  async start(options: { seedPersons?: number } = {}): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    this.homeward = await startHomeward({
      port: 0,
      host: '127.0.0.1',
      dataDir: 'memory://',
      demo: true,
      seedPersons: options.seedPersons ?? 50,
      logLevel: 'warn',
    });
    this.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }

  async stop(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser?.close();
    await this.homeward?.close();
  }

  /** A fresh browser profile: its own cookies, so two users can work side by side. */
  async openPage(options: PageOptions = {}): Promise<OpenedPage> {
    const context = await this.browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      locale: 'en-GB',
      bypassCSP: options.bypassCSP ?? false,
    });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A 401 from /api/me on the sign-in page is expected; the browser logs it as a failed load.
      const expected401 = /Failed to load resource: .*status of 401/.test(message.text());
      if (message.type() === 'error' && !expected401) problems.push(`console: ${message.text()}`);
    });
    return { page, context, problems };
  }

  /** Opens a profile, signs `username` in and waits for the signed-in home page, in English. */
  async signedIn(username: string, options: PageOptions = {}): Promise<OpenedPage> {
    const opened = await this.openPage(options);
    await opened.page.goto(this.url);
    await signIn(opened.page, username);
    await waitForSignedIn(opened.page);
    await chooseLanguage(opened.page, 'en');
    return opened;
  }
}

export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: en.auth.signIn.title }).waitFor();
  await page.getByLabel(en.auth.signIn.username).fill(username);
  await page.getByLabel(en.auth.signIn.password).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: en.auth.signIn.submit }).click();
}

/** The signed-in pages, whatever the language: only they have the main navigation. */
export async function waitForSignedIn(page: Page): Promise<void> {
  await page.locator('header nav, [role=banner] nav').first().waitFor();
  // On sign-in the app switches to the language saved on the account; wait until it has, so a
  // language chosen next is not overturned by it.
  const preferred = await page.evaluate(async () => {
    const response = await fetch('/api/me', { headers: { accept: 'application/json' } });
    return ((await response.json()) as { preferredLanguage?: string | null }).preferredLanguage ?? null;
  });
  if (preferred && (LANGUAGE_CODES as string[]).includes(preferred))
    await page.waitForFunction((lang) => document.documentElement.lang === lang, preferred);
}

/** The language select of the header, whatever language its label is in now. */
export async function chooseLanguage(page: Page, language: Language): Promise<void> {
  await page.getByRole('banner').getByRole('combobox').selectOption(language);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
}

/** Goes to an address inside the app the way a link does (no full reload). */
export async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((target) => {
    window.history.pushState(null, '', target);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** axe-core finds no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityViolations(page), `accessibility of ${where}`).toEqual([]);
}

export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  expect(await overflowsHorizontally(page), `${where} scrolls sideways`).toBeNull();
}

/** Main content's text shows no untranslated `namespace.key` or `{{placeholder}}`. */
export async function untranslatedText(page: Page): Promise<string[]> {
  // biome-ignore lint/performance/useDomNodeTextContent: only the text a reader can see counts.
  const text = await page.locator('body').innerText();
  const found = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*\w+\s*\}\}/g)) found.add(match[0]);
  // i18next shows a missing key as the key itself: dotted lower-camel segments, e.g. timeline.actions.
  for (const match of text.matchAll(
    /(?<![\w@/.-])[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9_]*){1,4}(?![\w@/-])/g,
  )) {
    const candidate = match[0];
    if (/\.(json|png|js|css|ts|html|org|com|kz|uz|tj)$/.test(candidate) || /^(e\.g|i\.e)$/.test(candidate))
      continue;
    found.add(candidate);
  }
  return [...found];
}

/** Fetches JSON from the API in the page's session (reads only; writes go through the UI). */
export async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (target) => {
    const response = await fetch(target, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${target}: ${response.status}`);
    return response.json();
  }, path);
}

/**
 * A write through the API in the page's session, for setting the scene of a test (never for the
 * steps the test is about, which go through the UI).
 */
export async function apiWrite<T>(
  page: Page,
  method: 'POST' | 'PATCH' | 'PUT',
  path: string,
  body: unknown,
): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: {
          'x-csrf-token': me.csrfToken,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },
    { method, path, body },
  );
}

/**
 * Runs a test's steps; when one fails, saves what each open page looked like (screenshot and
 * accessibility tree of its main content) under $HOMEWARD_E2E_FAILURES (default
 * /tmp/homeward-e2e-failures) before rethrowing, so a failure can be read.
 */
export async function recordingFailure(
  harness: Harness,
  name: string,
  steps: () => Promise<void>,
): Promise<void> {
  try {
    await steps();
  } catch (error) {
    const folder = process.env.HOMEWARD_E2E_FAILURES ?? '/tmp/homeward-e2e-failures';
    mkdirSync(folder, { recursive: true });
    for (const [i, page] of harness.pages().entries()) {
      if (page.isClosed()) continue;
      await page.screenshot({ path: `${folder}/${name}-${i}.png`, fullPage: true }).catch(() => undefined);
      const tree = await page
        .locator('main')
        .ariaSnapshot({ timeout: 2_000 })
        .catch(() => '');
      writeFileSync(`${folder}/${name}-${i}.txt`, `${page.url()}\n${tree}`);
    }
    throw error;
  }
}

/**
 * Sets the scene for a test about something else: the person's consent to referral, through the
 * API (recording it on the case file's consent section is consent-and-data-protection.test.ts).
 */
export async function recordReferralConsent(page: Page, personId: string): Promise<void> {
  await apiWrite(page, 'POST', '/api/consents', {
    personId,
    purpose: 'referral',
    legalBasis: 'consent',
    decision: 'granted',
  });
}
