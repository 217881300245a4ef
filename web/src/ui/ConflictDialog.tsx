import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/errors.ts';
import { Dialog } from './Dialog.tsx';

/**
 * The answer to a 409 VERSION_CONFLICT: someone saved the record after this user read it. The
 * dialog lays the user's values beside the record's current values, field by field, and lets
 * them keep theirs (resubmitted on the new version), take the current ones, pick per field, or
 * go back to the form with the current record loaded underneath — nothing typed is lost.
 *
 * Any form can use it: it only needs each field's label and both values written out as text.
 */
export interface ConflictField {
  /** The form's name for the field (what `onSave` gets back in its choices). */
  key: string;
  label: string;
  /** The user's value, as the user would read it. */
  mine: string;
  /** The record's current value, as the user would read it. */
  theirs: string;
}

export type ConflictChoice = 'mine' | 'theirs';

/** A 409 VERSION_CONFLICT from the API, with the version the record is at now. */
export function isVersionConflict(error: unknown): boolean {
  return isApiError(error) && error.status === 409 && error.code === 'VERSION_CONFLICT';
}

/** The record's current version named by a VERSION_CONFLICT answer (`details.currentVersion`). */
export function currentVersionOf(error: unknown): number | undefined {
  if (!isApiError(error)) return undefined;
  const value = error.details?.currentVersion;
  return typeof value === 'number' ? value : undefined;
}

export function ConflictDialog({
  open,
  fields,
  busy = false,
  error,
  onSave,
  onTakeTheirs,
  onReload,
  onClose,
}: {
  open: boolean;
  /** Every field the form edits; those whose values differ are offered for a choice. */
  fields: ConflictField[];
  busy?: boolean;
  /** A failure of the resubmission, shown in the dialog. */
  error?: string | undefined;
  /** Resubmit on the new version with, per differing field, the value chosen. */
  onSave: (choices: Record<string, ConflictChoice>) => void;
  /** Drop the user's changes and show the current record. */
  onTakeTheirs: () => void;
  /** Back to the form, on the current record, with the user's typing kept. */
  onReload: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('ui');
  const baseId = useId();
  const differing = fields.filter((field) => field.mine !== field.theirs);
  const [choices, setChoices] = useState<Record<string, ConflictChoice>>({});
  const signature = differing.map((f) => `${f.key}=${f.theirs}`).join('|');
  // A new conflict starts from "keep mine" for every field.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the conflict changes
  useEffect(() => setChoices({}), [signature, open]);
  const choiceOf = (key: string): ConflictChoice => choices[key] ?? 'mine';
  const allChoices = () => Object.fromEntries(differing.map((f) => [f.key, choiceOf(f.key)]));

  return (
    <Dialog open={open} title={t('conflict.title')} onClose={onClose} className="conflict-dialog">
      <p>{t('conflict.intro')}</p>
      {differing.length === 0 ? (
        <p>{t('conflict.noOverlap')}</p>
      ) : (
        <div className="conflict-table-wrap">
          <table className="plain-table">
            <caption>{t('conflict.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('conflict.field')}</th>
                <th scope="col">{t('conflict.mine')}</th>
                <th scope="col">{t('conflict.theirs')}</th>
                <th scope="col">{t('conflict.keep')}</th>
              </tr>
            </thead>
            <tbody>
              {differing.map((field) => {
                const name = `${baseId}-${field.key}`;
                return (
                  <tr key={field.key}>
                    <th scope="row">{field.label}</th>
                    <td data-label={t('conflict.mine')}>
                      <bdi>{field.mine || t('conflict.empty')}</bdi>
                    </td>
                    <td data-label={t('conflict.theirs')}>
                      <bdi>{field.theirs || t('conflict.empty')}</bdi>
                    </td>
                    <td>
                      <fieldset
                        className="conflict-choice"
                        aria-label={t('conflict.keepField', { field: field.label })}
                      >
                        <label>
                          <input
                            type="radio"
                            name={name}
                            checked={choiceOf(field.key) === 'mine'}
                            onChange={() => setChoices((c) => ({ ...c, [field.key]: 'mine' }))}
                          />{' '}
                          {t('conflict.keepMine')}
                        </label>
                        <label>
                          <input
                            type="radio"
                            name={name}
                            checked={choiceOf(field.key) === 'theirs'}
                            onChange={() => setChoices((c) => ({ ...c, [field.key]: 'theirs' }))}
                          />{' '}
                          {t('conflict.takeTheirs')}
                        </label>
                      </fieldset>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => onSave(allChoices())}
        >
          {busy ? t('form.saving') : t('conflict.save')}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={onTakeTheirs}>
          {t('conflict.takeAllTheirs')}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={onReload}>
          {t('conflict.reload')}
        </button>
      </div>
    </Dialog>
  );
}
