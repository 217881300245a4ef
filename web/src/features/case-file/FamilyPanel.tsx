import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client.ts';
import { isApiError } from '../../api/errors.ts';
import { describeError } from '../../app/errorMessage.ts';
import { Link } from '../../app/router.tsx';
import { ErrorSummary } from '../../ui/ErrorSummary.tsx';
import { Field } from '../../ui/Field.tsx';
import { useFormatters } from '../../ui/format.ts';
import { formErrorsFrom } from '../../ui/formErrors.ts';
import { Empty, Loading, QueryError } from '../../ui/states.tsx';
import {
  type CareArrangement,
  type CareArrangementInput,
  type CreateRelationship,
  type Family,
  type Provenance,
  personKeys,
  type Relative,
  useFamily,
} from './api.ts';
import { apiMessage, SelectField, TextAreaField } from './fields.tsx';
import { useLabel } from './labels.ts';

const RELATIONS = ['mother', 'father', 'child', 'spouse', 'sibling', 'guardian', 'caregiver'] as const;
const PROVENANCES = ['claimed', 'documented', 'dna_confirmed'] as const;

/** Where a relative sits in the small diagram: the generation above, the same, or below. */
function generationOf(role: Relative['role']): 'up' | 'same' | 'down' {
  switch (role) {
    case 'mother':
    case 'father':
    case 'parent':
    case 'guardian':
    case 'caregiver':
      return 'up';
    case 'child':
    case 'ward':
    case 'cared_for':
      return 'down';
    case 'spouse':
    case 'sibling':
      return 'same';
    default: {
      const never: never = role;
      return never;
    }
  }
}

export interface KnownCase {
  id: string;
  caseNumber: string;
  personId: string;
}

/**
 * The family graph around a person: who, relationship, provenance, where they are now, with links
 * to their person pages and cases. The list carries everything; the diagram only repeats it.
 */
