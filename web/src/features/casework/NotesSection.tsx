import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  type CaseNote,
  type Compartment,
  caseworkKeys,
  usePermissions,
  writableCompartments,
} from './api.ts';
import { SelectField, SuccessMessage, TextAreaField } from './fields.tsx';
import './casework.css';

/** Notes, each in one compartment; the list holds only the compartments the user reads. Never edited. */
export function NotesSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const { dateTime } = useFormatters();
  const { can, permissions } = usePermissions();
  const queryClient = useQueryClient();
  const id = useId();
  const notes = useQuery({
    queryKey: caseworkKeys.notes(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/notes', { params: { path: { id: caseId } } })),
  });
  const writable = can('cases:write') ? writableCompartments(permissions) : [];
  const [compartment, setCompartment] = useState<Compartment | ''>('');
  const [body, setBody] = useState('');
  const [saved, setSaved] = useState<string>();
  const chosen = compartment || writable[0] || '';
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/cases/{id}/notes', {
          params: { path: { id: caseId } },
          body: { compartment: chosen as Compartment, body, referralId: null },
        }),
      ),
    onSuccess: (note) => {
      queryClient.setQueryData<CaseNote[]>(caseworkKeys.notes(caseId), (old) => [...(old ?? []), note]);
      setBody('');
      setSaved(t('notes.saved', { compartment: t(`compartment.${note.compartment}`) }));
    },
  });
  const fieldIds = { compartment: `${id}-compartment`, body: `${id}-body` };
  const errors = formErrorsFrom(tApp, mutation.error, fieldIds);
  return (
    <section className="casework-section" aria-labelledby={`notes-${caseId}`}>
      <h2 id={`notes-${caseId}`}>{t('notes.heading')}</h2>
      <SuccessMessage message={saved} />
      {notes.isPending ? (
        <Loading />
      ) : notes.isError ? (
        <QueryError error={notes.error} onRetry={() => notes.refetch()} />
      ) : notes.data.length === 0 ? (
        <Empty>{t('notes.empty')}</Empty>
      ) : (
        <ol className="casework-list casework-notes">
          {[...notes.data].reverse().map((note) => (
            <li key={note.id}>
              <p className="casework-note-head">
                <span className="casework-badge">{t(`compartment.${note.compartment}`)}</span>{' '}
                <time dateTime={note.createdAt}>{dateTime(note.createdAt)}</time>
              </p>
              <p className="casework-body">{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      {writable.length > 0 && (
        <form
          className="card casework-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            mutation.mutate();
          }}
        >
          <h3>{t('notes.add')}</h3>
          <ErrorSummary messages={errors.summary} />
          <SelectField
            id={fieldIds.compartment}
            label={t('notes.compartment')}
            hint={t('notes.compartmentHint')}
            value={chosen}
            onChange={(e) => setCompartment(e.target.value as Compartment)}
            options={writable.map((c) => ({ value: c, label: t(`compartment.${c}`) }))}
            error={errors.byPath.compartment}
          />
          <TextAreaField
            id={fieldIds.body}
            label={t('notes.body')}
            hint={t('notes.bodyHint')}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            error={errors.byPath.body}
            required
            maxLength={20000}
          />
          <button type="submit" className="button button-primary" disabled={mutation.isPending}>
            {t('notes.save')}
          </button>
        </form>
      )}
    </section>
  );
}
