import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import caseFileEn from '../web/src/features/case-file/locales/en.json';
import registration from '../web/src/features/registration/locales/en.json';
import en from '../web/src/i18n/locales/en.json';
import { hasChromium } from './browser.ts';
import { chooseWithArrows, fill, focusedName, tabTo } from './helpers.ts';
import { expectAccessible, Harness, recordingFailure, screenshot } from './session.ts';

/**
 * The registration wizard by keyboard alone: Tab and Shift+Tab to move, typing, arrow keys for
 * selects and radio buttons, Space for check boxes, Enter for buttons and links. No clicks.
 */

describe.skipIf(!hasChromium)('Registration by keyboard alone', () => {
  const harness = new Harness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('registers a woman and her child without the mouse', async () => {
    const { page, problems } = await harness.signedIn('caseworker', { bypassCSP: true });
    await recordingFailure(harness, 'registration-keyboard', async () => {
      const keys = page.keyboard;
      // From the top of the page, to the main navigation's link.
      await page.locator('body').focus();
      await tabTo(page, en.app.nav.register);
      await keys.press('Enter');
      await page.getByRole('heading', { level: 1, name: registration.title }).waitFor();

      // Step 1: the person.
      await tabTo(page, registration.fields.fullName);
      await keys.type('Zarina Yusupova');
      await tabTo(page, registration.fields.source);
      await chooseWithArrows(page, caseFileEn.source.camp_list);
      await tabTo(page, registration.fields.sex);
      await chooseWithArrows(page, caseFileEn.sex.female);
      // Date of birth: the radio group is one Tab stop; arrows move within it.
      await tabTo(page, registration.birth.kind.exact);
      await keys.press('ArrowDown');
      expect(await focusedName(page)).toBe(registration.birth.kind.year);
      expect(await page.getByRole('radio', { name: registration.birth.kind.year }).isChecked()).toBe(true);
      await tabTo(page, registration.birth.year);
      await keys.type('1993');
      await tabTo(page, registration.fields.whereabouts);
      await chooseWithArrows(page, caseFileEn.whereabouts.camp);
      await tabTo(page, 'Pregnant');
      await keys.press('Space');
      expect(await page.getByRole('checkbox', { name: 'Pregnant' }).isChecked()).toBe(true);
      // Back up with Shift+Tab to check the name kept its value, then on to Next.
      await tabTo(page, registration.fields.fullName, { backwards: true });
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(
        'Zarina Yusupova',
      );
      await tabTo(page, registration.next);
      await keys.press('Enter');

      // Step 2: one child. The new member's relationship select gets the focus.
      await page.getByRole('heading', { level: 2, name: registration.steps.family }).waitFor();
      await tabTo(page, registration.family.add);
      await keys.press('Enter');
      await page.waitForFunction(
        (label) =>
          (document.activeElement as HTMLSelectElement | null)?.labels?.[0]?.textContent?.trim() === label,
        fill(registration.family.relationN, { n: 1 }),
      );
      await chooseWithArrows(page, caseFileEn.role.child);
      await tabTo(page, registration.fields.fullName);
      await keys.type('Yusupov Bilol');
      await tabTo(page, fill(registration.family.sexN, { n: 1 }));
      await chooseWithArrows(page, caseFileEn.sex.male);
      await tabTo(page, registration.birth.kind.exact);
      await keys.press('ArrowDown');
      await tabTo(page, registration.birth.year);
      await keys.type('2019');
      await tabTo(page, registration.next);
      await keys.press('Enter');

      // Step 3: case details, as they are.
      await page.getByRole('heading', { level: 2, name: registration.steps.case }).waitFor();
      await tabTo(page, registration.next);
      await keys.press('Enter');

      // Step 4: review and submit.
      await page.getByRole('heading', { level: 2, name: registration.steps.review }).waitFor();
      await page.getByText('Zarina Yusupova').first().waitFor();
      await page.getByText('Yusupov Bilol').first().waitFor();
      await expectAccessible(page, 'registration review (keyboard)');
      await tabTo(page, registration.submit);
      await keys.press('Enter');

      await page.waitForURL(/\/cases\/[0-9a-f-]{36}/);
      await page.getByRole('heading', { level: 1, name: 'Zarina Yusupova' }).waitFor();
      await screenshot(page, 'registration-keyboard-done-en');
    });
    expect(problems).toEqual([]);
  });
});
