import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { ConflictDialog, isVersionConflict } from '../../ui/ConflictDialog.tsx';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import {
  type DocumentInput,
  type EvidenceInput,
  type IdentityDocument,
  type Nationality,
  type NationalityInput,
  type Person,
  personKeys,
} from './api.ts';
import { apiMessage, SelectField } from './fields.tsx';
import { useLabel } from './labels.ts';

const NATIONALITY_STATUSES = ['claimed', 'verified', 'rejected'] as const;
const EVIDENCE_KINDS = [
  'document',
  'testimony',
  'dna_referral',
  'dna_result',
  'registry_check',
  'other',
] as const;
const EVIDENCE_OUTCOMES = ['pending', 'supports', 'contradicts', 'inconclusive'] as const;
const DOCUMENT_TYPES = [
  'passport',
  'national_id',
  'birth_certificate',
  'marriage_certificate',
  'death_certificate',
  'travel_document',
  'residence_permit',
  'other',
] as const;
const DOCUMENT_STATUSES = ['issued', 'applied_for', 'lost', 'confiscated', 'expired'] as const;

/** A country's name in the reader's language, from its ISO 3166-1 alpha-2 code. */
function useCountryName(): (code: string) => string {
  const { i18n } = useTranslation();
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([i18n.resolvedLanguage ?? i18n.language], { type: 'region' });
  } catch {
    names = undefined;
  }
  return (code: string) => {
    try {
      return names?.of(code) ?? code;
    } catch {
      return code;
    }
  };
}

/** Every write here answers with the whole person: put it in the cache, and let the case re-check. */
function useSavePerson(personId: string) {
  const queryClient = useQueryClient();
  return (saved: Person) => {
    queryClient.setQueryData(personKeys.detail(personId), saved);
    // Stage preconditions (nationality verified…) are read by the case screens.
    void queryClient.invalidateQueries({ queryKey: ['case'] });
  };
}

/**
 * Nationality claims with their verification status and evidence register (documents, testimony,
 * DNA referral and result as references), and identity documents with their status. With
 * persons:write, each can be recorded and changed here; this is what makes the stage-1
 * precondition "nationality verified" satisfiable.
 */
export function IdentityPanel({ person, canEdit }: { person: Person; canEdit: boolean }) {
  const { t } = useTranslation('caseFile');
  const [addingClaim, setAddingClaim] = useState(false);
  const [addingDocument, setAddingDocument] = useState(false);
  return (
    <section className="card" aria-labelledby="identity-heading">
      <h3 id="identity-heading">{t('identity.title')}</h3>
      <div className="card-heading">
        <h4 id="nationalities-heading">{t('identity.nationalities')}</h4>
        {canEdit && !addingClaim && (
          <button type="button" className="button button-secondary" onClick={() => setAddingClaim(true)}>
            {t('identity.addClaim')}
          </button>
        )}
      </div>
      {person.nationalities.length === 0 ? (
        <p className="muted">{t('identity.noNationalities')}</p>
      ) : (
        <ul className="record-list" aria-labelledby="nationalities-heading">
          {person.nationalities.map((n) => (
            <NationalityClaim key={n.id} person={person} nationality={n} canEdit={canEdit} />
          ))}
        </ul>
      )}
      {addingClaim && <AddNationalityForm personId={person.id} onDone={() => setAddingClaim(false)} />}
      <div className="card-heading">
        <h4 id="documents-heading">{t('identity.documents')}</h4>
        {canEdit && !addingDocument && (
          <button type="button" className="button button-secondary" onClick={() => setAddingDocument(true)}>
            {t('identity.addDocument')}
          </button>
        )}
      </div>
      {person.documents.length === 0 ? (
        <p className="muted">{t('identity.noDocuments')}</p>
      ) : (
        <ul className="record-list" aria-labelledby="documents-heading">
          {person.documents.map((d) => (
            <DocumentItem key={d.id} person={person} document={d} canEdit={canEdit} />
          ))}
        </ul>
      )}
      {addingDocument && <AddDocumentForm personId={person.id} onDone={() => setAddingDocument(false)} />}
    </section>
  );
}

