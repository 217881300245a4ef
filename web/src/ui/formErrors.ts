import type { TFunction } from 'i18next';
import { isApiError } from '../api/errors.ts';
import { describeError } from '../app/errorMessage.ts';

/**
 * Maps an API error onto a form. The server names each fault by its path (`body.names.0.text`);
 * a form lists the paths it shows fields for, with the id of each field, and gets back the
 * message for each field plus a summary (with links to the fields) for the error summary.
 * Faults whose path no field shows still appear in the summary, so nothing is lost.
 */
export interface FormErrors {
  /** field path (without the `body.` prefix) → message */
  byPath: Record<string, string>;
  summary: { text: string; fieldId?: string | undefined }[];
}

export const NO_ERRORS: FormErrors = { byPath: {}, summary: [] };

function stripLocation(path: string): string {
  return path.replace(/^(body|query|params)\.?/, '');
}

export function formErrorsFrom(
  t: TFunction,
  error: unknown,
  fieldIds: Record<string, string> = {},
): FormErrors {
  if (!error) return NO_ERRORS;
  if (!isApiError(error)) return { byPath: {}, summary: [{ text: describeError(t, error) }] };
  const issues = error.details?.issues ?? [];
  if (issues.length === 0) {
    const path = typeof error.details?.path === 'string' ? stripLocation(error.details.path) : undefined;
    const text = error.message && error.status < 500 ? error.message : describeError(t, error);
    if (path) return { byPath: { [path]: text }, summary: [{ text, fieldId: fieldIds[path] }] };
    return { byPath: {}, summary: [{ text: describeError(t, error) }] };
  }
  const byPath: Record<string, string> = {};
  const summary: FormErrors['summary'] = [];
  for (const issue of issues) {
    const path = stripLocation(issue.path);
    if (!(path in byPath)) byPath[path] = issue.message;
    summary.push({ text: issue.message, fieldId: fieldIds[path] });
  }
  return { byPath, summary };
}
