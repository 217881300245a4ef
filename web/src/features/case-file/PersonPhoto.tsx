import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.d.ts';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { Loading, QueryError } from '../../ui/states.tsx';
import { hasPermission, type Person, personKeys, usePerson } from './api.ts';
import { apiMessage, SelectField, TextAreaField } from './fields.tsx';

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
export type PersonPhotos = JsonOf<paths['/api/persons/{id}/photos']['get']['responses'][200]>;
export type PersonPhotoMeta = Extract<PersonPhotos['photos'], unknown[]>[number];
type PhotoSource = PersonPhotoMeta['source'];

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const PHOTO_SOURCES: readonly PhotoSource[] = [
  'reception',
  'document_copy',
  'field_visit',
  'provided_by_person',
  'other',
];
/** The server's default limit (HOMEWARD_PHOTO_MAX_KB); the server has the last word. */
const PHOTO_DEFAULT_MAX_KB = 2048;

const photosKey = (personId: string) => ['person', personId, 'photos'] as const;

function isMeta(photo: Person['photo'] | undefined): photo is PersonPhotoMeta {
  return Boolean(photo) && !('restricted' in (photo as object));
}

/**
 * The image bytes of one photo, fetched with the session (the API needs the cookie, so a plain
 * <img src> to the API would not do) and shown through an object URL revoked when no longer shown.
 */
function usePhotoUrl(personId: string, photoId: string | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!photoId) return undefined;
    let revoked = false;
    let objectUrl: string | undefined;
    void api
      .GET('/api/persons/{id}/photos/{childId}/image', {
        params: { path: { id: personId, childId: photoId } },
        parseAs: 'blob',
      })
      .then(({ data }) => {
        if (revoked || !data) return;
        objectUrl = URL.createObjectURL(data as Blob);
        setUrl(objectUrl);
      })
      .catch(() => setUrl(undefined));
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      setUrl(undefined);
    };
  }, [personId, photoId]);
  return url;
}

/** One photo as an image; the alt text never names the person (it shows in screenshots and reader output). */
export function PhotoImage({
  personId,
  photoId,
  className = 'person-photo',
}: {
  personId: string;
  photoId: string;
  className?: string;
}) {
  const { t } = useTranslation('caseFile');
  const url = usePhotoUrl(personId, photoId);
  if (!url) return <span className={`${className} person-photo-empty`} aria-hidden="true" />;
  return <img className={className} src={url} alt={t('photo.alt')} />;
}

/** The current photo, a "restricted" note, or nothing: for the case file header. */
export function HeaderPhoto({ personId, permissions }: { personId: string; permissions: readonly string[] }) {
  const { t } = useTranslation('caseFile');
  const person = usePerson(hasPermission(permissions, 'persons:read') ? personId : undefined);
  const photo = person.data?.photo;
  if (!photo) return null;
  if (!isMeta(photo)) {
    return <p className="person-photo-restricted muted">{t('photo.restricted', { ask: photo.ask })}</p>;
  }
  return <PhotoImage personId={personId} photoId={photo.id} className="person-photo person-photo-small" />;
}

/** The photo panel of the person page: the current photo, replacing it, removing one, earlier photos. */
export function PhotoPanel({ person, canEdit }: { person: Person; canEdit: boolean }) {
  const { t } = useTranslation('caseFile');
  const { date, dateTime } = useFormatters();
  const photos = useQuery({
    queryKey: photosKey(person.id),
    queryFn: () => call(api.GET('/api/persons/{id}/photos', { params: { path: { id: person.id } } })),
  });
  const headingId = `photo-heading-${person.id}`;
  const restricted = person.photo && !isMeta(person.photo) ? person.photo : null;
  const list = photos.data && Array.isArray(photos.data.photos) ? photos.data.photos : [];
  const earlier = list.filter((p) => !p.current);
  return (
    <section className="card person-photo-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('photo.heading')}</h2>
      {restricted ? (
        <p className="muted">{t('photo.restricted', { ask: restricted.ask })}</p>
      ) : (
        <>
          {isMeta(person.photo) ? (
            <figure className="person-photo-current">
              <PhotoImage personId={person.id} photoId={person.photo.id} />
              <figcaption className="muted">
                <PhotoFacts photo={person.photo} />
              </figcaption>
            </figure>
          ) : (
            <p className="muted">{t('photo.none')}</p>
          )}
          {canEdit && isMeta(person.photo) && <RemovePhoto person={person} photo={person.photo} />}
          {canEdit && <UploadPhoto person={person} />}
          {photos.isPending ? (
            <Loading />
          ) : photos.isError ? (
            <QueryError error={photos.error} onRetry={() => void photos.refetch()} />
          ) : (
            earlier.length > 0 && (
              <>
                <h3>{t('photo.earlier')}</h3>
                <ul className="record-list person-photo-history">
                  {earlier.map((p) => (
                    <li key={p.id} className="person-photo-entry">
                      {p.removedAt ? (
                        <p>
                          {t('photo.removed', { date: dateTime(p.removedAt) })}{' '}
                          <span className="muted">
                            {t('photo.removedReason', { reason: p.removalReason })}
                          </span>
                        </p>
                      ) : (
                        <>
                          <PhotoImage
                            personId={person.id}
                            photoId={p.id}
                            className="person-photo person-photo-small"
                          />
                          {canEdit && <RemovePhoto person={person} photo={p} />}
                        </>
                      )}
                      <p className="muted">
                        <PhotoFacts photo={p} /> · {t('photo.uploadedOn', { date: date(p.createdAt) })}
                      </p>
                    </li>
                  ))}
                </ul>
              </>
            )
          )}
        </>
      )}
    </section>
  );
}

