import i18next, { type i18n as I18n, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { directionOf, FALLBACK_LANGUAGE, isLanguageCode, LANGUAGES, type LanguageCode } from './languages.ts';
import en from './locales/en.json';

/** English ships in the main bundle as the fallback; every other language is its own small chunk. */
const localeLoaders = import.meta.glob<{ default: ResourceKey }>(['./locales/*.json', '!./locales/en.json']);

function loaderFor(language: LanguageCode): (() => Promise<{ default: ResourceKey }>) | undefined {
  return localeLoaders[`./locales/${language}.json`];
}

/** Languages with a translation file, in the order of LANGUAGES. */
export const availableLanguages: LanguageCode[] = (Object.keys(LANGUAGES) as LanguageCode[]).filter(
  (code) => code === FALLBACK_LANGUAGE || loaderFor(code) !== undefined,
);

export function isAvailableLanguage(value: unknown): value is LanguageCode {
  return isLanguageCode(value) && availableLanguages.includes(value);
}

const STORAGE_KEY = 'homeward.language';

/** The language chosen on this device before sign-in. Not personal data: only a language code. */
function storedLanguage(): LanguageCode | undefined {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isAvailableLanguage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function browserLanguage(): LanguageCode | undefined {
  for (const tag of globalThis.navigator?.languages ?? []) {
    const base = tag.split('-')[0]?.toLowerCase();
    if (isAvailableLanguage(base)) return base;
  }
  return undefined;
}

function applyToDocument(language: LanguageCode): void {
  const root = globalThis.document?.documentElement;
  if (!root) return;
  root.lang = language;
  root.dir = directionOf(language);
}

export async function changeLanguage(language: LanguageCode, instance: I18n = i18next): Promise<void> {
  const target = isAvailableLanguage(language) ? language : FALLBACK_LANGUAGE;
  if (!instance.hasResourceBundle(target, 'translation')) {
    const loader = loaderFor(target);
    if (loader) instance.addResourceBundle(target, 'translation', (await loader()).default);
  }
  await instance.changeLanguage(target);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, target);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
}

export function currentLanguage(instance: I18n = i18next): LanguageCode {
  const language = instance.resolvedLanguage ?? instance.language;
  return isAvailableLanguage(language) ? language : FALLBACK_LANGUAGE;
}

export async function initI18n(initial?: LanguageCode): Promise<I18n> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: FALLBACK_LANGUAGE,
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: availableLanguages,
    interpolation: { escapeValue: false },
  });
  i18next.on('languageChanged', (language) => {
    if (isLanguageCode(language)) applyToDocument(language);
  });
  applyToDocument(FALLBACK_LANGUAGE);
  const start = initial ?? storedLanguage() ?? browserLanguage() ?? FALLBACK_LANGUAGE;
  if (start !== FALLBACK_LANGUAGE) await changeLanguage(start);
  return i18next;
}

export { i18next };
