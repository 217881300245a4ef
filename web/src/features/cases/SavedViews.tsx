import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { Link } from '../../app/router.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { formErrorsFrom, NO_ERRORS } from '../../ui/formErrors.ts';
import { QueryError } from '../../ui/states.tsx';
import {
  type SavedView,
  useCreateSavedView,
  useDeleteSavedView,
  useRenameSavedView,
  useSavedViews,
} from './api.ts';
import { isCurrentView, viewHref, viewParamsFrom } from './filters.ts';

/**
 * The user's saved views (kept on the server, so they follow the user to any device): links that
 * set the list's filters and sort, a form to save the current ones under a name, and a dialog to
 * rename or delete them. The search text is never saved: a typed name is personal data.
 */
export function SavedViews({ params }: { params: URLSearchParams }) {
  const { t } = useTranslation('cases');
  const views = useSavedViews();
  const [managing, setManaging] = useState(false);
  const headingId = useId();

  return (
    <section className="saved-views" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('views.heading')}</h2>
      {views.isError ? (
        <QueryError error={views.error} onRetry={() => void views.refetch()} />
      ) : views.data && views.data.length > 0 ? (
        <ul className="saved-view-links">
          <li>
            <Link to="/cases" aria-current={params.toString() === '' ? 'page' : undefined}>
              {t('views.all')}
            </Link>
          </li>
          {views.data.map((view) => (
            <li key={view.id}>
              <Link
                to={viewHref(view.params)}
                aria-current={isCurrentView(view.params, params) ? 'page' : undefined}
              >
                {view.name}
              </Link>
            </li>
          ))}
        </ul>
      ) : views.data ? (
        <p className="muted">{t('views.none')}</p>
      ) : null}
      <div className="saved-view-actions">
        <SaveViewForm params={params} />
        {views.data && views.data.length > 0 && (
          <button type="button" className="button button-secondary" onClick={() => setManaging(true)}>
            {t('views.manage')}
          </button>
        )}
      </div>
      <Dialog open={managing} title={t('views.manageTitle')} onClose={() => setManaging(false)}>
        {views.data?.map((view) => (
          <ManageView key={view.id} view={view} />
        ))}
      </Dialog>
    </section>
  );
}

function SaveViewForm({ params }: { params: URLSearchParams }) {
  const { t } = useTranslation('cases');
  const { t: tApp } = useTranslation();
  const id = useId();
  const [name, setName] = useState('');
  const create = useCreateSavedView();
  const errors = create.error ? formErrorsFrom(tApp, create.error, { name: `${id}-name` }) : NO_ERRORS;
  const nameError =
    errors.byPath.name ?? (create.error && !errors.byPath.name ? errors.summary[0]?.text : undefined);
  const [saved, setSaved] = useState<string | null>(null);

  return (
    <form
      className="save-view-form"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(null);
        create.mutate(
          { name: name.trim(), params: viewParamsFrom(params) },
          {
            onSuccess: (view) => {
              setSaved(view.name);
              setName('');
            },
          },
        );
      }}
    >
      <Field
        id={`${id}-name`}
        label={t('views.name')}
        hint={t('views.nameHint')}
        error={nameError}
        value={name}
        maxLength={80}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {t('views.save')}
      </button>
      <p className="visually-hidden" role="status">
        {saved ? t('views.saved', { name: saved }) : ''}
      </p>
    </form>
  );
}

/** Rename or delete one view, with the version read: a stale version says so and shows the current name. */
function ManageView({ view }: { view: SavedView }) {
  const { t } = useTranslation('cases');
  const { t: tApp } = useTranslation();
  const id = useId();
  const [name, setName] = useState(view.name);
  const rename = useRenameSavedView();
  const remove = useDeleteSavedView();
  const error = rename.error ?? remove.error;
  const stale = isApiError(error) && error.code === 'VERSION_CONFLICT';
  const errors = rename.error ? formErrorsFrom(tApp, rename.error, { name: `${id}-name` }) : NO_ERRORS;
  const message = stale
    ? t('views.stale')
    : (errors.byPath.name ?? (error ? formErrorsFrom(tApp, error).summary[0]?.text : undefined));

  return (
    <form
      className="manage-view"
      aria-label={view.name}
      onSubmit={(event) => {
        event.preventDefault();
        rename.mutate({ id: view.id, body: { version: view.version, name: name.trim() } });
      }}
    >
      <Field
        id={`${id}-name`}
        label={t('views.renameLabel', { name: view.name })}
        error={message}
        value={name}
        maxLength={80}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={rename.isPending || name.trim() === view.name}
        >
          {t('views.rename')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={remove.isPending}
          aria-label={t('views.deleteNamed', { name: view.name })}
          onClick={() => remove.mutate({ id: view.id, version: view.version })}
        >
          {t('views.delete')}
        </button>
      </div>
    </form>
  );
}
