import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  caseworkKeys,
  type RecordService,
  SERVICE_OUTCOMES,
  SERVICE_TYPES,
  type ServiceDelivery,
  type ServiceType,
  todayIso,
  useAgencyName,
  usePermissions,
  useProviders,
} from './api.ts';
import { SelectField, SuccessMessage } from './fields.tsx';
import './casework.css';

/** Service deliveries of the case: type, provider, date, outcome. Services never depend on consent. */
export function ServicesSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('casework');
  const { date } = useFormatters();
  const { can } = usePermissions();
  const agencyName = useAgencyName();
  const [saved, setSaved] = useState<string>();
  const [adding, setAdding] = useState(false);
  const services = useQuery({
    queryKey: caseworkKeys.services(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/services', { params: { path: { id: caseId } } })),
  });
  return (
    <section className="casework-section" aria-labelledby={`services-${caseId}`}>
      <h2 id={`services-${caseId}`}>{t('services.heading')}</h2>
      <SuccessMessage message={saved} />
      {services.isPending ? (
        <Loading />
      ) : services.isError ? (
        <QueryError error={services.error} onRetry={() => services.refetch()} />
      ) : services.data.length === 0 ? (
        <Empty>{t('services.empty')}</Empty>
      ) : (
        <div className="casework-table-wrap">
          <table className="casework-table">
            <caption className="casework-sr-only">{t('services.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('services.date')}</th>
                <th scope="col">{t('services.type')}</th>
                <th scope="col">{t('services.provider')}</th>
                <th scope="col">{t('services.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {[...services.data].reverse().map((s) => (
                <tr key={s.id}>
                  <td>{date(s.deliveredOn)}</td>
                  <td>
                    {t(`service.${s.serviceType}`)}
                    {s.referralId && <span className="muted"> · {t('services.viaReferral')}</span>}
                  </td>
                  <td>{agencyName(s.providerAgencyId) ?? t('unknownAgency')}</td>
                  <td>{t(`services.outcomes.${s.outcome}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can('services:record') &&
        (adding ? (
          <RecordServiceForm
            caseId={caseId}
            onDone={(message) => {
              setAdding(false);
              if (message) setSaved(message);
            }}
          />
        ) : (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {t('services.record')}
          </button>
        ))}
    </section>
  );
}

function RecordServiceForm({ caseId, onDone }: { caseId: string; onDone: (message?: string) => void }) {
  const { t } = useTranslation('casework');
  const { t: tApp } = useTranslation();
  const queryClient = useQueryClient();
  const { agencyId, can } = usePermissions();
  const agencyName = useAgencyName();
  const providers = useProviders({});
  const referrals = useQuery({
    queryKey: caseworkKeys.referrals(caseId),
    enabled: can('cases:read'),
    queryFn: async () => {
      const all = await call(api.GET('/api/referrals', { params: { query: { direction: 'outgoing' } } }));
      return all.filter((r) => r.caseId === caseId);
    },
  });
  const id = useId();
  const [serviceType, setServiceType] = useState<ServiceType | ''>('');
  const [providerAgencyId, setProvider] = useState(agencyId ?? '');
  const [referralId, setReferralId] = useState('');
  const [deliveredOn, setDeliveredOn] = useState(todayIso());
  const [outcome, setOutcome] = useState<RecordService['outcome']>('completed');
  const mutation = useMutation({
    mutationFn: () => {
      const body: RecordService = {
        serviceType: serviceType as ServiceType,
        deliveredOn,
        outcome,
        referralId: referralId || null,
        ...(providerAgencyId ? { providerAgencyId } : {}),
      };
      return call(api.POST('/api/cases/{id}/services', { params: { path: { id: caseId } }, body }));
    },
    onSuccess: (delivery) => {
      queryClient.setQueryData<ServiceDelivery[]>(caseworkKeys.services(caseId), (old) => [
        ...(old ?? []),
        delivery,
      ]);
      onDone(t('services.saved'));
    },
  });
  const fieldIds = {
    serviceType: `${id}-type`,
    providerAgencyId: `${id}-provider`,
    referralId: `${id}-referral`,
    deliveredOn: `${id}-date`,
    outcome: `${id}-outcome`,
  };
  const errors = formErrorsFrom(tApp, mutation.error, fieldIds);
  const providerOptions = (providers.data ?? []).map((p) => ({ value: p.agencyId, label: p.name }));
  if (agencyId && !providerOptions.some((o) => o.value === agencyId)) {
    providerOptions.unshift({ value: agencyId, label: agencyName(agencyId) ?? agencyId });
  }
  return (
    <form
      className="card casework-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <h3>{t('services.recordHeading')}</h3>
      <ErrorSummary messages={errors.summary} />
      <SelectField
        id={fieldIds.serviceType}
        label={t('services.type')}
        value={serviceType}
        onChange={(e) => setServiceType(e.target.value as ServiceType)}
        options={SERVICE_TYPES.map((s) => ({ value: s, label: t(`service.${s}`) }))}
        placeholder={t('choose')}
        error={errors.byPath.serviceType}
        required
      />
      <SelectField
        id={fieldIds.providerAgencyId}
        label={t('services.provider')}
        value={providerAgencyId}
        onChange={(e) => setProvider(e.target.value)}
        options={providerOptions}
        error={errors.byPath.providerAgencyId}
      />
      {(referrals.data?.length ?? 0) > 0 && (
        <SelectField
          id={fieldIds.referralId}
          label={t('services.referral')}
          value={referralId}
          onChange={(e) => setReferralId(e.target.value)}
          options={(referrals.data ?? []).map((r) => ({
            value: r.id,
            label: `${t(`service.${r.serviceType}`)} → ${agencyName(r.toAgencyId) ?? t('unknownAgency')}`,
          }))}
          placeholder={t('services.noReferral')}
          error={errors.byPath.referralId}
        />
      )}
      <Field
        id={fieldIds.deliveredOn}
        type="date"
        label={t('services.date')}
        hint={t('services.dateHint')}
        value={deliveredOn}
        max={todayIso()}
        onChange={(e) => setDeliveredOn(e.target.value)}
        error={errors.byPath.deliveredOn}
        required
      />
      <SelectField
        id={fieldIds.outcome}
        label={t('services.outcome')}
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as RecordService['outcome'])}
        options={SERVICE_OUTCOMES.map((o) => ({ value: o, label: t(`services.outcomes.${o}`) }))}
        error={errors.byPath.outcome}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          {t('services.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone()}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