export function FamilyPanel({
  personId,
  personName,
  canEdit,
  knownCases = [],
}: {
  personId: string;
  personName: string;
  canEdit: boolean;
  knownCases?: KnownCase[];
}) {
  const { t } = useTranslation('caseFile');
  const label = useLabel();
  const family = useFamily(personId);
  const [adding, setAdding] = useState(false);
  const [provenanceOf, setProvenanceOf] = useState<Relative | null>(null);
  if (family.isPending) return <Loading />;
  if (family.isError) return <QueryError error={family.error} onRetry={() => void family.refetch()} />;
  const data = family.data;
  const caseOf = (id: string) => knownCases.find((c) => c.personId === id);
  const nameOf = (r: { displayName: string | null }) =>
    r.displayName ? <bdi>{r.displayName}</bdi> : <span className="muted">{t('family.notVisible')}</span>;

  return (
    <div className="stack">
      <section className="card" aria-labelledby="relatives-heading">
        <div className="card-heading">
          <h3 id="relatives-heading">{t('family.relatives', { count: data.relatives.length })}</h3>
          {canEdit && !adding && (
            <button type="button" className="button button-secondary" onClick={() => setAdding(true)}>
              {t('family.add')}
            </button>
          )}
        </div>
        {data.relatives.length === 0 ? (
          <Empty>{t('family.none')}</Empty>
        ) : (
          <>
            <FamilyDiagram personName={personName} relatives={data.relatives} />
            <div className="table-wrap">
              <table className="data-table">
                <caption className="visually-hidden">{t('family.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('family.who')}</th>
                    <th scope="col">{t('family.relation')}</th>
                    <th scope="col">{t('family.provenance')}</th>
                    <th scope="col">{t('family.whereabouts')}</th>
                    <th scope="col">{t('family.case')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.relatives.map((r) => {
                    const known = caseOf(r.personId);
                    return (
                      <tr key={r.relationshipId}>
                        <th scope="row">
                          {r.displayName ? <Link to={`/persons/${r.personId}`}>{nameOf(r)}</Link> : nameOf(r)}
                        </th>
                        <td data-label={t('family.relation')}>{label('role', r.role)}</td>
                        <td data-label={t('family.provenance')}>
                          {label('provenance', r.provenance)}
                          {canEdit && (
                            <>
                              {' '}
                              <button
                                type="button"
                                className="button button-link"
                                onClick={() => setProvenanceOf(r)}
                              >
                                {t('family.changeProvenance')}
                                <span className="visually-hidden">
                                  : {r.displayName ?? t('family.notVisible')}
                                </span>
                              </button>
                            </>
                          )}
                        </td>
                        <td data-label={t('family.whereabouts')}>
                          {r.whereabouts
                            ? label('whereabouts', r.whereabouts)
                            : t('family.whereaboutsUnknown')}
                        </td>
                        <td data-label={t('family.case')}>
                          {known ? <Link to={`/cases/${known.id}/overview`}>{known.caseNumber}</Link> : '—'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
        {provenanceOf && (
          <ProvenanceForm
            key={provenanceOf.relationshipId}
            personId={personId}
            relative={provenanceOf}
            onDone={() => setProvenanceOf(null)}
          />
        )}
        {adding && <AddRelationshipForm personId={personId} onDone={() => setAdding(false)} />}
      </section>
      <FamilyUnits family={data} />
      <CareArrangements family={data} personId={personId} canEdit={canEdit} />
      <TracingRequests family={data} personId={personId} canEdit={canEdit} />
    </div>
  );
}

/** A small picture of the graph: parents and carers above, spouses and siblings beside, children below. */
function FamilyDiagram({ personName, relatives }: { personName: string; relatives: Relative[] }) {
  const label = useLabel();
  const row = (generation: 'up' | 'same' | 'down') =>
    relatives.filter((r) => generationOf(r.role) === generation);
  const node = (r: Relative) => (
    <li key={r.relationshipId} className={`family-node family-node-${r.provenance}`}>
      <span className="family-role">{label('role', r.role)}</span>
      <bdi>{r.displayName ?? '?'}</bdi>
      <span className="family-where">{r.whereabouts ? label('whereabouts', r.whereabouts) : '?'}</span>
    </li>
  );
  return (
    <div className="family-diagram" aria-hidden="true">
      <ul className="family-row">{row('up').map(node)}</ul>
      <ul className="family-row">
        {row('same').map(node)}
        <li className="family-node family-node-self">
          <bdi>{personName}</bdi>
        </li>
      </ul>
      <ul className="family-row">{row('down').map(node)}</ul>
    </div>
  );
}

const RELATIONSHIP_FIELD_IDS = {
  relatedPersonId: 'relationship-person',
  relation: 'relationship-relation',
  provenance: 'relationship-provenance',
};

/** Where an error without a path belongs: an impossible or repeated link is about the relation. */
function relationshipErrors(tApp: Parameters<typeof formErrorsFrom>[0], error: unknown) {
  const errors = formErrorsFrom(tApp, error, RELATIONSHIP_FIELD_IDS);
  if (isApiError(error) && error.status < 500 && Object.keys(errors.byPath).length === 0) {
    const path = error.code === 'RELATIONSHIP_EXISTS' ? 'relatedPersonId' : 'relation';
    return {
      byPath: { [path]: error.message },
      summary: [{ text: error.message, fieldId: RELATIONSHIP_FIELD_IDS[path] }],
    };
  }
  return errors;
}

function AddRelationshipForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState('');
  const [relatedPersonId, setRelatedPersonId] = useState('');
  const [relation, setRelation] = useState<CreateRelationship['relation']>('child');
  const [provenance, setProvenance] = useState<CreateRelationship['provenance']>('claimed');
  const search = useQuery({
    queryKey: ['persons', 'search', query.trim()],
    queryFn: () => call(api.GET('/api/persons', { params: { query: { q: query.trim(), limit: 20 } } })),
    enabled: query.trim().length >= 2,
  });
  const add = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/persons/{id}/relationships', {
          params: { path: { id: personId } },
          body: { relatedPersonId, relation, provenance },
        }),
      ),
    onSuccess: (family) => {
      queryClient.setQueryData(personKeys.family(personId), family);
      void queryClient.invalidateQueries({ queryKey: ['person'] });
      onDone();
    },
  });
  const errors = relationshipErrors(tApp, add.error);
  const candidates = (search.data?.items ?? []).filter((p) => p.id !== personId);
  return (
    <form
      noValidate
      className="stack add-form"
      aria-labelledby="add-relationship-heading"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h4 id="add-relationship-heading">{t('family.addTitle')}</h4>
      <ErrorSummary messages={errors.summary} />
      <div className="field">
        <label htmlFor="relationship-search">{t('family.search')}</label>
        <p className="field-hint" id="relationship-search-hint">
          {t('family.searchHint')}
        </p>
        <input
          id="relationship-search"
          type="search"
          dir="auto"
          value={query}
          aria-describedby="relationship-search-hint"
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className={errors.byPath.relatedPersonId ? 'field field-invalid' : 'field'}>
        <label htmlFor="relationship-person">{t('family.relatedPerson')}</label>
        {errors.byPath.relatedPersonId && (
          <p className="field-error" id="relationship-person-error">
            {errors.byPath.relatedPersonId}
          </p>
        )}
        <select
          id="relationship-person"
          value={relatedPersonId}
          aria-invalid={errors.byPath.relatedPersonId ? true : undefined}
          aria-describedby={errors.byPath.relatedPersonId ? 'relationship-person-error' : undefined}
          onChange={(e) => setRelatedPersonId(e.target.value)}
        >
          <option value="">{search.isFetching ? t('family.searching') : t('family.choose')}</option>
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName ?? p.id.slice(0, 8)} · {label('sex', p.sex)}
              {p.ageBand ? ` · ${label('ageBand', p.ageBand)}` : ''}
            </option>
          ))}
        </select>
        <p className="field-hint" role="status">
          {query.trim().length >= 2 && search.isSuccess
            ? t('family.found', { count: candidates.length })
            : ''}
        </p>
      </div>
      <div className={errors.byPath.relation ? 'field field-invalid' : 'field'}>
        <label htmlFor="relationship-relation">{t('family.relationIs')}</label>
        {errors.byPath.relation && (
          <p className="field-error" id="relationship-relation-error">
            {errors.byPath.relation}
          </p>
        )}
        <select
          id="relationship-relation"
          value={relation}
          aria-invalid={errors.byPath.relation ? true : undefined}
          aria-describedby={errors.byPath.relation ? 'relationship-relation-error' : undefined}
          onChange={(e) => setRelation(e.target.value as CreateRelationship['relation'])}
        >
          {RELATIONS.map((r) => (
            <option key={r} value={r}>
              {label('role', r)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="relationship-provenance">{t('family.provenance')}</label>
        <select
          id="relationship-provenance"
          value={provenance}
          onChange={(e) => setProvenance(e.target.value as CreateRelationship['provenance'])}
        >
          {PROVENANCES.map((p) => (
            <option key={p} value={p}>
              {label('provenance', p)}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? t('common.saving') : t('family.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * How a link is established: claimed → documented (a civil record) → DNA-confirmed (a laboratory
 * result, recorded as a reference). A documented parent link is what the stage-1 precondition
 * "filiation documented" asks for.
 */
function ProvenanceForm({
  personId,
  relative,
  onDone,
}: {
  personId: string;
  relative: Relative;
  onDone: () => void;
}) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const [provenance, setProvenance] = useState<Provenance>(relative.provenance);
  // The form opens below the table: take the keyboard there, to the heading naming the relative.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/relationships/{id}/provenance', {
          params: { path: { id: relative.relationshipId } },
          body: { provenance },
        }),
      ),
    onSuccess: (family) => {
      queryClient.setQueryData(personKeys.family(personId), family);
      void queryClient.invalidateQueries({ queryKey: ['person'] });
      // The stage preconditions (filiation documented) are read by the case screens.
      void queryClient.invalidateQueries({ queryKey: ['case'] });
      onDone();
    },
  });
  const errorText = apiMessage(tApp, save.error);
  return (
    <form
      noValidate
      className="stack add-form"
      aria-labelledby="provenance-heading"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h4 id="provenance-heading" ref={heading} tabIndex={-1}>
        {t('family.provenanceTitle', { role: label('role', relative.role) })}
        {relative.displayName ? (
          <>
            : <bdi>{relative.displayName}</bdi>
          </>
        ) : null}
      </h4>
      <fieldset className={errorText ? 'fieldset field-invalid' : 'fieldset'}>
        <legend>{t('family.provenanceLegend')}</legend>
        {errorText && (
          <p className="field-error" id="provenance-error">
            {errorText}
          </p>
        )}
        {PROVENANCES.map((p) => (
          <div className="field-checkbox provenance-option" key={p}>
            <input
              id={`provenance-${p}`}
              type="radio"
              name="provenance"
              value={p}
              checked={provenance === p}
              aria-describedby={`provenance-${p}-hint${errorText ? ' provenance-error' : ''}`}
              onChange={() => setProvenance(p)}
            />
            <label htmlFor={`provenance-${p}`}>{label('provenance', p)}</label>
            <p className="field-hint" id={`provenance-${p}-hint`}>
              {t(`family.provenanceHint.${p}`)}
            </p>
          </div>
        ))}
      </fieldset>
      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={save.isPending || provenance === relative.provenance}
        >
          {save.isPending ? t('common.saving') : t('family.saveProvenance')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function FamilyUnits({ family }: { family: Family }) {
  const { t } = useTranslation('caseFile');
  return (
    <section className="card" aria-labelledby="family-units-heading">
      <h3 id="family-units-heading">{t('family.units')}</h3>
      {family.familyUnits.length === 0 ? (
        <Empty>{t('family.noUnits')}</Empty>
      ) : (
        <ul className="record-list">
          {family.familyUnits.map((unit) => (
            <li key={unit.id}>
              <strong>
                <bdi>{unit.reference}</bdi>
              </strong>
              <ul className="tags">
                {unit.members.map((m) => (
                  <li key={m.personId}>
                    {m.displayName ? (
                      <Link to={`/persons/${m.personId}`}>
                        <bdi>{m.displayName}</bdi>
                      </Link>
                    ) : (
                      t('family.notVisible')
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Family-based care first: the order the kinds are offered in, as DOMAIN.md asks. */
const CARE_KINDS = ['family_based', 'kinship', 'foster', 'institution'] as const;

/** Where and with whom the child lives: every arrangement with its dates; record a new one, end one. */
function CareArrangements({
  family,
  personId,
  canEdit,
}: {
  family: Family;
  personId: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation('caseFile');
  const fmt = useFormatters();
  const label = useLabel();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<string | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const nameOf = (id: string | null) => {
    if (!id) return null;
    const relative = family.relatives.find((r) => r.personId === id);
    return relative?.displayName ? <bdi>{relative.displayName}</bdi> : <code>{id.slice(0, 8)}</code>;
  };
  return (
    <section className="card" aria-labelledby="care-heading">
      <div className="card-heading">
        <h3 id="care-heading">{t('family.care')}</h3>
        {canEdit && !adding && (
          <button type="button" className="button button-secondary" onClick={() => setAdding(true)}>
            {t('family.addCare')}
          </button>
        )}
      </div>
      {family.careArrangements.length === 0 ? (
        <Empty>{t('family.noCare')}</Empty>
      ) : (
        <ul className="record-list">
          {family.careArrangements.map((c) => {
            const endable = c.endsOn === null || c.endsOn >= today;
            return (
              <li key={c.id}>
                <strong>{label('careKind', c.kind)}</strong>
                {c.current && <> ({t('family.current')})</>}
                {c.caregiverPersonId && (
                  <>
                    {' — '}
                    {t('family.caregiver')}: {nameOf(c.caregiverPersonId)}
                  </>
                )}
                <br />
                <span className="muted">
                  {fmt.date(c.startsOn)} – {c.endsOn ? fmt.date(c.endsOn) : t('family.ongoing')}
                </span>
                {c.reason && (
                  <p>
                    {t('family.reason')}: <bdi>{c.reason}</bdi>
                  </p>
                )}
                {canEdit && endable && ending !== c.id && (
                  <div className="actions">
                    <button type="button" className="button button-secondary" onClick={() => setEnding(c.id)}>
                      {t('family.endCare')}
                      <span className="visually-hidden">: {label('careKind', c.kind)}</span>
                    </button>
                  </div>
                )}
                {ending === c.id && (
                  <EndCareForm
                    personId={personId}
                    arrangement={c}
                    today={today}
                    onDone={() => setEnding(null)}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {adding && <AddCareForm family={family} personId={personId} onDone={() => setAdding(false)} />}
    </section>
  );
}

const CARE_FIELD_IDS = {
  kind: 'care-kind',
  caregiverPersonId: 'care-caregiver',
  startsOn: 'care-starts-on',
  endsOn: 'care-ends-on',
  reason: 'care-reason',
};

function AddCareForm({ family, personId, onDone }: { family: Family; personId: string; onDone: () => void }) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    kind: 'family_based' as CareArrangementInput['kind'],
    caregiverPersonId: '',
    startsOn: new Date().toISOString().slice(0, 10),
    endsOn: '',
    reason: '',
  });
  const set = (key: keyof typeof form, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const add = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/persons/{id}/care-arrangements', {
          params: { path: { id: personId } },
          body: {
            kind: form.kind,
            caregiverPersonId: form.caregiverPersonId || null,
            startsOn: form.startsOn,
            endsOn: form.endsOn || null,
            reason: form.reason.trim() || null,
          },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(personKeys.family(personId), saved);
      onDone();
    },
  });
  const errors = formErrorsFrom(tApp, add.error, CARE_FIELD_IDS);
  const relatives = family.relatives.filter(
    (r, i, all) => r.displayName !== null && all.findIndex((o) => o.personId === r.personId) === i,
  );
  const institution = form.kind === 'institution';
  return (
    <form
      noValidate
      className="stack add-form"
      aria-labelledby="add-care-heading"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h4 id="add-care-heading">{t('family.addCareTitle')}</h4>
      <p className="field-hint">{t('family.careFamilyFirst')}</p>
      <ErrorSummary messages={errors.summary} />
      <SelectField
        id="care-kind"
        label={t('family.careKind')}
        value={form.kind}
        error={errors.byPath.kind}
        options={CARE_KINDS.map((k) => ({ value: k, label: label('careKind', k) }))}
        onChange={(e) => set('kind', e.target.value)}
      />
      <SelectField
        id="care-caregiver"
        label={t('family.caregiver')}
        hint={relatives.length === 0 ? t('family.caregiverNone') : t('family.caregiverHint')}
        value={form.caregiverPersonId}
        error={errors.byPath.caregiverPersonId}
        options={[
          { value: '', label: institution ? t('family.noCaregiver') : t('family.choose') },
          ...relatives.map((r) => ({
            value: r.personId,
            label: `${r.displayName ?? ''} · ${label('role', r.role)}`,
          })),
        ]}
        onChange={(e) => set('caregiverPersonId', e.target.value)}
      />
      <div className="form-grid">
        <Field
          id="care-starts-on"
          type="date"
          label={t('family.startsOn')}
          value={form.startsOn}
          error={errors.byPath.startsOn}
          onChange={(e) => set('startsOn', e.target.value)}
        />
        <Field
          id="care-ends-on"
          type="date"
          label={t('family.endsOn')}
          hint={t('family.endsOnHint')}
          value={form.endsOn}
          error={errors.byPath.endsOn}
          onChange={(e) => set('endsOn', e.target.value)}
        />
      </div>
      <TextAreaField
        id="care-reason"
        label={institution ? t('family.reasonInstitution') : t('family.reasonOptional')}
        hint={institution ? t('family.reasonInstitutionHint') : undefined}
        rows={3}
        maxLength={1000}
        dir="auto"
        value={form.reason}
        error={errors.byPath.reason}
        onChange={(e) => set('reason', e.target.value)}
      />
      <p className="field-hint">{t('family.careEndsCurrent')}</p>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? t('common.saving') : t('family.saveCare')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function EndCareForm({
  personId,
  arrangement,
  today,
  onDone,
}: {
  personId: string;
  arrangement: CareArrangement;
  today: string;
  onDone: () => void;
}) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const id = `care-end-${arrangement.id.slice(0, 8)}`;
  const [endsOn, setEndsOn] = useState(today);
  const end = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/care-arrangements/{id}/end', {
          params: { path: { id: arrangement.id } },
          body: { endsOn },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(personKeys.family(personId), saved);
      onDone();
    },
  });
  const errors = formErrorsFrom(tApp, end.error, { endsOn: id });
  // An error the API does not pin to a field (a 409: already ended) belongs to the date asked for.
  const error = errors.byPath.endsOn ?? (end.error ? apiMessage(tApp, end.error) : undefined);
  return (
    <form
      noValidate
      className="stack add-form"
      aria-label={t('family.endCareTitle', { kind: label('careKind', arrangement.kind) })}
      onSubmit={(e) => {
        e.preventDefault();
        end.mutate();
      }}
    >
      <Field
        id={id}
        type="date"
        label={t('family.lastDay')}
        hint={t('family.lastDayHint')}
        value={endsOn}
        error={error}
        onChange={(e) => setEndsOn(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={end.isPending}>
          {end.isPending ? t('common.saving') : t('family.confirmEndCare')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

const TRACING_NEXT = ['located', 'not_found', 'withdrawn'] as const;

function TracingRequests({
  family,
  personId,
  canEdit,
}: {
  family: Family;
  personId: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation('caseFile');
  const { t: tApp } = useTranslation();
  const fmt = useFormatters();
  const label = useLabel();
  const queryClient = useQueryClient();
  const [soughtPersonId, setSought] = useState('');
  const [lastKnownLocation, setLocation] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: personKeys.family(personId) });
  const open = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/tracing-requests', {
          body: {
            soughtPersonId,
            requestingPersonId: personId,
            familyUnitId: null,
            lastKnownLocation: lastKnownLocation.trim() || null,
          },
        }),
      ),
    onSuccess: async () => {
      setSought('');
      setLocation('');
      await refresh();
    },
  });
  const update = useMutation({
    mutationFn: (input: { id: string; version: number; status: (typeof TRACING_NEXT)[number] }) =>
      call(
        api.PATCH('/api/tracing-requests/{id}', {
          params: { path: { id: input.id } },
          body: { version: input.version, status: input.status },
        }),
      ),
    // A stale version reloads the list: the request shows its current status to choose from again.
    onSettled: () => refresh(),
  });
  const errors = formErrorsFrom(tApp, open.error, {
    soughtPersonId: 'tracing-sought',
    lastKnownLocation: 'tracing-location',
  });
  const nameOf = (id: string) => {
    const relative = family.relatives.find((r) => r.personId === id);
    return relative?.displayName ? (
      <Link to={`/persons/${id}`}>
        <bdi>{relative.displayName}</bdi>
      </Link>
    ) : (
      <code>{id.slice(0, 8)}</code>
    );
  };
  const relatives = family.relatives.filter(
    (r, i, all) => all.findIndex((o) => o.personId === r.personId) === i,
  );
  return (
    <section className="card" aria-labelledby="tracing-heading">
      <h3 id="tracing-heading">{t('family.tracing')}</h3>
      {family.tracingRequests.length === 0 ? (
        <Empty>{t('family.noTracing')}</Empty>
      ) : (
        <ul className="record-list">
          {family.tracingRequests.map((r) => (
            <li key={r.id}>
              {t('family.sought')}: {nameOf(r.soughtPersonId)} —{' '}
              <strong>{label('tracingStatus', r.status)}</strong>
              <br />
              <span className="muted">
                {t('family.openedAt')}: {fmt.dateTime(r.openedAt)}
                {r.closedAt && ` · ${t('family.closedAt')}: ${fmt.dateTime(r.closedAt)}`}
                {r.lastKnownLocation && (
                  <>
                    {' · '}
                    {t('family.lastKnown')}: <bdi>{r.lastKnownLocation}</bdi>
                  </>
                )}
              </span>
              {canEdit && r.status === 'open' && (
                <div className="actions">
                  {TRACING_NEXT.map((status) => (
                    <button
                      key={status}
                      type="button"
                      className="button button-secondary"
                      disabled={update.isPending}
                      onClick={() => update.mutate({ id: r.id, version: r.version, status })}
                    >
                      {t('family.markAs', { status: label('tracingStatus', status) })}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {update.error ? (
        <p className="field-error" role="alert">
          {isApiError(update.error) && update.error.status < 500
            ? update.error.message
            : describeError(tApp, update.error)}
        </p>
      ) : null}
      {canEdit && relatives.length > 0 && (
        <form
          noValidate
          className="stack add-form"
          aria-labelledby="tracing-form-heading"
          onSubmit={(e) => {
            e.preventDefault();
            open.mutate();
          }}
        >
          <h4 id="tracing-form-heading">{t('family.openTracing')}</h4>
          <ErrorSummary messages={errors.summary} />
          <div className={errors.byPath.soughtPersonId ? 'field field-invalid' : 'field'}>
            <label htmlFor="tracing-sought">{t('family.sought')}</label>
            {errors.byPath.soughtPersonId && <p className="field-error">{errors.byPath.soughtPersonId}</p>}
            <select id="tracing-sought" value={soughtPersonId} onChange={(e) => setSought(e.target.value)}>
              <option value="">{t('family.choose')}</option>
              {relatives.map((r) => (
                <option key={r.personId} value={r.personId}>
                  {r.displayName ?? r.personId.slice(0, 8)} · {label('role', r.role)}
                </option>
              ))}
            </select>
          </div>
          <div className={errors.byPath.lastKnownLocation ? 'field field-invalid' : 'field'}>
            <label htmlFor="tracing-location">{t('family.lastKnown')}</label>
            {errors.byPath.lastKnownLocation && (
              <p className="field-error">{errors.byPath.lastKnownLocation}</p>
            )}
            <input
              id="tracing-location"
              dir="auto"
              maxLength={300}
              value={lastKnownLocation}
              onChange={(e) => setLocation(e.target.value)}
            />
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={open.isPending}>
              {open.isPending ? t('common.saving') : t('family.openTracingSubmit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
