import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAgencies } from '../server/src/modules/demo/seed-demo.ts';
import caseFileEn from '../web/src/features/case-file/locales/en.json';
import caseworkEn from '../web/src/features/casework/locales/en.json';
import consentAr from '../web/src/features/consent/locales/ar.json';
import consentEn from '../web/src/features/consent/locales/en.json';
import dataProtectionAr from '../web/src/features/data-protection/locales/ar.json';
import dataProtectionEn from '../web/src/features/data-protection/locales/en.json';
import en from '../web/src/i18n/locales/en.json';
import { hasChromium } from './browser.ts';
import { escapeRegExp, fill, region } from './helpers.ts';
import {
  apiGet,
  chooseLanguage,
  expectAccessible,
  expectNoSidewaysScroll,
  goInApp,
  Harness,
  recordingFailure,
  screenshot,
  untranslatedText,
} from './session.ts';

/**
 * Consent and data-subject rights in the browser, against a real Homeward with the demo data: a case
 * worker's referral of a child outside the agency is refused for want of consent, the refusal leads
 * to the case file's consent section, the child's assent and a guardian's consent are recorded there,
 * and the same referral goes through. Then the data-protection officer finds a person due for retention review and downloads
 * the person's access export, as JSON and as PDF.
 */

const casework = caseworkEn;
const consent = consentEn;
const dp = dataProtectionEn;
const ngoAgency = demoAgencies.find((a) => a.code === 'WRC')!.name;
const referralTitle = consent.purpose.referral.title;

interface CaseItem {
  id: string;
  personId: string;
  status: 'open' | 'closed';
}

/**
 * An open case of the case worker's whose person is a child with no consent of any kind recorded
 * (the demo seeds referral consent for adults only), and the child's parents or guardians, if the
 * family record names any.
 */
async function childCaseWithoutConsent(page: Page): Promise<{ item: CaseItem; guardians: string[] }> {
  const list = await apiGet<{ items: CaseItem[] }>(page, '/api/cases?limit=100&count=false');
  for (const item of list.items.filter((c) => c.status === 'open')) {
    const detail = await apiGet<{ person: { age: { youngest: number } | null } }>(
      page,
      `/api/cases/${item.id}`,
    );
    const age = detail.person.age?.youngest;
    if (age === undefined || age >= 18) continue;
    const consents = await apiGet<unknown[]>(page, `/api/consents?personId=${item.personId}`);
    if (consents.length > 0) continue;
    const family = await apiGet<{ relatives: { displayName: string | null; role: string }[] }>(
      page,
      `/api/persons/${item.personId}/family`,
    );
    const guardians = family.relatives
      .filter(
        (r) => r.displayName && ['mother', 'father', 'parent', 'guardian', 'caregiver'].includes(r.role),
      )
      .map((r) => r.displayName as string);
    return { item, guardians };
  }
  throw new Error('the demo data has no open case of a child without consent');
}

/** On the referrals section: a referral to the women's resource centre, sent. */
async function sendReferral(page: Page): Promise<void> {
  await page.getByRole('button', { name: casework.referrals.new }).click();
  const directory = page.getByRole('form', { name: casework.referrals.directorySearch });
  await directory
    .getByLabel(casework.referrals.filterService, { exact: true })
    .selectOption({ label: casework.service.psychosocial });
  await directory.getByRole('button', { name: casework.referrals.searchDirectory }).click();
  await page.getByRole('radio', { name: new RegExp(escapeRegExp(ngoAgency)) }).check();
  await page
    .getByLabel(casework.referrals.serviceType, { exact: true })
    .selectOption({ label: casework.service.psychosocial });
  await page.getByLabel(casework.referrals.packet, { exact: true }).fill('Wishes group support in Russian.');
  await page.getByRole('button', { name: casework.referrals.send, exact: true }).click();
}

