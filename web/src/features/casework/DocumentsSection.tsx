import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  ATTACHMENT_DEFAULT_MAX_MB,
  ATTACHMENT_TYPES,
  type CaseAttachment,
  type Compartment,
  caseworkKeys,
  usePermissions,
  writableCompartments,
} from './api.ts';
import { SelectField, SuccessMessage } from './fields.tsx';
import './casework.css';

/** Attachments, stored encrypted; the download is decrypted and verified by the server. */
export function DocumentsSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const { dateTime, number } = useFormatters();
  const { can, permissions } = usePermissions();
  const queryClient = useQueryClient();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const attachments = useQuery({
    queryKey: caseworkKeys.attachments(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/attachments', { params: { path: { id: caseId } } })),
  });
  const writable = can('cases:write') ? writableCompartments(permissions) : [];
  const [compartment, setCompartment] = useState<Compartment | ''>('');
  const [file, setFile] = useState<File>();
  const [localError, setLocalError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const chosen = (compartment || writable[0] || 'protection') as Compartment;
  const upload = useMutation({
    mutationFn: (selected: File) =>
      call(
        api.POST('/api/cases/{id}/attachments', {
          params: { path: { id: caseId }, query: { compartment: chosen, fileName: selected.name } },
          body: selected as never,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { 'content-type': selected.type || 'application/octet-stream' },
        }),
      ),
    onSuccess: (attachment) => {
      queryClient.setQueryData<CaseAttachment[]>(caseworkKeys.attachments(caseId), (old) => [
        ...(old ?? []),
        attachment,
      ]);
      setFile(undefined);
      if (fileInput.current) fileInput.current.value = '';
      setSaved(t('documents.uploaded', { name: attachment.fileName }));
    },
  });
  const download = useMutation({
    mutationFn: async (attachment: CaseAttachment) => {
      const { data } = await api.GET('/api/cases/{id}/attachments/{childId}', {
        params: { path: { id: caseId, childId: attachment.id } },
        parseAs: 'blob',
      });
      const url = URL.createObjectURL(data as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = attachment.fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return attachment;
    },
  });
  const fieldIds = { compartment: `${id}-compartment`, fileName: `${id}-file`, body: `${id}-file` };
  const errors = formErrorsFrom(tApp, upload.error, fieldIds);
  const fileError = localError ?? errors.byPath.body ?? errors.byPath.fileName;
  const typeNames = ATTACHMENT_TYPES.map((type) =>
    t(`documents.types.${type.replace(/[/]/g, '_')}` as 'documents.types.application_pdf'),
  ).join(', ');
  const limits = t('documents.limits', { types: typeNames, size: number(ATTACHMENT_DEFAULT_MAX_MB) });

  const submit = () => {
    if (!file) {
      setLocalError(t('documents.chooseFile'));
      return;
    }
    if (file.type && !ATTACHMENT_TYPES.includes(file.type)) {
      setLocalError(t('documents.wrongType', { types: typeNames }));
      return;
    }
    setLocalError(undefined);
    upload.mutate(file);
  };

  return (
    <section className="casework-section" aria-labelledby={`documents-${caseId}`}>
      <h2 id={`documents-${caseId}`}>{t('documents.heading')}</h2>
      <SuccessMessage message={saved} />
      {download.isError && <QueryError error={download.error} />}
      {attachments.isPending ? (
        <Loading />
      ) : attachments.isError ? (
        <QueryError error={attachments.error} onRetry={() => attachments.refetch()} />
      ) : attachments.data.length === 0 ? (
        <Empty>{t('documents.empty')}</Empty>
      ) : (
        <ul className="casework-list">
          {attachments.data.map((a) => (
            <li key={a.id} className="casework-document">
              <p className="casework-item-title">
                <bdi>{a.fileName}</bdi>
              </p>
              <p className="muted">
                {t(`compartment.${a.compartment}`)} · {a.contentType} ·{' '}
                {t('documents.size', { size: number(Math.max(1, Math.round(a.sizeBytes / 1024))) })} ·{' '}
                {dateTime(a.createdAt)}
              </p>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => download.mutate(a)}
                disabled={download.isPending}
              >
                {t('documents.download', { name: a.fileName })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {writable.length > 0 && (
        <form
          className="card casework-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <h3>{t('documents.upload')}</h3>
          <ErrorSummary messages={localError ? [] : errors.summary} />
          <SelectField
            id={fieldIds.compartment}
            label={t('notes.compartment')}
            value={chosen}
            onChange={(e) => setCompartment(e.target.value as Compartment)}
            options={writable.map((c) => ({ value: c, label: t(`compartment.${c}`) }))}
            error={errors.byPath.compartment}
          />
          <div className={fileError ? 'field field-invalid' : 'field'}>
            <label htmlFor={fieldIds.fileName}>{t('documents.file')}</label>
            <p id={`${fieldIds.fileName}-hint`} className="field-hint">
              {limits}
            </p>
            {fileError && (
              <p id={`${fieldIds.fileName}-error`} className="field-error">
                {fileError}
              </p>
            )}
            <input
              ref={fileInput}
              id={fieldIds.fileName}
              type="file"
              accept={ATTACHMENT_TYPES.join(',')}
              aria-invalid={fileError ? true : undefined}
              aria-describedby={`${fieldIds.fileName}-hint${fileError ? ` ${fieldIds.fileName}-error` : ''}`}
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          </div>
          <button type="submit" className="button button-primary" disabled={upload.isPending}>
            {upload.isPending ? t('documents.uploading') : t('documents.uploadButton')}
          </button>
        </form>
      )}
    </section>
  );
}
