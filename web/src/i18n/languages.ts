/**
 * Every interface language Homeward is meant to speak (DOMAIN.md §9). A language becomes
 * selectable as soon as `locales/<code>.json` exists: no other change is needed.
 */
export const LANGUAGES = {
  en: { nativeName: 'English', dir: 'ltr' },
  ru: { nativeName: 'Русский', dir: 'ltr' },
  kk: { nativeName: 'Қазақша', dir: 'ltr' },
  uz: { nativeName: 'Oʻzbekcha', dir: 'ltr' },
  tg: { nativeName: 'Тоҷикӣ', dir: 'ltr' },
  ky: { nativeName: 'Кыргызча', dir: 'ltr' },
  ar: { nativeName: 'العربية', dir: 'rtl' },
} as const satisfies Record<string, { nativeName: string; dir: 'ltr' | 'rtl' }>;

export type LanguageCode = keyof typeof LANGUAGES;

export const FALLBACK_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}

export function directionOf(language: LanguageCode): 'ltr' | 'rtl' {
  return LANGUAGES[language].dir;
}
