import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { Link } from '../../app/router.tsx';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom, NO_ERRORS } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  type Consent,
  type CreateReferral,
  caseworkKeys,
  type Provider,
  type ProviderFilters,
  type Referral,
  SERVICE_TYPES,
  type ServiceType,
  useAgencyName,
  useCaseRecord,
  usePermissions,
  useProviders,
} from './api.ts';
import { SelectField, SuccessMessage, TextAreaField } from './fields.tsx';
import './casework.css';

/** The server's shortest accepted override justification (modules/access/consent.ts). */
export const OVERRIDE_REASON_MIN = 20;

/** Referrals of the case to agencies and service providers, with the consent gate. */
export function ReferralsSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  const { can } = usePermissions();
  const [saved, setSaved] = useState<string>();
  const [adding, setAdding] = useState(false);
  const referrals = useQuery({
    queryKey: caseworkKeys.referrals(caseId),
    queryFn: async () => {
      const all = await call(api.GET('/api/referrals', { params: { query: { direction: 'outgoing' } } }));
      return all.filter((r) => r.caseId === caseId);
    },
  });
  const caseRecord = useCaseRecord(caseId);
  const personId = caseRecord.data?.person.id;

  return (
    <section className="casework-section" aria-labelledby={`referrals-${caseId}`}>
      <h2 id={`referrals-${caseId}`}>{t('referrals.heading')}</h2>
      <SuccessMessage message={saved} />
      {personId && <ConsentSummary caseId={caseId} personId={personId} />}
      {referrals.isPending ? (
        <Loading />
      ) : referrals.isError ? (
        <QueryError error={referrals.error} onRetry={() => referrals.refetch()} />
      ) : referrals.data.length === 0 ? (
        <Empty>{t('referrals.empty')}</Empty>
      ) : (
        <ul className="casework-list">
          {referrals.data.map((referral) => (
            <ReferralItem key={referral.id} referral={referral} />
          ))}
        </ul>
      )}
      {can('cases:write') &&
        (adding ? (
          <NewReferralForm
            caseId={caseId}
            onDone={(message) => {
              setAdding(false);
              if (message) setSaved(message);
            }}
          />
        ) : (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {t('referrals.new')}
          </button>
        ))}
    </section>
  );
}

function ReferralItem({ referral }: { referral: Referral }) {
  const { t } = useTranslation('casework');
  const { date, dateTime } = useFormatters();
  const agencyName = useAgencyName();
  return (
    <li>
      <p className="casework-item-title">
        {t(`service.${referral.serviceType}`)} → {agencyName(referral.toAgencyId) ?? t('unknownAgency')}
      </p>
      <dl className="casework-meta">
        <div>
          <dt>{t('referrals.statusLabel')}</dt>
          <dd>
            <span className={`casework-badge casework-badge-${referral.status}`}>
              {t(`referrals.status.${referral.status}`)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('referrals.urgency')}</dt>
          <dd>{t(`referrals.urgencyLevel.${referral.urgency}`)}</dd>
        </div>
        <div>
          <dt>{t('referrals.basis')}</dt>
          <dd>{t(`referrals.basisValue.${referral.consentBasis}`)}</dd>
        </div>
        <div>
          <dt>{t('referrals.sent')}</dt>
          <dd>{date(referral.createdAt)}</dd>
        </div>
        {referral.decidedAt && (
          <div>
            <dt>{t('referrals.decided')}</dt>
            <dd>{dateTime(referral.decidedAt)}</dd>
          </div>
        )}
        {referral.declineReason && (
          <div>
            <dt>{t('referrals.declineReason')}</dt>
            <dd>{referral.declineReason}</dd>
          </div>
        )}
      </dl>
      <p className="casework-body">{referral.packetSummary}</p>
    </li>
  );
}

/** Whether the person's current referral consent covers a referral, and to whom. */
function ConsentSummary({ caseId, personId }: { caseId: string; personId: string }) {
  const { t } = useTranslation('casework');
  const { can } = usePermissions();
  const { date } = useFormatters();
  const agencyName = useAgencyName();
  const consents = useQuery({
    queryKey: caseworkKeys.consents(personId),
    enabled: can('consents:read'),
    queryFn: () => call(api.GET('/api/consents', { params: { query: { personId } } })),
  });
  if (!can('consents:read')) {
    return <p className="notice">{t('consent.cannotSee')}</p>;
  }
  if (consents.isPending) return <Loading />;
  if (consents.isError) return <QueryError error={consents.error} onRetry={() => consents.refetch()} />;
  const current: Consent | undefined = consents.data
    .filter((c) => c.purpose === 'referral')
    .sort((a, b) => b.version - a.version)[0];
  let text: string;
  if (!current) text = t('consent.none');
  else if (current.effective)
    text = current.recipientAgencyId
      ? t('consent.coversOne', { agency: agencyName(current.recipientAgencyId) ?? t('unknownAgency') })
      : t('consent.coversAll');
  else if (current.withdrawnAt) text = t('consent.withdrawn', { date: date(current.withdrawnAt) });
  else if (current.decision === 'refused') text = t('consent.refused');
  else text = t('consent.notEffective');
  return (
    <div
      className={
        current?.effective ? 'notice casework-consent' : 'notice casework-consent casework-consent-missing'
      }
    >
      <p>
        <strong>{t('consent.label')}</strong> {text}
      </p>
      {current?.validUntil && current.effective && (
        <p className="muted">{t('consent.validUntil', { date: date(current.validUntil) })}</p>
      )}
      <p className="muted">{t('consent.ownAgency')}</p>
      {!current?.effective && <ConsentSectionLink caseId={caseId} />}
    </div>
  );
}

