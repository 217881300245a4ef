import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { changeLanguage, currentLanguage, initI18n, languageChosenByUser } from './index.ts';

describe('changing the interface language', () => {
  beforeAll(async () => {
    await initI18n('en');
    // Arabic's translations are loaded once; Russian's are not yet.
    await changeLanguage('ar');
    await changeLanguage('en');
  });

  it('lets the later of two changes win, even when the earlier one is still loading', async () => {
    // The account's language (Russian, still to load) arrives just before the user picks Arabic.
    const accountLanguage = changeLanguage('ru');
    const picked = changeLanguage('ar', i18next, { byUser: true });
    await Promise.all([accountLanguage, picked]);
    expect(currentLanguage()).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
  });

  it('remembers that the user picked a language on this page', () => {
    expect(languageChosenByUser()).toBe(true);
  });
});
