import type { TFunction } from 'i18next';
import { isApiError } from '../api/errors.ts';

/** Server and client error codes that have their own sentence in every language. */
const TRANSLATED_CODES = [
  'NETWORK_ERROR',
  'RATE_LIMITED',
  'FORBIDDEN',
  'CSRF_TOKEN_INVALID',
  'INTERNAL',
] as const;
type TranslatedCode = (typeof TRANSLATED_CODES)[number];

function isTranslatedCode(code: string): code is TranslatedCode {
  return (TRANSLATED_CODES as readonly string[]).includes(code);
}

/** A sentence for the user, in their language where the code is known, else the server's text. */
export function describeError(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    if (isTranslatedCode(error.code)) return t(`errors.${error.code}`);
    if (error.status >= 500) return t('errors.INTERNAL');
    return t('errors.generic', { message: error.message });
  }
  return t('errors.generic', { message: error instanceof Error ? error.message : String(error) });
}
