import 'i18next';
import type en from './locales/en.json';

/** Makes `t('…')` keys checked by the compiler against the English resource. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
