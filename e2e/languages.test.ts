import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import caseFileAr from '../web/src/features/case-file/locales/ar.json';
import caseFileKk from '../web/src/features/case-file/locales/kk.json';
import caseFileRu from '../web/src/features/case-file/locales/ru.json';
import caseFileTg from '../web/src/features/case-file/locales/tg.json';
import caseFileUz from '../web/src/features/case-file/locales/uz.json';
import casesAr from '../web/src/features/cases/locales/ar.json';
import casesKk from '../web/src/features/cases/locales/kk.json';
import casesRu from '../web/src/features/cases/locales/ru.json';
import casesTg from '../web/src/features/cases/locales/tg.json';
import casesUz from '../web/src/features/cases/locales/uz.json';
import homeEn from '../web/src/features/home/locales/en.json';
import { hasChromium } from './browser.ts';
import { escapeRegExp, region } from './helpers.ts';
import {
  chooseLanguage,
  expectAccessible,
  Harness,
  type Language,
  recordingFailure,
  screenshot,
  untranslatedText,
} from './session.ts';

/**
 * The case list and a case file in Russian, Kazakh, Uzbek, Tajik and Arabic: each page shows its
 * own language's headings and no untranslated key (`namespace.key`) or unfilled `{{placeholder}}`.
 */

/** The case file's sections a case worker reads every day (history shows audit codes as data). */
const SECTIONS = [
  'overview',
  'family',
  'timeline',
  'assessments',
  'plan',
  'referrals',
  'notes',
  'tasks',
] as const;

interface Names {
  cases: { title: string; table: { caption: string } };
  caseFile: { page: { sectionsNav: string }; sections: Record<(typeof SECTIONS)[number], string> };
}

const translations: Record<Exclude<Language, 'en'>, Names> = {
  ru: { cases: casesRu, caseFile: caseFileRu },
  kk: { cases: casesKk, caseFile: caseFileKk },
  uz: { cases: casesUz, caseFile: caseFileUz },
  tg: { cases: casesTg, caseFile: caseFileTg },
  ar: { cases: casesAr, caseFile: caseFileAr },
};

describe.skipIf(!hasChromium)('In six languages', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('renders the case list and a case file in ru, kk, uz, tg and ar without missing keys', async () => {
    const { page, problems } = await harness.signedIn('caseworker', { bypassCSP: true });
    await recordingFailure(harness, 'languages', async () => {
      const caseload = region(page, new RegExp(`^${escapeRegExp(homeEn.caseload.title)}`));
      const caseFile = (await caseload.getByRole('link').first().getAttribute('href')) ?? '';
      expect(caseFile).toMatch(/^\/cases\/[0-9a-f-]{36}$/);

      for (const [language, t] of Object.entries(translations) as [
        Exclude<Language, 'en'>,
        typeof translations.ru,
      ][]) {
        await chooseLanguage(page, language);

        await page.goto(`${harness.url}/cases`);
        await page.getByRole('heading', { level: 1, name: t.cases.title }).waitFor();
        await page.getByRole('table', { name: t.cases.table.caption }).locator('tbody tr').first().waitFor();
        expect(await untranslatedText(page), `case list in ${language}`).toEqual([]);
        await expectAccessible(page, `case list in ${language}`);

        for (const section of SECTIONS) {
          await page.goto(`${harness.url}${caseFile}/${section}`);
          await page
            .getByRole('navigation', { name: t.caseFile.page.sectionsNav })
            .getByRole('link', { name: t.caseFile.sections[section] })
            .waitFor();
          await page.locator('main [aria-current=page]', { hasText: t.caseFile.sections[section] }).waitFor();
          // Everything the section loads has arrived: no loading line, no error left.
          await expect
            .poll(() => page.locator('main .loading, main [aria-busy=true]').count(), { timeout: 15_000 })
            .toBe(0);
          expect(
            await page.locator('main .query-error').count(),
            `${section} in ${language} failed to load`,
          ).toBe(0);
          expect(await untranslatedText(page), `case file ${section} in ${language}`).toEqual([]);
        }
        await expectAccessible(page, `case file in ${language}`);
        if (language === 'ar') {
          expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
          await screenshot(page, 'case-file-timeline-ar');
          await page.goto(`${harness.url}${caseFile}/overview`);
          await page.getByRole('heading', { level: 2, name: t.caseFile.sections.overview }).waitFor();
          await page.getByRole('heading', { level: 3 }).first().waitFor();
          await screenshot(page, 'case-file-ar');
          await page.goto(`${harness.url}/cases`);
          await page
            .getByRole('table', { name: t.cases.table.caption })
            .locator('tbody tr')
            .first()
            .waitFor();
          await screenshot(page, 'case-list-ar');
        }
      }
    });
    expect(problems).toEqual([]);
  });
});
