import i18next, { type i18n as I18n, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { directionOf, FALLBACK_LANGUAGE, isLanguageCode, LANGUAGES, type LanguageCode } from './languages.ts';
import { groupLoaders, namespaceOf } from './namespaces.ts';

/**
 * English ships in the main bundle as the fallback; every other language is loaded when chosen,
 * all its namespaces at once (see namespaces.ts for how files map to namespaces).
 */
const englishFiles = import.meta.glob<ResourceKey>(
  ['./locales/en.json', '../features/*/locales/en.json', '../ui/locales/en.json'],
  { eager: true, import: 'default' },
);
const english: Record<string, ResourceKey> = {};
for (const [path, resource] of Object.entries(englishFiles)) {
  const found = namespaceOf(path);
  if (found) english[found.namespace] = resource;
}
export const namespaces = Object.keys(english);

const loadersByLanguage = groupLoaders(
  import.meta.glob<{ default: ResourceKey }>([
    './locales/*.json',
    '../features/*/locales/*.json',
    '../ui/locales/*.json',
    '!./locales/en.json',
    '!../features/*/locales/en.json',
    '!../ui/locales/en.json',
  ]),
);

function hasTranslation(language: LanguageCode): boolean {
  return loadersByLanguage.has(language);
}

async function loadLanguage(language: LanguageCode, instance: I18n): Promise<void> {
  const loaders = loadersByLanguage.get(language);
  if (!loaders) return;
  await Promise.all(
    [...loaders].map(async ([namespace, load]) => {
      if (instance.hasResourceBundle(language, namespace)) return;
      instance.addResourceBundle(language, namespace, (await load()).default);
    }),
  );
}

/** Languages with a translation file, in the order of LANGUAGES. */
export const availableLanguages: LanguageCode[] = (Object.keys(LANGUAGES) as LanguageCode[]).filter(
  (code) => code === FALLBACK_LANGUAGE || hasTranslation(code),
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

/** Counts language changes, so a slow one (its translations still loading) never undoes a later one. */
let changes = 0;
let chosenByUser = false;

/**
 * Has the user picked a language on this page? Then the account's stored preference, arriving a
 * moment later with the signed-in user, does not overturn the choice.
 */
export function languageChosenByUser(): boolean {
  return chosenByUser;
}

/** After signing out: the next person at this device gets their own account's language. */
export function forgetLanguageChoice(): void {
  chosenByUser = false;
}

export async function changeLanguage(
  language: LanguageCode,
  instance: I18n = i18next,
  options: { byUser?: boolean } = {},
): Promise<void> {
  const change = ++changes;
  if (options.byUser) chosenByUser = true;
  const target = isAvailableLanguage(language) ? language : FALLBACK_LANGUAGE;
  await loadLanguage(target, instance);
  if (change !== changes) return;
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
    resources: { en: english },
    ns: namespaces,
    defaultNS: 'translation',
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