function PhotoFacts({ photo }: { photo: PersonPhotoMeta }) {
  const { t } = useTranslation('caseFile');
  const { date } = useFormatters();
  return (
    <>
      {t(`photo.sources.${photo.source}`)}
      {photo.takenOn && ` · ${t('photo.takenOnValue', { date: date(photo.takenOn) })}`}
    </>
  );
}

/** Choose an image, see it before saving, say when it was taken and where it comes from. */
function UploadPhoto({ person }: { person: Person }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const id = useId();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const [takenOn, setTakenOn] = useState('');
  const [source, setSource] = useState<PhotoSource>('reception');
  const [localError, setLocalError] = useState<string>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!file) return undefined;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => {
      URL.revokeObjectURL(url);
      setPreview(undefined);
    };
  }, [file]);
  const upload = useMutation({
    mutationFn: (chosen: File) =>
      call(
        api.POST('/api/persons/{id}/photos', {
          params: {
            path: { id: person.id },
            query: { source, ...(takenOn ? { takenOn } : {}) },
          },
          body: chosen as never,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { 'content-type': chosen.type },
        }),
      ),
    onSuccess: async () => {
      setFile(undefined);
      setTakenOn('');
      if (input.current) input.current.value = '';
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: personKeys.all(person.id) });
    },
  });
  const submit = () => {
    setSaved(false);
    if (!file) {
      setLocalError(t('photo.chooseFile'));
      return;
    }
    if (!PHOTO_TYPES.includes(file.type)) {
      setLocalError(t('photo.wrongType'));
      return;
    }
    if (file.size > PHOTO_DEFAULT_MAX_KB * 1024) {
      setLocalError(t('photo.tooLarge', { size: PHOTO_DEFAULT_MAX_KB / 1024 }));
      return;
    }
    setLocalError(undefined);
    upload.mutate(file);
  };
  const fileId = `${id}-file`;
  const error = localError ?? apiMessage(tApp, upload.error);
  return (
    <form
      className="person-photo-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h3>{isMeta(person.photo) ? t('photo.replace') : t('photo.add')}</h3>
      {saved && (
        <p role="status" className="status-message">
          {t('photo.saved')}
        </p>
      )}
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor={fileId}>{t('photo.file')}</label>
        <p id={`${fileId}-hint`} className="field-hint">
          {t('photo.limits', { size: PHOTO_DEFAULT_MAX_KB / 1024 })}
        </p>
        {error && (
          <p id={`${fileId}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
        <input
          id={fileId}
          ref={input}
          type="file"
          accept={PHOTO_TYPES.join(',')}
          aria-describedby={`${fileId}-hint${error ? ` ${fileId}-error` : ''}`}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            setSaved(false);
            setLocalError(undefined);
            setFile(event.target.files?.[0]);
          }}
        />
      </div>
      {preview && (
        <figure className="person-photo-preview">
          <img className="person-photo" src={preview} alt={t('photo.previewAlt')} />
          <figcaption className="muted">{t('photo.previewNote')}</figcaption>
        </figure>
      )}
      <Field
        id={`${id}-taken`}
        label={t('photo.takenOn')}
        type="date"
        value={takenOn}
        onChange={(event) => setTakenOn(event.target.value)}
      />
      <SelectField
        id={`${id}-source`}
        label={t('photo.source')}
        value={source}
        onChange={(event) => setSource(event.target.value as PhotoSource)}
        options={PHOTO_SOURCES.map((s) => ({ value: s, label: t(`photo.sources.${s}`) }))}
      />
      <button type="submit" className="button" disabled={upload.isPending}>
        {upload.isPending ? t('common.saving') : t('photo.save')}
      </button>
    </form>
  );
}

/** Removing a photo asks for a reason; the image is erased, the record of it stays. */
function RemovePhoto({ person, photo }: { person: Person; photo: PersonPhotoMeta }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const id = useId();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const remove = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/persons/{id}/photos/{childId}/removal', {
          params: { path: { id: person.id, childId: photo.id } },
          body: { reason },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: personKeys.all(person.id) });
    },
  });
  if (!open) {
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        {photo.current ? t('photo.removeCurrent') : t('photo.remove')}
      </button>
    );
  }
  return (
    <form
      className="person-photo-remove"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        remove.mutate();
      }}
    >
      <TextAreaField
        id={`${id}-reason`}
        label={t('photo.reason')}
        hint={t('photo.reasonHint')}
        error={apiMessage(tApp, remove.error)}
        value={reason}
        required
        minLength={10}
        onChange={(event) => setReason(event.target.value)}
      />
      <button type="submit" className="button" disabled={remove.isPending || reason.trim().length < 10}>
        {t('photo.confirmRemove')}
      </button>{' '}
      <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
