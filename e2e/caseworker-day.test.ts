import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import needsInstrument from '../server/src/modules/assessments/instruments/needs_assessment.v1.json';
import { demoAgencies } from '../server/src/modules/demo/seed-demo.ts';
import assessmentsEn from '../web/src/features/assessments/locales/en.json';
import caseFileEn from '../web/src/features/case-file/locales/en.json';
import casesEn from '../web/src/features/cases/locales/en.json';
import caseworkEn from '../web/src/features/casework/locales/en.json';
import homeEn from '../web/src/features/home/locales/en.json';
import inboxEn from '../web/src/features/inbox/locales/en.json';
import registrationEn from '../web/src/features/registration/locales/en.json';
import en from '../web/src/i18n/locales/en.json';
import { hasChromium } from './browser.ts';
import { CLOSE_EARLY, escapeRegExp, fill, isoDateInDays, perform, region } from './helpers.ts';
import {
  apiGet,
  expectAccessible,
  goInApp,
  Harness,
  recordingFailure,
  recordReferralConsent,
  screenshot,
} from './session.ts';

/**
 * A case worker's day, end to end in Chromium against a real Homeward with the demo data:
 * home → case list (filter, cross-script search) → registration of a mother and two children with a
 * live duplicate warning → the new case file → the work the workflow needs → a closure request →
 * a supervisor's approval in the inbox → the case worker sees the case closed.
 */

const registration = registrationEn;
const caseFile = caseFileEn;
const casework = caseworkEn;

const ngoAgency = demoAgencies.find((a) => a.code === 'WRC')!.name;

/** On the case file's decisions section: the panel keeps mother and children together. */
async function recordPanelDecision(page: Page): Promise<void> {
  await page.getByRole('button', { name: casework.decisions.record }).click();
  await page
    .getByLabel(casework.decisions.kind, { exact: true })
    .selectOption({ label: casework.decisions.kinds.separation });
  await page
    .getByLabel(casework.decisions.outcome, { exact: true })
    .selectOption({ label: casework.decisions.outcomes.keep_together });
  await page.getByLabel(casework.decisions.decidedOn, { exact: true }).fill(isoDateInDays(-1));
  await page
    .getByLabel(fill(casework.decisions.memberRole, { number: 1 }), { exact: true })
    .fill('Case worker');
  await page
    .getByLabel(fill(casework.decisions.memberRole, { number: 2 }), { exact: true })
    .fill('Child protection officer');
  await page
    .getByLabel(fill(casework.decisions.option, { number: 1 }), { exact: true })
    .fill('Keep the family together in the reception centre');
  await page
    .getByLabel(casework.decisions.rationale, { exact: true })
    .fill('The children are attached to their mother and safe with her.');
  await page.getByRole('button', { name: casework.decisions.save }).click();
  await page
    .getByText(
      fill(casework.decisions.saved, {
        kind: casework.decisions.kinds.separation,
        outcome: casework.decisions.outcomes.keep_together,
      }),
    )
    .waitFor();

  await expectAccessible(page, 'case file decisions');
  await screenshot(page, 'case-file-decisions-en');
}