function NationalityClaim({
  person,
  nationality,
  canEdit,
}: {
  person: Person;
  nationality: Nationality;
  canEdit: boolean;
}) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const fmt = useFormatters();
  const label = useLabel();
  const country = useCountryName();
  const save = useSavePerson(person.id);
  const [addingEvidence, setAddingEvidence] = useState(false);
  const [announced, setAnnounced] = useState('');
  const name = country(nationality.country);
  const setStatus = useMutation({
    mutationFn: (status: Nationality['status']) =>
      call(
        api.PUT('/api/persons/{id}/nationalities/{childId}/status', {
          params: { path: { id: person.id, childId: nationality.id } },
          body: { status },
        }),
      ),
    onSuccess: (saved, status) => {
      save(saved);
      setAnnounced(
        t('identity.statusChanged', { country: name, status: label('nationalityStatus', status) }),
      );
    },
  });
  const supporting = nationality.evidence.filter((e) => e.outcome === 'supports').length;
  return (
    <li>
      <p>
        <strong>{name}</strong> ({nationality.country}) —{' '}
        <span className={`status-tag status-${nationality.status}`}>
          {label('nationalityStatus', nationality.status)}
        </span>
      </p>
      {nationality.evidence.length === 0 ? (
        <p className="muted">{t('identity.noEvidence')}</p>
      ) : (
        <ul aria-label={t('identity.evidenceOf', { country: name })}>
          {nationality.evidence.map((e) => (
            <li key={e.id}>
              {label('evidenceKind', e.kind)}: <bdi>{e.reference}</bdi> —{' '}
              {label('evidenceOutcome', e.outcome)} <span className="muted">({fmt.date(e.recordedOn)})</span>
            </li>
          ))}
        </ul>
      )}
      <p className="status-message" role="status">
        {announced}
      </p>
      {canEdit && (
        <>
          {nationality.status === 'claimed' && supporting === 0 && (
            <p className="field-hint">{t('identity.verifyWithoutEvidence')}</p>
          )}
          <div className="actions">
            {NATIONALITY_STATUSES.filter((s) => s !== nationality.status).map((status) => (
              <button
                key={status}
                type="button"
                className={status === 'verified' ? 'button button-primary' : 'button button-secondary'}
                disabled={setStatus.isPending}
                onClick={() => setStatus.mutate(status)}
              >
                {t(`identity.setStatus.${status}`)}
                <span className="visually-hidden">: {name}</span>
              </button>
            ))}
            {!addingEvidence && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setAddingEvidence(true)}
              >
                {t('identity.addEvidence')}
                <span className="visually-hidden">: {name}</span>
              </button>
            )}
          </div>
          {setStatus.error ? (
            <p className="field-error" role="alert">
              {apiMessage(tApp, setStatus.error)}
            </p>
          ) : null}
          {addingEvidence && (
            <EvidenceForm
              personId={person.id}
              nationality={nationality}
              countryName={name}
              onDone={() => setAddingEvidence(false)}
            />
          )}
        </>
      )}
    </li>
  );
}

