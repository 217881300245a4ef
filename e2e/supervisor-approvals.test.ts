import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import caseFileEn from '../web/src/features/case-file/locales/en.json';
import homeEn from '../web/src/features/home/locales/en.json';
import inboxEn from '../web/src/features/inbox/locales/en.json';
import { hasChromium } from './browser.ts';
import { CLOSE_EARLY, caseSection, escapeRegExp, fill, mainNav, perform, region } from './helpers.ts';
import { expectAccessible, Harness, recordingFailure, screenshot } from './session.ts';

/**
 * A supervisor's approvals: two closure requests from a case worker; the supervisor approves one,
 * rejects the other with a reason (a rejection without one is refused on the spot), and the case
 * worker sees both outcomes on the case timelines.
 */

describe.skipIf(!hasChromium)('A supervisor’s approvals', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('approves one request, rejects another with a comment, and the requester sees both outcomes', async () => {
    const worker = await harness.signedIn('caseworker', { bypassCSP: true });
    const supervisor = await harness.signedIn('supervisor', { bypassCSP: true });
    const { page } = worker;
    const sv = supervisor.page;
    await recordingFailure(harness, 'supervisor-approvals', async () => {
      // Two of the case worker's open cases, from the caseload on the home page.
      const caseload = region(page, new RegExp(`^${escapeRegExp(homeEn.caseload.title)}`));
      const links = caseload.getByRole('link').filter({ hasNotText: homeEn.caseload.all });
      await links.first().waitFor();
      const chosen: { name: string; href: string }[] = [];
      for (const link of (await links.all()).slice(0, 2)) {
        chosen.push({
          name: ((await link.textContent()) ?? '').trim(),
          href: (await link.getAttribute('href')) ?? '',
        });
      }
      expect(chosen).toHaveLength(2);
      const [toApprove, toReject] = chosen as [(typeof chosen)[0], (typeof chosen)[0]];

      for (const [target, comment] of [
        [toApprove, 'The family has emigrated to join relatives abroad.'],
        [toReject, 'Transferred to mainstream services in the region.'],
      ] as const) {
        await page.goto(`${harness.url}${target.href}/timeline`);
        await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
        await perform(page, CLOSE_EARLY, {
          reason: caseFileEn.closeReason.emigrated,
          comment,
          approval: true,
        });
      }

      // The supervisor sees both waiting, on the home page and in the approvals inbox.
      await sv.reload();
      const waiting = region(sv, new RegExp(`^${escapeRegExp(homeEn.approvals.title)}`));
      await waiting.getByText(toApprove.name).waitFor();
      await waiting.getByText(toReject.name).waitFor();
      await mainNav(sv, 'inbox').click();
      await sv.getByRole('link', { name: inboxEn.tab.approvals }).click();
      const item = (name: string) =>
        sv
          .getByRole('listitem')
          .filter({ has: sv.getByRole('button', { name: inboxEn.approvals.approve }) })
          .filter({ has: sv.getByRole('heading', { name: new RegExp(escapeRegExp(name)) }) });
      await item(toApprove.name).getByText(CLOSE_EARLY).waitFor();
      await item(toReject.name).getByText(CLOSE_EARLY).waitFor();
      await expectAccessible(sv, 'approvals inbox with two requests');
      await screenshot(sv, 'inbox-approvals-supervisor-en');

      await item(toApprove.name).getByRole('button', { name: inboxEn.approvals.approve }).click();
      await sv.getByText(fill(inboxEn.approvals.approved, { transition: CLOSE_EARLY })).waitFor();
      await item(toApprove.name).waitFor({ state: 'detached' });

      // A rejection needs a reason: refused on the spot, then sent with one.
      const rejected = item(toReject.name);
      await rejected.getByRole('button', { name: inboxEn.approvals.reject }).click();
      await rejected.getByText(inboxEn.approvals.commentRequired).waitFor();
      expect(await rejected.getByLabel(inboxEn.approvals.comment).getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(sv, 'approvals inbox, rejection without a reason');
      await rejected
        .getByLabel(inboxEn.approvals.comment)
        .fill('Not yet: the tracing request for the father is still open.');
      await rejected.getByRole('button', { name: inboxEn.approvals.reject }).click();
      await sv.getByText(fill(inboxEn.approvals.rejected, { transition: CLOSE_EARLY })).waitFor();
      await sv.getByText(inboxEn.approvals.empty).waitFor();

      // The case worker sees the outcomes: one case closed, the other open with the reason.
      await page.goto(`${harness.url}${toApprove.href}/timeline`);
      await page.getByText(caseFileEn.timeline.closed).waitFor();
      await page
        .getByText(fill(caseFileEn.header.stageValue, { stage: 10, name: caseFileEn.stage['10'] }), {
          exact: true,
        })
        .waitFor();
      await page.goto(`${harness.url}${toReject.href}/timeline`);
      const approvals = region(page, caseFileEn.timeline.history);
      await approvals.getByText('Not yet: the tracing request for the father is still open.').waitFor();
      await approvals.getByText(`${CLOSE_EARLY} — ${caseFileEn.approvalStatus.rejected}`).waitFor();
      await caseSection(page, 'timeline').waitFor();
      expect(await page.getByRole('button', { name: CLOSE_EARLY, exact: true }).isVisible()).toBe(true);
      await expectAccessible(page, 'timeline with a rejected request');
      await screenshot(page, 'case-file-timeline-rejected-en');
    });
    expect(worker.problems).toEqual([]);
    expect(supervisor.problems).toEqual([]);
  });
});