describe.skipIf(!hasChromium)('A case worker’s day', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('goes from sign-in to a closed case, with a supervisor approving the closure', async () => {
    const { page, problems } = await harness.signedIn('caseworker', { bypassCSP: true });
    await recordingFailure(harness, 'caseworker-day', async () => {
      // Home: caseload and tasks panels.
      const caseload = region(page, new RegExp(`^${homeEn.caseload.title}`));
      await caseload.getByRole('link').first().waitFor();
      await region(page, new RegExp(`^${homeEn.tasks.title}`)).waitFor();
      await expectAccessible(page, 'home');
      await screenshot(page, 'home-caseworker-en');

      // Case list: a stage filter, then a Latin search that finds a Cyrillic-registered person.
      await page
        .getByRole('navigation', { name: en.app.mainNavigation })
        .getByRole('link', { name: en.app.nav.cases })
        .click();
      await page.getByRole('heading', { level: 1, name: casesEn.title }).waitFor();
      const table = page.getByRole('table', { name: casesEn.table.caption });
      await table.waitFor();
      await page.getByText(casesEn.filters.heading, { exact: true }).click();
      const stageFilter = page.getByRole('group', { name: casesEn.filters.stage });
      await stageFilter.getByRole('checkbox', { name: casesEn.values.stage['7'] }).check();
      await page.waitForURL(/stage=7/);
      await page
        .getByRole('status')
        .filter({ hasText: /cases? found/ })
        .waitFor();
      // The list answers the filter: every row is at stage 7 (the earlier rows stay until it does).
      await expect
        .poll(
          async () => {
            const stages = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
            return stages.length > 0 && stages.every((stage) => stage.startsWith('7 '));
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      await expectAccessible(page, 'case list, filtered');
      await screenshot(page, 'case-list-en');

      await page.getByRole('button', { name: casesEn.filters.clear }).click();
      await page.getByRole('searchbox', { name: casesEn.search.label }).fill('Tulegenova');
      await page.getByRole('button', { name: casesEn.search.submit, exact: true }).click();
      await expect
        .poll(
          async () => {
            const persons = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
            // The family name's masculine form is the same family, and a fair match.
            return (
              persons.some((p) => p.includes('Тулегенова')) && persons.every((p) => p.includes('Тулеген'))
            );
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      await screenshot(page, 'case-list-search-en');

      // Registration: a mother whose name resembles a registered woman's, and her two children.
      await page
        .getByRole('navigation', { name: en.app.mainNavigation })
        .getByRole('link', { name: en.app.nav.register })
        .click();
      await page.getByRole('heading', { level: 1, name: registration.title }).waitFor();
      const person = page.getByRole('group', { name: fill(registration.names.nameN, { n: 1 }) });
      await person.getByLabel(registration.fields.fullName, { exact: true }).fill('Sevara Ergasheva');
      await person.getByLabel(registration.fields.givenName).fill('Sevara');
      await person.getByLabel(registration.fields.familyName).fill('Ergasheva');
      await person.getByLabel(registration.fields.source).selectOption({ label: caseFile.source.passport });
      await page.getByText(fill(registration.duplicates.found_one, { count: 1 })).waitFor();
      await page
        .getByRole('button', { name: new RegExp(`^${registration.duplicates.notSame} \\(Эргашева`) })
        .waitFor();
      await expectAccessible(page, 'registration with a duplicate warning');
      await screenshot(page, 'registration-duplicate-en');
      await page
        .getByRole('button', { name: new RegExp(`^${registration.duplicates.notSame} \\(Эргашева`) })
        .click();

      await page
        .getByLabel(registration.fields.sex, { exact: true })
        .selectOption({ label: caseFile.sex.female });
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
        await member
          .getByLabel(fill(registration.family.relationN, { n }), { exact: true })
          .selectOption({ label: caseFile.role.child });
        await member
          .getByLabel(fill(registration.family.provenanceN, { n }), { exact: true })
          .selectOption({ label: caseFile.provenance.documented });
        await member.getByLabel(registration.fields.fullName, { exact: true }).fill(child.name);
        await member
          .getByLabel(fill(registration.family.sexN, { n }), { exact: true })
          .selectOption({ label: child.sex });
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
      const mother = await apiGet<{ person: { id: string } }>(page, `/api${caseUrl}`);
      await recordReferralConsent(page, mother.person.id);
      await expectAccessible(page, 'case file overview');

      // Case file: a name variant in Arabic script, as a camp list wrote it.
      await region(page, fill(caseFile.names.title, { count: 1 }))
        .getByRole('button', { name: caseFile.names.add })
        .click();
      const newName = page.getByRole('form', { name: caseFile.names.addTitle });
      await newName.getByLabel(caseFile.names.fullName, { exact: true }).fill('سيفارا إرغاشيفا');
      await newName
        .getByLabel(caseFile.names.script, { exact: true })
        .selectOption({ label: caseFile.script.arabic });
      await newName
        .getByLabel(caseFile.names.source, { exact: true })
        .selectOption({ label: caseFile.source.camp_list });
      await newName.getByRole('button', { name: caseFile.names.save }).click();
      await page.getByRole('rowheader', { name: 'سيفارا إرغاشيفا' }).waitFor();
      await region(page, fill(caseFile.names.title, { count: 2 })).waitFor();
      await screenshot(page, 'case-file-overview-en');

      // Family: both children, with the documented relationship.
      const sections = page.getByRole('navigation', { name: caseFile.page.sectionsNav });
      await sections.getByRole('link', { name: caseFile.sections.family }).click();
      const relatives = page.getByRole('table', { name: caseFile.family.caption });
      await relatives.getByRole('row', { name: /Ergasheva Madina/ }).waitFor();
      await relatives.getByRole('row', { name: /Ergashev Umar/ }).waitFor();
      expect(
        await relatives.getByRole('row', { name: new RegExp(caseFile.provenance.documented) }).count(),
      ).toBe(2);
      await expectAccessible(page, 'case file family');
      await screenshot(page, 'case-file-family-en');

      // Stages: 0 → 1 → 2. The nationality was registered as verified, so stage 2 is open.
      await sections.getByRole('link', { name: caseFile.sections.timeline }).click();
      for (const transition of [
        'Begin identity and nationality verification',
        'Verified: assess before return',
      ]) {
        await perform(page, transition);
      }
      await page
        .getByText(fill(caseFile.header.stageValue, { stage: 2, name: caseFile.stage['2'] }), { exact: true })
        .waitFor();
      await expectAccessible(page, 'case file timeline');
      await screenshot(page, 'case-file-timeline-en');

      // Assessment: a needs assessment, rated and submitted.
      await sections.getByRole('link', { name: caseFile.sections.assessments }).click();
      await page
        .getByLabel(assessmentsEn.start.instrument, { exact: true })
        .selectOption({ label: 'Needs assessment (v1)' });
      await page.getByRole('button', { name: assessmentsEn.start.button }).click();
      const rating = page
        .locator('form')
        .filter({ has: page.getByRole('heading', { name: assessmentsEn.rating.heading }) });
      await rating.waitFor();
      const groups = rating.locator('fieldset.assessment-item');
      for (const group of await groups.all()) {
        const lowNeed = group.getByRole('radio', {
          name: needsInstrument.translations.en['needs.scale.low'],
          exact: true,
        });
        if ((await lowNeed.count()) > 0) await lowNeed.check();
        else
          await group
            .getByRole('radio', { name: needsInstrument.translations.en['common.no'], exact: true })
            .check();
      }
      for (const evidence of await rating.getByLabel(assessmentsEn.form.evidenceRequired).all())
        await evidence.fill('Interview of 27 November 2026');
      const needs = needsInstrument.translations.en;
      await rating.getByLabel(`${needs['needs.judgement']} (${assessmentsEn.form.required})`).selectOption({
        label: needs['needs.judgement.routine'],
      });
      await rating
        .getByLabel(`${needs['needs.plan']} (${assessmentsEn.form.required})`)
        .fill('Routine follow-up by the case worker; psychosocial support through the NGO.');
      await rating.getByRole('button', { name: assessmentsEn.rating.submit }).click();
      await page.getByText(assessmentsEn.rating.submitted).waitFor();
      await expectAccessible(page, 'case file assessments');
      await screenshot(page, 'case-file-assessment-en');

      // Plan with one goal and one action.
      await sections.getByRole('link', { name: caseFile.sections.plan }).click();
      await page.getByRole('button', { name: casework.plan.new }).click();
      await page.getByLabel(casework.plan.title, { exact: true }).fill('Reception and documents');
      await page
        .getByLabel(casework.plan.statusLabel, { exact: true })
        .selectOption({ label: casework.plan.status.active });
      await page
        .getByLabel(fill(casework.plan.goalDomain, { number: 1 }), { exact: true })
        .selectOption({ label: casework.domain.documents });
      await page
        .getByLabel(fill(casework.plan.goalDescription, { number: 1 }), { exact: true })
        .fill('Birth certificates for both children');
      await page.getByRole('button', { name: casework.plan.addAction }).click();
      await page
        .getByLabel(fill(casework.plan.actionDescription, { number: 1 }), { exact: true })
        .fill('Apply to the civil registry');
      await page.getByRole('button', { name: casework.plan.create }).click();
      await page.getByText(fill(casework.plan.created, { title: 'Reception and documents' })).waitFor();
      await expectAccessible(page, 'case file plan');
      await screenshot(page, 'case-file-plan-en');

      // A note.
      await sections.getByRole('link', { name: caseFile.sections.notes }).click();
      await page
        .getByLabel(casework.notes.body, { exact: true })
        .fill('Met the family at the reception centre; all three in good health.');
      await page.getByRole('button', { name: casework.notes.save }).click();
      await page.getByText('Met the family at the reception centre; all three in good health.').waitFor();

      // A task, added and then done (closing needs no open task).
      await sections.getByRole('link', { name: caseFile.sections.tasks }).click();
      await page.getByLabel(casework.tasks.title, { exact: true }).fill('Call the civil registry');
      await page.getByLabel(casework.tasks.due, { exact: true }).fill(isoDateInDays(14));
      await page.getByRole('button', { name: casework.tasks.save }).click();
      await page.getByText(fill(casework.tasks.added, { title: 'Call the civil registry' })).waitFor();
      await page
        .getByRole('button', { name: fill(casework.tasks.complete, { title: 'Call the civil registry' }) })
        .click();
      await page.getByText(fill(casework.tasks.completed, { title: 'Call the civil registry' })).waitFor();
      await expectAccessible(page, 'case file tasks');
      await screenshot(page, 'case-file-tasks-en');

      // A referral to the women's resource centre.
      await sections.getByRole('link', { name: caseFile.sections.referrals }).click();
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
      await page
        .getByLabel(casework.referrals.packet, { exact: true })
        .fill('Mother of two, wishes group psychosocial support in Russian.');
      await page.getByRole('button', { name: casework.referrals.send, exact: true }).click();
      await page.getByText(casework.referrals.sentMessage).waitFor();
      await expectAccessible(page, 'case file referrals');
      await screenshot(page, 'case-file-referrals-en');

      // The NGO accepts the referral in its inbox (a pending referral would block closing).
      const ngo = await harness.signedIn('ngo', { bypassCSP: true });
      await ngo.page
        .getByRole('navigation', { name: en.app.mainNavigation })
        .getByRole('link', { name: en.app.nav.inbox })
        .click();
      await ngo.page.getByRole('heading', { level: 1, name: inboxEn.title }).waitFor();
      await ngo.page.getByRole('link', { name: inboxEn.tab.referrals }).click();
      const received = ngo.page
        .getByRole('listitem')
        .filter({ has: ngo.page.getByRole('button', { name: inboxEn.referrals.accept }) })
        .filter({ hasText: casework.service.psychosocial })
        .filter({
          hasText: 'Mother of two, wishes group psychosocial support in Russian.',
        });
      await received.getByRole('button', { name: inboxEn.referrals.accept }).click();
      await ngo.page
        .getByText(fill(inboxEn.referrals.accepted, { service: casework.service.psychosocial }))
        .waitFor();
      await expectAccessible(ngo.page, 'NGO referrals inbox');
      await screenshot(ngo.page, 'inbox-referrals-ngo-en');
      expect(ngo.problems).toEqual([]);

      await page.reload();
      await page.getByText(casework.referrals.status.accepted, { exact: true }).waitFor();

      // The family emigrates before monitoring: the case worker asks to close the case early.
      await sections.getByRole('link', { name: caseFile.sections.timeline }).click();
      await perform(page, CLOSE_EARLY, {
        reason: caseFile.closeReason.emigrated,
        comment: 'The family moved abroad to join relatives.',
        approval: true,
      });
      await page
        .getByText(
          new RegExp(
            `^${escapeRegExp(fill(caseFile.timeline.pendingApproval.split('{{who}}')[0] ?? '', { transition: CLOSE_EARLY }))}`,
          ),
        )
        .waitFor();

      // The supervisor, in another browser, records the panel decision and approves the closure.
      const supervisor = await harness.signedIn('supervisor', { bypassCSP: true });
      const sv = supervisor.page;
      await region(sv, new RegExp(`^${homeEn.approvals.title}`))
        .getByText('Sevara Ergasheva')
        .waitFor();
      await goInApp(sv, `${caseUrl}/assessments`);
      const openAssessment = fill(assessmentsEn.list.openOne.split('{{date}}')[0] ?? '', {
        instrument: needsInstrument.translations.en['needs.name'],
      });
      await sv.getByRole('button', { name: new RegExp(`^${escapeRegExp(openAssessment)}`) }).click();
      await sv.getByRole('button', { name: assessmentsEn.signOff.approve }).click();
      await sv.getByText(assessmentsEn.signOff.approved).waitFor();
      await goInApp(sv, `${caseUrl}/decisions`);
      await recordPanelDecision(sv);
      await sv
        .getByRole('navigation', { name: en.app.mainNavigation })
        .getByRole('link', { name: en.app.nav.inbox })
        .click();
      await sv.getByRole('link', { name: inboxEn.tab.approvals }).click();
      const request = sv
        .getByRole('listitem')
        .filter({ has: sv.getByRole('button', { name: inboxEn.approvals.approve }) })
        .filter({ hasText: CLOSE_EARLY })
        .filter({ hasText: 'Sevara Ergasheva' });
      await request.getByText('The family moved abroad to join relatives.').waitFor();
      await expectAccessible(sv, 'approvals inbox');
      await screenshot(sv, 'inbox-approvals-en');
      await request
        .getByLabel(inboxEn.approvals.comment)
        .fill('Agreed: emigration confirmed by the consulate.');
      await request.getByRole('button', { name: inboxEn.approvals.approve }).click();
      await sv.getByText(fill(inboxEn.approvals.approved, { transition: CLOSE_EARLY })).waitFor();
      expect(supervisor.problems).toEqual([]);

      // The case worker sees the case closed.
      await page.reload();
      await page.getByText(caseFile.timeline.closed).waitFor();
      await page
        .getByText(fill(caseFile.header.stageValue, { stage: 10, name: caseFile.stage['10'] }), {
          exact: true,
        })
        .waitFor();
      // Stages 3 to 9 were skipped by the early closure, not done; 0 to 2 were.
      const stages = region(page, caseFile.timeline.stages);
      for (const stage of ['3', '9'] as const)
        await stages
          .getByRole('listitem')
          .filter({ hasText: caseFile.stage[stage] })
          .getByText(caseFile.timeline.state.skipped)
          .waitFor();
      await stages
        .getByRole('listitem')
        .filter({ hasText: caseFile.stage['2'] })
        .getByText(caseFile.timeline.state.done)
        .waitFor();
      await expectAccessible(page, 'closed case timeline');
      await screenshot(page, 'case-file-closed-en');
    });
    expect(problems).toEqual([]);
  });
});