/** Where the consent is recorded: the case file's consent section. */
function ConsentSectionLink({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  return (
    <p>
      <Link to={`/cases/${caseId}/consent`}>{t('consent.recordLink')}</Link>
    </p>
  );
}

function NewReferralForm({ caseId, onDone }: { caseId: string; onDone: (message?: string) => void }) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const id = useId();
  const [filters, setFilters] = useState<ProviderFilters>({});
  const [search, setSearch] = useState<ProviderFilters>({});
  const providers = useProviders(search);
  const [toAgencyId, setToAgencyId] = useState('');
  const [serviceType, setServiceType] = useState<ServiceType | ''>('');
  const [packetSummary, setPacketSummary] = useState('');
  const [urgency, setUrgency] = useState<'normal' | 'urgent'>('normal');
  const [overrideReason, setOverrideReason] = useState('');
  const [overrideError, setOverrideError] = useState<string>();
  const [overrideOffered, setOverrideOffered] = useState(false);

  const mutation = useMutation({
    mutationFn: (withOverride: boolean) => {
      const body: CreateReferral = {
        toAgencyId,
        serviceType: serviceType as ServiceType,
        packetSummary,
        urgency,
        ...(withOverride ? { override: { reason: overrideReason } } : {}),
      };
      return call(api.POST('/api/cases/{id}/referrals', { params: { path: { id: caseId } }, body }));
    },
    onSuccess: (referral) => {
      queryClient.setQueryData<Referral[]>(caseworkKeys.referrals(caseId), (old) => [
        referral,
        ...(old ?? []),
      ]);
      onDone(
        referral.consentBasis === 'override' ? t('referrals.sentWithOverride') : t('referrals.sentMessage'),
      );
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'CONSENT_REQUIRED') setOverrideOffered(true);
    },
  });
  const consentRequired = isApiError(mutation.error) && mutation.error.code === 'CONSENT_REQUIRED';
  const mayOverride =
    can('referrals:override_consent') &&
    !(isApiError(mutation.error) && mutation.error.details?.overridable === false);

  const fieldIds = {
    toAgencyId: `${id}-providers`,
    serviceType: `${id}-service`,
    packetSummary: `${id}-packet`,
    urgency: `${id}-urgency`,
    'override.reason': `${id}-override`,
  };
  const errors = consentRequired ? NO_ERRORS : formErrorsFrom(tApp, mutation.error, fieldIds);
  const overrideFieldError = overrideError ?? errors.byPath['override.reason'];

  const submitOverride = () => {
    if (overrideReason.trim().length < OVERRIDE_REASON_MIN) {
      setOverrideError(t('referrals.overrideTooShort', { count: OVERRIDE_REASON_MIN }));
      document.getElementById(fieldIds['override.reason'])?.focus();
      return;
    }
    setOverrideError(undefined);
    mutation.mutate(true);
  };

  return (
    <div className="card casework-form">
      <h3>{t('referrals.newHeading')}</h3>
      <form
        className="casework-search"
        aria-label={t('referrals.directorySearch')}
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(filters);
        }}
      >
        <SelectField
          id={`${id}-filter-service`}
          label={t('referrals.filterService')}
          value={filters.service ?? ''}
          onChange={(e) =>
            setFilters((f) => ({ ...f, service: (e.target.value || undefined) as ServiceType | undefined }))
          }
          options={SERVICE_TYPES.map((s) => ({ value: s, label: t(`service.${s}`) }))}
          placeholder={t('referrals.any')}
        />
        <Field
          id={`${id}-filter-region`}
          label={t('referrals.filterRegion')}
          value={filters.region ?? ''}
          onChange={(e) => setFilters((f) => ({ ...f, region: e.target.value || undefined }))}
        />
        <Field
          id={`${id}-filter-language`}
          label={t('referrals.filterLanguage')}
          hint={t('referrals.filterLanguageHint')}
          value={filters.language ?? ''}
          onChange={(e) => setFilters((f) => ({ ...f, language: e.target.value || undefined }))}
        />
        <Field
          id={`${id}-filter-name`}
          label={t('referrals.filterName')}
          value={filters.q ?? ''}
          onChange={(e) => setFilters((f) => ({ ...f, q: e.target.value || undefined }))}
        />
        <button type="submit" className="button button-secondary">
          {t('referrals.searchDirectory')}
        </button>
      </form>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          mutation.mutate(false);
        }}
      >
        <ErrorSummary messages={errors.summary} />
        <fieldset
          id={fieldIds.toAgencyId}
          tabIndex={-1}
          className={errors.byPath.toAgencyId ? 'casework-fieldset field-invalid' : 'casework-fieldset'}
          aria-describedby={errors.byPath.toAgencyId ? `${id}-providers-error` : undefined}
        >
          <legend>{t('referrals.recipient')}</legend>
          {errors.byPath.toAgencyId && (
            <p id={`${id}-providers-error`} className="field-error">
              {errors.byPath.toAgencyId}
            </p>
          )}
          {providers.isPending ? (
            <Loading />
          ) : providers.isError ? (
            <QueryError error={providers.error} onRetry={() => providers.refetch()} />
          ) : providers.data.length === 0 ? (
            <Empty>{t('referrals.noProviders')}</Empty>
          ) : (
            <ul className="casework-providers" aria-live="polite">
              {providers.data.map((provider) => (
                <ProviderChoice
                  key={provider.agencyId}
                  name={`${id}-provider`}
                  provider={provider}
                  checked={toAgencyId === provider.agencyId}
                  onChange={() => {
                    setToAgencyId(provider.agencyId);
                    if (!serviceType && search.service) setServiceType(search.service);
                  }}
                />
              ))}
            </ul>
          )}
        </fieldset>
        <SelectField
          id={fieldIds.serviceType}
          label={t('referrals.serviceType')}
          value={serviceType}
          onChange={(e) => setServiceType(e.target.value as ServiceType)}
          options={SERVICE_TYPES.map((s) => ({ value: s, label: t(`service.${s}`) }))}
          placeholder={t('choose')}
          error={errors.byPath.serviceType}
          required
        />
        <TextAreaField
          id={fieldIds.packetSummary}
          label={t('referrals.packet')}
          hint={t('referrals.packetHint')}
          value={packetSummary}
          onChange={(e) => setPacketSummary(e.target.value)}
          error={errors.byPath.packetSummary}
          required
          maxLength={2000}
        />
        <SelectField
          id={fieldIds.urgency}
          label={t('referrals.urgency')}
          value={urgency}
          onChange={(e) => setUrgency(e.target.value as 'normal' | 'urgent')}
          options={(['normal', 'urgent'] as const).map((u) => ({
            value: u,
            label: t(`referrals.urgencyLevel.${u}`),
          }))}
          error={errors.byPath.urgency}
        />
        {overrideOffered && (
          <div className="casework-consent-refusal" role="alert">
            <p>
              <strong>{t('referrals.consentRequired')}</strong>
            </p>
            {!mayOverride && <p>{t('referrals.consentRequiredNoOverride')}</p>}
            {can('consents:read') && <ConsentSectionLink caseId={caseId} />}
          </div>
        )}
        {overrideOffered && mayOverride && (
          <fieldset className="casework-fieldset casework-override">
            <legend>{t('referrals.override')}</legend>
            <TextAreaField
              id={fieldIds['override.reason']}
              label={t('referrals.overrideReason')}
              hint={t('referrals.overrideHint', { count: OVERRIDE_REASON_MIN })}
              value={overrideReason}
              onChange={(e) => setOverrideReason(e.target.value)}
              error={overrideFieldError}
              required
              maxLength={1000}
            />
            <button
              type="button"
              className="button button-primary"
              onClick={submitOverride}
              disabled={mutation.isPending}
            >
              {t('referrals.sendWithOverride')}
            </button>
          </fieldset>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={mutation.isPending}>
            {t('referrals.send')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => onDone()}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

function ProviderChoice({
  name,
  provider,
  checked,
  onChange,
}: {
  name: string;
  provider: Provider;
  checked: boolean;
  onChange: () => void;
}) {
  const { t } = useTranslation('casework');
  const inputId = `${name}-${provider.agencyId}`;
  return (
    <li className={checked ? 'casework-provider casework-provider-chosen' : 'casework-provider'}>
      <input
        type="radio"
        id={inputId}
        name={name}
        value={provider.agencyId}
        checked={checked}
        onChange={onChange}
        disabled={!provider.acceptsReferrals}
      />
      <label htmlFor={inputId}>
        <span className="casework-item-title">{provider.name}</span>
        <span className="muted">
          {provider.services.map((s) => t(`service.${s}`)).join(', ')}
          {provider.regions.length > 0 && ` · ${provider.regions.join(', ')}`}
          {provider.languages.length > 0 && ` · ${provider.languages.join(', ')}`}
        </span>
        {!provider.acceptsReferrals && <span>{t('referrals.notAccepting')}</span>}
      </label>
    </li>
  );
}