function EvidenceForm({
  personId,
  nationality,
  countryName,
  onDone,
}: {
  personId: string;
  nationality: Nationality;
  countryName: string;
  onDone: () => void;
}) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const save = useSavePerson(personId);
  const base = `evidence-${useId().replaceAll(':', '')}`;
  const ids = {
    kind: `${base}-kind`,
    reference: `${base}-reference`,
    outcome: `${base}-outcome`,
    recordedOn: `${base}-recorded-on`,
  };
  const [form, setForm] = useState({
    kind: 'document' as EvidenceInput['kind'],
    reference: '',
    outcome: 'pending' as EvidenceInput['outcome'],
    recordedOn: '',
  });
  const add = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/persons/{id}/nationalities/{childId}/evidence', {
          params: { path: { id: personId, childId: nationality.id } },
          body: {
            kind: form.kind,
            reference: form.reference,
            outcome: form.outcome,
            ...(form.recordedOn ? { recordedOn: form.recordedOn } : {}),
          },
        }),
      ),
    onSuccess: (saved) => {
      save(saved);
      onDone();
    },
  });
  const errors = formErrorsFrom(tApp, add.error, ids);
  const dna = form.kind === 'dna_referral' || form.kind === 'dna_result';
  return (
    <form
      noValidate
      className="stack add-form"
      aria-labelledby={`${base}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h5 id={`${base}-heading`}>{t('identity.evidenceTitle', { country: countryName })}</h5>
      <ErrorSummary messages={errors.summary} />
      <div className="form-grid">
        <SelectField
          id={ids.kind}
          label={t('identity.evidenceKind')}
          value={form.kind}
          error={errors.byPath.kind}
          options={EVIDENCE_KINDS.map((k) => ({ value: k, label: label('evidenceKind', k) }))}
          onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as EvidenceInput['kind'] }))}
        />
        <SelectField
          id={ids.outcome}
          label={t('identity.evidenceOutcome')}
          value={form.outcome}
          error={errors.byPath.outcome}
          options={EVIDENCE_OUTCOMES.map((o) => ({ value: o, label: label('evidenceOutcome', o) }))}
          onChange={(e) => setForm((f) => ({ ...f, outcome: e.target.value as EvidenceInput['outcome'] }))}
        />
      </div>
      <Field
        id={ids.reference}
        label={t('identity.evidenceReference')}
        hint={dna ? t('identity.evidenceReferenceDnaHint') : t('identity.evidenceReferenceHint')}
        value={form.reference}
        error={errors.byPath.reference}
        dir="auto"
        maxLength={300}
        onChange={(e) => setForm((f) => ({ ...f, reference: e.target.value }))}
      />
      <Field
        id={ids.recordedOn}
        type="date"
        label={t('identity.evidenceRecordedOn')}
        hint={t('identity.defaultsToToday')}
        value={form.recordedOn}
        error={errors.byPath.recordedOn}
        onChange={(e) => setForm((f) => ({ ...f, recordedOn: e.target.value }))}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? t('common.saving') : t('identity.saveEvidence')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

const NATIONALITY_FIELD_IDS = { country: 'nationality-country', status: 'nationality-status' };

function AddNationalityForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const country = useCountryName();
  const save = useSavePerson(personId);
  const [code, setCode] = useState('');
  const [status, setStatus] = useState<NationalityInput['status']>('claimed');
  const add = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/persons/{id}/nationalities', {
          params: { path: { id: personId } },
          body: { country: code, status },
        }),
      ),
    onSuccess: (saved) => {
      save(saved);
      onDone();
    },
  });
  const errors = formErrorsFrom(tApp, add.error, NATIONALITY_FIELD_IDS);
  const typed = code.trim().toUpperCase();
  return (
    <form
      noValidate
      className="stack add-form"
      aria-labelledby="add-nationality-heading"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h5 id="add-nationality-heading">{t('identity.addClaimTitle')}</h5>
      <ErrorSummary messages={errors.summary} />
      <Field
        id="nationality-country"
        label={t('identity.country')}
        hint={t('identity.countryHint')}
        value={code}
        error={errors.byPath.country}
        maxLength={2}
        autoComplete="off"
        onChange={(e) => setCode(e.target.value)}
      />
      <p className="field-hint" aria-live="polite">
        {/^[A-Z]{2}$/.test(typed) && country(typed) !== typed ? country(typed) : ''}
      </p>
      <SelectField
        id="nationality-status"
        label={t('identity.status')}
        value={status}
        error={errors.byPath.status}
        options={NATIONALITY_STATUSES.map((s) => ({ value: s, label: label('nationalityStatus', s) }))}
        onChange={(e) => setStatus(e.target.value as NationalityInput['status'])}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? t('common.saving') : t('identity.saveClaim')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** One identity document; with persons:write its status changes here (lost, confiscated, issued…). */
function DocumentItem({
  person,
  document: doc,
  canEdit,
}: {
  person: Person;
  document: IdentityDocument;
  canEdit: boolean;
}) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const fmt = useFormatters();
  const label = useLabel();
  const queryClient = useQueryClient();
  const save = useSavePerson(person.id);
  const base = `document-${doc.id.slice(0, 8)}`;
  const [status, setStatus] = useState<IdentityDocument['status']>(doc.status);
  const [announced, setAnnounced] = useState('');
  /** The document as it is now on the server, when a change of someone else's got in first. */
  const [conflict, setConflict] = useState<IdentityDocument | null>(null);
  const change = useMutation({
    mutationFn: (input: { status: IdentityDocument['status']; version: number }) =>
      call(
        api.PATCH('/api/persons/{id}/documents/{childId}', {
          params: { path: { id: person.id, childId: doc.id } },
          body: { version: input.version, status: input.status },
        }),
      ),
    onSuccess: (saved, input) => {
      save(saved);
      setConflict(null);
      setAnnounced(
        t('identity.documentStatusChanged', {
          document: label('documentType', doc.documentType),
          status: label('documentStatus', input.status),
        }),
      );
    },
    onError: async (error) => {
      if (!isVersionConflict(error)) return;
      const current = await queryClient.fetchQuery({
        queryKey: personKeys.detail(person.id),
        queryFn: () => call(api.GET('/api/persons/{id}', { params: { path: { id: person.id } } })),
        staleTime: 0,
      });
      const now = current.documents.find((d) => d.id === doc.id);
      if (now) setConflict(now);
    },
  });
  const errorText =
    change.error && !isVersionConflict(change.error) ? apiMessage(tApp, change.error) : undefined;
  const typeLabel = label('documentType', doc.documentType);
  return (
    <li>
      <strong>{typeLabel}</strong>
      {doc.number && (
        <>
          {' '}
          <bdi>{doc.number}</bdi>
        </>
      )}{' '}
      — <span className={`status-tag status-${doc.status}`}>{label('documentStatus', doc.status)}</span>
      <br />
      <span className="muted">
        {t('identity.issuer')}: <bdi>{doc.issuer}</bdi>
        {doc.issuedOn && ` · ${t('identity.issuedOn')}: ${fmt.date(doc.issuedOn)}`}
        {doc.expiresOn && ` · ${t('identity.expiresOn')}: ${fmt.date(doc.expiresOn)}`}
      </span>
      <p className="status-message" role="status">
        {announced}
      </p>
      {canEdit && (
        <form
          noValidate
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate({ status, version: doc.version });
          }}
        >
          <SelectField
            id={`${base}-status`}
            label={t('identity.documentStatusOf', { document: typeLabel })}
            value={status}
            error={errorText}
            options={DOCUMENT_STATUSES.map((s) => ({ value: s, label: label('documentStatus', s) }))}
            onChange={(e) => setStatus(e.target.value as IdentityDocument['status'])}
          />
          <button
            type="submit"
            className="button button-secondary"
            disabled={change.isPending || status === doc.status}
          >
            {change.isPending ? t('common.saving') : t('identity.changeStatus')}
            <span className="visually-hidden">: {typeLabel}</span>
          </button>
        </form>
      )}
      <ConflictDialog
        open={conflict !== null}
        fields={
          conflict
            ? [
                {
                  key: 'status',
                  label: t('identity.documentStatusOf', { document: typeLabel }),
                  mine: label('documentStatus', status),
                  theirs: label('documentStatus', conflict.status),
                },
              ]
            : []
        }
        busy={change.isPending}
        onSave={(choices) => {
          if (!conflict) return;
          const chosen = choices.status === 'theirs' ? conflict.status : status;
          setStatus(chosen);
          change.mutate({ status: chosen, version: conflict.version });
        }}
        onTakeTheirs={() => {
          if (conflict) setStatus(conflict.status);
          setConflict(null);
          change.reset();
        }}
        onReload={() => {
          setConflict(null);
          change.reset();
        }}
        onClose={() => {
          setConflict(null);
          change.reset();
        }}
      />
    </li>
  );
}

const DOCUMENT_FIELD_IDS = {
  documentType: 'document-type',
  number: 'document-number',
  issuer: 'document-issuer',
  status: 'document-status',
  issuedOn: 'document-issued-on',
  expiresOn: 'document-expires-on',
};

function AddDocumentForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const save = useSavePerson(personId);
  const [form, setForm] = useState({
    documentType: 'passport' as DocumentInput['documentType'],
    number: '',
    issuer: '',
    status: 'issued' as DocumentInput['status'],
    issuedOn: '',
    expiresOn: '',
  });
  const set = (key: keyof typeof form, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const add = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/persons/{id}/documents', {
          params: { path: { id: personId } },
          body: {
            documentType: form.documentType,
            number: form.number.trim() || null,
            issuer: form.issuer,
            status: form.status,
            issuedOn: form.issuedOn || null,
            expiresOn: form.expiresOn || null,
          },
        }),
      ),
    onSuccess: (saved) => {
      save(saved);
      onDone();
    },
  });
  const errors = formErrorsFrom(tApp, add.error, DOCUMENT_FIELD_IDS);
  return (
    <form
      noValidate
      className="stack add-form"
      aria-labelledby="add-document-heading"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h5 id="add-document-heading">{t('identity.addDocumentTitle')}</h5>
      <ErrorSummary messages={errors.summary} />
      <div className="form-grid">
        <SelectField
          id="document-type"
          label={t('identity.documentType')}
          value={form.documentType}
          error={errors.byPath.documentType}
          options={DOCUMENT_TYPES.map((d) => ({ value: d, label: label('documentType', d) }))}
          onChange={(e) => set('documentType', e.target.value)}
        />
        <SelectField
          id="document-status"
          label={t('identity.status')}
          value={form.status}
          error={errors.byPath.status}
          options={DOCUMENT_STATUSES.map((s) => ({ value: s, label: label('documentStatus', s) }))}
          onChange={(e) => set('status', e.target.value)}
        />
        <Field
          id="document-number"
          label={t('identity.number')}
          hint={t('identity.optional')}
          value={form.number}
          error={errors.byPath.number}
          dir="auto"
          maxLength={100}
          onChange={(e) => set('number', e.target.value)}
        />
        <Field
          id="document-issuer"
          label={t('identity.issuer')}
          hint={t('identity.issuerHint')}
          value={form.issuer}
          error={errors.byPath.issuer}
          dir="auto"
          maxLength={200}
          onChange={(e) => set('issuer', e.target.value)}
        />
        <Field
          id="document-issued-on"
          type="date"
          label={t('identity.issuedOn')}
          hint={t('identity.optional')}
          value={form.issuedOn}
          error={errors.byPath.issuedOn}
          onChange={(e) => set('issuedOn', e.target.value)}
        />
        <Field
          id="document-expires-on"
          type="date"
          label={t('identity.expiresOn')}
          hint={t('identity.optional')}
          value={form.expiresOn}
          error={errors.byPath.expiresOn}
          onChange={(e) => set('expiresOn', e.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? t('common.saving') : t('identity.saveDocument')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
