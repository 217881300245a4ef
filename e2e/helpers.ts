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

/** The accessible name of the focused element, as near as the page can tell without axe. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return '';
    const labelled = element.getAttribute('aria-labelledby');
    if (labelled) {
      return labelled
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim();
    }
    const aria = element.getAttribute('aria-label');
    if (aria) return aria.trim();
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0) return (labels[0]?.textContent ?? '').trim();
    return (element.textContent ?? '').trim();
  });
}

/**
 * Moves the keyboard focus with Tab (or Shift+Tab) until the focused element has the accessible
 * name, as a keyboard user does; fails when it is not reachable within `limit` presses.
 */
export async function tabTo(page: Page, name: string, options: { backwards?: boolean; limit?: number } = {}) {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  const seen: string[] = [];
  for (let i = 0; i < (options.limit ?? 120); i++) {
    await page.keyboard.press(key);
    const current = await focusedName(page);
    if (current === name) return;
    seen.push(current);
  }
  throw new Error(`“${name}” is not reachable with ${key}; focus went through: ${seen.join(' | ')}`);
}

/** On a focused <select>: ArrowDown/ArrowUp until the option with this text is chosen. */
export async function chooseWithArrows(page: Page, option: string): Promise<void> {
  const selected = () =>
    page.evaluate(() => {
      const select = document.activeElement as HTMLSelectElement;
      return select.selectedOptions[0]?.textContent?.trim() ?? '';
    });
  for (const key of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0; i < 30; i++) {
      if ((await selected()) === option) return;
      await page.keyboard.press(key);
    }
  }
  throw new Error(`option “${option}” cannot be chosen with the arrow keys`);
}
