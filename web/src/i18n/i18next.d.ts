import 'i18next';
import type assessments from '../features/assessments/locales/en.json';
import type caseFile from '../features/case-file/locales/en.json';
import type cases from '../features/cases/locales/en.json';
import type casework from '../features/casework/locales/en.json';
import type consent from '../features/consent/locales/en.json';
import type dataProtection from '../features/data-protection/locales/en.json';
import type home from '../features/home/locales/en.json';
import type inbox from '../features/inbox/locales/en.json';
import type registration from '../features/registration/locales/en.json';
import type ui from '../ui/locales/en.json';
import type translation from './locales/en.json';

/** Makes `t('…')` keys checked by the compiler against the English resources, per namespace. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof translation;
      ui: typeof ui;
      home: typeof home;
      inbox: typeof inbox;
      cases: typeof cases;
      registration: typeof registration;
      caseFile: typeof caseFile;
      casework: typeof casework;
      assessments: typeof assessments;
      consent: typeof consent;
      dataProtection: typeof dataProtection;
    };
  }
}