describe.skipIf(!hasChromium)('Consent and data-subject rights', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('records a consent that lets a referral through, and the officer exports a person due for review', async () => {
    const { page, problems } = await harness.signedIn('caseworker', { bypassCSP: true });
    await recordingFailure(harness, 'consent-and-data-protection', async () => {
      const { item, guardians } = await childCaseWithoutConsent(page);

      // Without consent the referral outside the agency is refused, and the refusal says where to go.
      await goInApp(page, `/cases/${item.id}/referrals`);
      await page.getByText(casework.consent.none).waitFor();
      await sendReferral(page);
      const refusal = page.getByRole('alert').filter({ hasText: casework.referrals.consentRequired });
      await refusal.waitFor();
      await refusal.getByRole('link', { name: casework.consent.recordLink }).click();

      // The consent section: nothing recorded for referral yet; record the person's consent.
      await page.waitForURL(new RegExp(`/cases/${item.id}/consent$`));
      const sections = page.getByRole('navigation', { name: caseFileEn.page.sectionsNav });
      await expect
        .poll(() =>
          sections.getByRole('link', { name: caseFileEn.sections.consent }).getAttribute('aria-current'),
        )
        .toBe('page');
      const referral = region(page, referralTitle);
      await referral.locator('.consent-state', { hasText: consent.state.none }).waitFor();
      await expectAccessible(page, 'consent section');
      await referral
        .getByRole('button', { name: fill(consent.record.open, { purpose: referralTitle }) })
        .click();
      const form = page.getByRole('form', { name: fill(consent.record.title, { purpose: referralTitle }) });
      await form.getByRole('radio', { name: consent.decision.granted }).check();
      await form.getByLabel(consent.field.legalBasis).selectOption({ label: consent.legalBasis.consent });
      // A child: the child's own assent and a guardian's consent, the guardian from the family record.
      await form.getByLabel(consent.field.childAssent).selectOption({ label: consent.childAssent.given });
      await form
        .getByLabel(consent.field.guardianConsent)
        .selectOption({ label: consent.guardianConsent.given });
      const guardian = form.getByLabel(consent.field.guardian, { exact: true });
      if (guardians[0]) {
        const option = await guardian.locator('option', { hasText: guardians[0] }).first().textContent();
        await guardian.selectOption({ label: option ?? '' });
      } else {
        await guardian.selectOption({ label: consent.child.guardianNotListed });
      }
      await expectAccessible(page, 'record consent dialog');
      await form.getByRole('button', { name: consent.record.submit }).click();
      await page
        .getByRole('status')
        .filter({ hasText: fill(consent.record.saved, { purpose: referralTitle, version: 1 }) })
        .waitFor();
      await referral.locator('.consent-state', { hasText: consent.state.effective }).waitFor();
      await referral.locator('dd', { hasText: consent.childAssent.given }).waitFor();
      await screenshot(page, 'case-file-consent-en');

      // Back on the referrals: the consent covers any organisation, and the same referral is sent.
      await sections.getByRole('link', { name: caseFileEn.sections.referrals }).click();
      await page.getByText(casework.consent.coversAll).waitFor();
      expect(await page.getByRole('link', { name: casework.consent.recordLink }).count()).toBe(0);
      await sendReferral(page);
      await page.getByText(casework.referrals.sentMessage).waitFor();
      expect(await page.getByText(casework.referrals.consentRequired).count()).toBe(0);

      // The consent section in Arabic: right to left, every string translated.
      await sections.getByRole('link', { name: caseFileEn.sections.consent }).click();
      await chooseLanguage(page, 'ar');
      await region(page, consentAr.purpose.referral.title)
        .locator('.consent-state', { hasText: consentAr.state.effective })
        .waitFor();
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(await untranslatedText(page), 'consent section in Arabic').toEqual([]);
      await expectAccessible(page, 'consent section in Arabic');
      await screenshot(page, 'case-file-consent-ar');
      await page.setViewportSize({ width: 360, height: 740 });
      await expectNoSidewaysScroll(page, 'consent section in Arabic on a 360 px phone');

      // A person recorded eleven years ago and never given a case is due for review. Time cannot pass
      // through the API, so the scene is set in the database: the record's creation is moved back.
      const db = harness.homeward.handle.db;
      const caseless = await db
        .selectFrom('persons')
        .select('id')
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('cases').select('cases.id').whereRef('cases.person_id', '=', 'persons.id'))),
        )
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await sql`UPDATE persons SET created_at = now() - interval '11 years' WHERE id = ${caseless.id}`.execute(
        db,
      );
      const reference = caseless.id.slice(0, 8);

      // The data-protection officer: the area is in the navigation, the person on the review list.
      const officer = await harness.signedIn('dpo', { bypassCSP: true });
      const op = officer.page;
      await op
        .getByRole('navigation', { name: en.app.mainNavigation })
        .getByRole('link', { name: dp.nav })
        .click();
      await op.getByRole('heading', { level: 1, name: dp.title }).waitFor();
      const table = op.getByRole('table', { name: dp.retention.caption });
      const row = table.getByRole('row').filter({ hasText: reference });
      await row.getByText(dp.category.no_open_case).waitFor();
      await expectAccessible(op, 'data-protection area');
      await screenshot(op, 'data-protection-en');

      await row.getByRole('link', { name: fill(dp.retention.openPerson, { reference }) }).click();
      const panel = region(op, fill(dp.subject.title, { reference }));
      await panel.waitFor();
      const [json] = await Promise.all([
        op.waitForEvent('download'),
        panel.getByRole('button', { name: dp.export.json }).click(),
      ]);
      expect(json.suggestedFilename()).toBe(`subject-${caseless.id}.json`);
      const exported = JSON.parse(readFileSync(await json.path(), 'utf8')) as {
        personId: string;
        records: { persons: { id: string }[] };
      };
      expect(exported.personId).toBe(caseless.id);
      expect(exported.records.persons[0]?.id).toBe(caseless.id);
      await op
        .getByRole('status')
        .filter({ hasText: fill(dp.export.done, { format: 'JSON' }) })
        .waitFor();

      const [pdf] = await Promise.all([
        op.waitForEvent('download'),
        panel.getByRole('button', { name: dp.export.pdf }).click(),
      ]);
      expect(pdf.suggestedFilename()).toBe(`subject-${caseless.id}.pdf`);
      expect(
        readFileSync(await pdf.path())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
      await expectAccessible(op, 'data-protection person panel');
      await screenshot(op, 'data-protection-person-en');

      // The anonymisation asks for the typed reference and names what it does.
      await panel.getByRole('button', { name: dp.anonymise.open }).click();
      const confirm = op.getByRole('form', { name: fill(dp.anonymise.dialogTitle, { reference }) });
      await confirm.getByText(dp.anonymise.irreversible).waitFor();
      await expectAccessible(op, 'anonymise dialog');
      await confirm.getByRole('button', { name: dp.cancel }).click();

      // The area in Arabic: right to left, every string translated.
      await chooseLanguage(op, 'ar');
      await op.getByRole('heading', { level: 1, name: dataProtectionAr.title }).waitFor();
      await op.getByRole('table', { name: dataProtectionAr.retention.caption }).waitFor();
      expect(await untranslatedText(op), 'data-protection area in Arabic').toEqual([]);
      await expectAccessible(op, 'data-protection area in Arabic');
      await screenshot(op, 'data-protection-ar');
      await op.setViewportSize({ width: 360, height: 740 });
      await expectNoSidewaysScroll(op, 'data-protection area in Arabic on a 360 px phone');
      expect(officer.problems).toEqual([]);
    });
    // The refused referral is the one failed request the browser logs (409 CONSENT_REQUIRED).
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });
});
