import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import casesEn from '../web/src/features/cases/locales/en.json';
import homeEn from '../web/src/features/home/locales/en.json';
import { hasChromium } from './browser.ts';
import { escapeRegExp, region } from './helpers.ts';
import {
  chooseLanguage,
  expectAccessible,
  expectNoSidewaysScroll,
  Harness,
  recordingFailure,
  screenshot,
} from './session.ts';

/**
 * A 360-pixel-wide phone: the home page, the case list, a case file and the registration wizard
 * fit the screen without sideways scrolling, left to right in English and right to left in Arabic.
 */

describe.skipIf(!hasChromium)('On a 360 px phone', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('shows the main pages without sideways scrolling, in English and Arabic', async () => {
    const { page, problems } = await harness.signedIn('caseworker', {
      width: 360,
      height: 740,
      bypassCSP: true,
    });
    await recordingFailure(harness, 'phone', async () => {
      const caseload = region(page, new RegExp(`^${escapeRegExp(homeEn.caseload.title)}`));
      const firstCase = (await caseload.getByRole('link').first().getAttribute('href')) ?? '';
      expect(firstCase).toMatch(/^\/cases\/[0-9a-f-]{36}$/);

      const pages: { name: string; path: string; ready: () => Promise<void> }[] = [
        { name: 'home', path: '/', ready: () => page.locator('main h2').first().waitFor() },
        {
          name: 'case-list',
          path: '/cases',
          ready: () => page.locator('main table tbody tr').first().waitFor(),
        },
        { name: 'case-file', path: firstCase, ready: () => page.locator('main table').first().waitFor() },
        {
          name: 'registration',
          path: '/register',
          ready: () => page.locator('main form input').first().waitFor(),
        },
      ];
      for (const language of ['en', 'ar'] as const) {
        await chooseLanguage(page, language);
        for (const target of pages) {
          await page.goto(`${harness.url}${target.path}`);
          await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
          await target.ready();
          expect(await page.evaluate(() => document.documentElement.dir)).toBe(
            language === 'ar' ? 'rtl' : 'ltr',
          );
          await expectNoSidewaysScroll(page, `${target.name} in ${language}`);
          await expectAccessible(page, `${target.name} on a phone in ${language}`);
          await screenshot(page, `${target.name}-mobile-${language}`);
        }
      }
      // The case list's table still names its columns on a phone (a screen reader reads them).
      // Let the reloaded page settle in the language it had (Arabic) before switching back.
      await page.goto(`${harness.url}/cases`);
      await page.waitForFunction(() => document.documentElement.lang === 'ar');
      await page.locator('main table tbody tr').first().waitFor();
      await chooseLanguage(page, 'en');
      await page.getByRole('table', { name: casesEn.table.caption }).waitFor();
    });
    expect(problems).toEqual([]);
  });
});
