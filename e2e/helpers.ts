import type { Locator, Page } from 'playwright-core';
import caseFileEn from '../web/src/features/case-file/locales/en.json';
import en from '../web/src/i18n/locales/en.json';

/** Flows and small helpers the browser tests share (English names from the locale files). */

/** `{{name}}` placeholders of a translation filled in, as i18next does. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A date some days from today, as YYYY-MM-DD. */
export function isoDateInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The region of a section, by its heading's accessible name. */
export function region(page: Page, name: string | RegExp): Locator {
  return page.getByRole('region', { name });
}

/** A link of the main navigation (Home, Cases, Register a person, Inbox). */
export function mainNav(page: Page, name: keyof typeof en.app.nav): Locator {
  return page
    .getByRole('navigation', { name: en.app.mainNavigation })
    .getByRole('link', { name: en.app.nav[name] });
}

/** A link of the case file's section navigation. */
export function caseSection(page: Page, name: keyof typeof caseFileEn.sections): Locator {
  return page
    .getByRole('navigation', { name: caseFileEn.page.sectionsNav })
    .getByRole('link', { name: caseFileEn.sections[name] });
}

/** The workflow's label of the early closure (server/config/workflow.default.json). */
export const CLOSE_EARLY = 'Close the case before monitoring (emigrated, deceased, transferred)';

/**
 * On the case file's timeline: opens a transition's form, fills it, confirms it and waits for the
 * outcome the status line announces (applied, or sent for a supervisor's approval).
 */
export async function perform(
  page: Page,
  transition: string,
  options: { reason?: string; comment?: string; approval?: boolean } = {},
): Promise<void> {
  await page.getByRole('button', { name: transition, exact: true }).click();
  if (options.reason)
    await page.getByLabel(caseFileEn.timeline.closeReason).selectOption({ label: options.reason });
  if (options.comment) await page.getByLabel(caseFileEn.timeline.comment).fill(options.comment);
  await page.getByRole('button', { name: fill(caseFileEn.timeline.perform, { transition }) }).click();
  const outcome = options.approval ? caseFileEn.timeline.approvalRequested : caseFileEn.timeline.applied;
  await page
    .getByRole('status')
    .filter({ hasText: fill(outcome, { transition }) })
    .waitFor();
}
