import { useTranslation } from 'react-i18next';
import { SelectField, TextAreaField } from '../casework/fields.tsx';
import {
  type Answer,
  type Answers,
  type AssessmentFormErrors,
  type AssessmentOutput,
  type InstrumentItem,
  isVisible,
  itemIndex,
  type RenderedInstrument,
} from './api.ts';

export function itemFieldId(prefix: string, itemId: string): string {
  return `${prefix}-item-${itemId}`;
}

/**
 * An instrument rendered from its definition: domains → items with guidance, the rating scale
 * (with its "unknown / insufficient information" level), evidence references, protective factors,
 * and items that appear or disappear by the skip rules; then the output section.
 */
export function InstrumentForm({
  prefix,
  form,
  answers,
  output,
  onAnswers,
  onOutput,
  errors,
  readOnly = false,
  highlight,
}: {
  prefix: string;
  form: RenderedInstrument;
  answers: Answers;
  output: AssessmentOutput;
  onAnswers?: (answers: Answers) => void;
  onOutput?: (output: AssessmentOutput) => void;
  errors?: AssessmentFormErrors;
  readOnly?: boolean;
  /** Items to mark (the raters' disagreements in the consensus step). */
  highlight?: Set<string>;
}) {
  const { t } = useTranslation('assessments');
  const byId = itemIndex(form);
  const setAnswer = (id: string, patch: Partial<Answer>) =>
    onAnswers?.({ ...answers, [id]: { value: null, ...answers[id], ...patch } });
  return (
    <div className="assessment-form">
      {form.notice && <p className="notice assessment-template">{form.notice}</p>}
      {form.domains.map((domain) => (
        <fieldset key={domain.id} className="casework-fieldset assessment-domain">
          <legend>
            <h4>{domain.title}</h4>
          </legend>
          {domain.description && <p className="field-hint">{domain.description}</p>}
          {domain.items
            .filter((item) => isVisible(item, answers, byId))
            .map((item) => (
              <ItemField
                key={item.id}
                id={itemFieldId(prefix, item.id)}
                item={item}
                answer={answers[item.id]}
                onChange={(patch) => setAnswer(item.id, patch)}
                error={errors?.items[item.id]}
                readOnly={readOnly}
                highlighted={highlight?.has(item.id) ?? false}
              />
            ))}
        </fieldset>
      ))}
      <OutputFields
        prefix={prefix}
        form={form}
        output={output}
        onChange={onOutput}
        errors={errors}
        readOnly={readOnly}
      />
      {!readOnly && <p className="muted">{t('form.skipNote')}</p>}
    </div>
  );
}

function ItemField({
  id,
  item,
  answer,
  onChange,
  error,
  readOnly,
  highlighted,
}: {
  id: string;
  item: InstrumentItem;
  answer: Answer | undefined;
  onChange: (patch: Partial<Answer>) => void;
  error: string | undefined;
  readOnly: boolean;
  highlighted: boolean;
}) {
  const { t } = useTranslation('assessments');
  const value = answer?.value ?? null;
  const hintId = item.guidance ? `${id}-guidance` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const label = (
    <>
      {item.label}
      {item.required && <span className="assessment-required"> ({t('form.required')})</span>}
      {item.protective && (
        <span className="casework-badge assessment-protective">{t('form.protective')}</span>
      )}
      {highlighted && (
        <span className="casework-badge assessment-disagreement">{t('consensus.differs')}</span>
      )}
    </>
  );
  const guidance = item.guidance && (
    <p id={hintId} className="field-hint">
      {item.guidance}
    </p>
  );
  const errorText = error && (
    <p id={errorId} className="field-error">
      {error}
    </p>
  );
  let control: React.ReactNode;
  if (item.choices && (item.type === 'rating' || item.type === 'yes_no' || item.type === 'single_choice')) {
    control = (
      <fieldset
        id={id}
        tabIndex={-1}
        className={error ? 'assessment-item field-invalid' : 'assessment-item'}
        aria-describedby={describedBy}
        data-item={item.id}
      >
        <legend>{label}</legend>
        {guidance}
        {errorText}
        <div className="assessment-choices">
          {item.choices.map((choice) => (
            <div
              key={choice.value}
              className={choice.unknown ? 'casework-check assessment-unknown' : 'casework-check'}
            >
              <input
                type="radio"
                id={`${id}-${choice.value}`}
                name={id}
                value={choice.value}
                checked={value === choice.value}
                disabled={readOnly}
                onChange={() => onChange({ value: choice.value })}
              />
              <label htmlFor={`${id}-${choice.value}`}>{choice.label}</label>
            </div>
          ))}
        </div>
        {!readOnly && value !== null && !item.required && (
          <button type="button" className="button button-secondary" onClick={() => onChange({ value: null })}>
            {t('form.clear')}
          </button>
        )}
        <EvidenceField id={id} item={item} answer={answer} onChange={onChange} readOnly={readOnly} />
      </fieldset>
    );
  } else if (item.type === 'multi_choice' && item.choices) {
    const chosen = Array.isArray(value) ? value : [];
    control = (
      <fieldset
        id={id}
        tabIndex={-1}
        className={error ? 'assessment-item field-invalid' : 'assessment-item'}
        aria-describedby={describedBy}
        data-item={item.id}
      >
        <legend>{label}</legend>
        {guidance}
        {errorText}
        {item.choices.map((choice) => (
          <div key={choice.value} className="casework-check">
            <input
              type="checkbox"
              id={`${id}-${choice.value}`}
              checked={chosen.includes(choice.value)}
              disabled={readOnly}
              onChange={(e) =>
                onChange({
                  value: e.target.checked
                    ? [...chosen, choice.value]
                    : chosen.filter((v) => v !== choice.value),
                })
              }
            />
            <label htmlFor={`${id}-${choice.value}`}>{choice.label}</label>
          </div>
        ))}
        <EvidenceField id={id} item={item} answer={answer} onChange={onChange} readOnly={readOnly} />
      </fieldset>
    );
  } else {
    const input =
      item.type === 'text' || item.type === 'list' ? (
        <textarea
          id={id}
          rows={item.type === 'list' ? 4 : 3}
          value={
            item.type === 'list'
              ? Array.isArray(value)
                ? value.join('\n')
                : ''
              : typeof value === 'string'
                ? value
                : ''
          }
          readOnly={readOnly}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) =>
            onChange({ value: item.type === 'list' ? e.target.value.split('\n') : e.target.value })
          }
        />
      ) : (
        <input
          id={id}
          type={item.type === 'number' ? 'number' : item.type === 'date' ? 'date' : 'text'}
          value={value === null || Array.isArray(value) || typeof value === 'boolean' ? '' : String(value)}
          readOnly={readOnly}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) =>
            onChange({
              value:
                e.target.value === ''
                  ? null
                  : item.type === 'number'
                    ? Number(e.target.value)
                    : e.target.value,
            })
          }
        />
      );
    control = (
      <div
        className={error ? 'field field-invalid assessment-item' : 'field assessment-item'}
        data-item={item.id}
      >
        <label htmlFor={id}>{label}</label>
        {item.type === 'list' && <p className="field-hint">{t('form.listHint')}</p>}
        {guidance}
        {errorText}
        {input}
        <EvidenceField id={id} item={item} answer={answer} onChange={onChange} readOnly={readOnly} />
      </div>
    );
  }
  return control;
}

function EvidenceField({
  id,
  item,
  answer,
  onChange,
  readOnly,
}: {
  id: string;
  item: InstrumentItem;
  answer: Answer | undefined;
  onChange: (patch: Partial<Answer>) => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation('assessments');
  if (item.evidence === 'none') return null;
  if (readOnly && !answer?.evidence?.length) return null;
  return (
    <TextAreaField
      id={`${id}-evidence`}
      label={item.evidence === 'required' ? t('form.evidenceRequired') : t('form.evidence')}
      hint={t('form.evidenceHint')}
      rows={2}
      value={(answer?.evidence ?? []).join('\n')}
      readOnly={readOnly}
      onChange={(e) => onChange({ evidence: e.target.value.split('\n') })}
    />
  );
}

function OutputFields({
  prefix,
  form,
  output,
  onChange,
  errors,
  readOnly,
}: {
  prefix: string;
  form: RenderedInstrument;
  output: AssessmentOutput;
  onChange: ((output: AssessmentOutput) => void) | undefined;
  errors: AssessmentFormErrors | undefined;
  readOnly: boolean;
}) {
  const { t } = useTranslation('assessments');
  const spec = form.output;
  if (!spec.judgement && !spec.narrative && !spec.scenarios && !spec.managementPlan) return null;
  const set = (patch: Partial<AssessmentOutput>) => onChange?.({ ...output, ...patch });
  const req = (required: boolean, label: string) => (required ? `${label} (${t('form.required')})` : label);
  const scenarios = output.scenarios ?? [];
  return (
    <fieldset className="casework-fieldset assessment-output">
      <legend>
        <h4>{t('form.output')}</h4>
      </legend>
      {spec.judgement && (
        <>
          <SelectField
            id={`${prefix}-output-judgement`}
            label={req(spec.judgement.required, spec.judgement.label)}
            value={output.judgement ?? ''}
            disabled={readOnly}
            onChange={(e) => set({ judgement: e.target.value || undefined })}
            options={spec.judgement.levels.map((l) => ({ value: l.value, label: l.label }))}
            placeholder={t('form.noJudgement')}
            error={errors?.output.judgement}
          />
          {(!readOnly || output.overrideReason) && (
            <TextAreaField
              id={`${prefix}-output-overrideReason`}
              label={t('form.overrideReason')}
              hint={t('form.overrideHint')}
              rows={2}
              readOnly={readOnly}
              value={output.overrideReason ?? ''}
              onChange={(e) => set({ overrideReason: e.target.value })}
              error={errors?.output.overrideReason}
            />
          )}
        </>
      )}
      {spec.narrative && (
        <TextAreaField
          id={`${prefix}-output-narrative`}
          label={req(spec.narrative.required, spec.narrative.label)}
          readOnly={readOnly}
          value={output.narrative ?? ''}
          onChange={(e) => set({ narrative: e.target.value })}
          error={errors?.output.narrative}
        />
      )}
      {spec.scenarios && (
        <fieldset
          id={`${prefix}-output-scenarios`}
          tabIndex={-1}
          className={errors?.output.scenarios ? 'casework-fieldset field-invalid' : 'casework-fieldset'}
        >
          <legend>{req(spec.scenarios.required, spec.scenarios.label)}</legend>
          {errors?.output.scenarios && <p className="field-error">{errors.output.scenarios}</p>}
          {scenarios.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: scenarios carry no id in the API; the inputs are controlled
            <div key={i} className="casework-repeat">
              <div className="field">
                <label htmlFor={`${prefix}-scenario-${i}-title`}>
                  {t('form.scenarioTitle', { number: i + 1 })}
                </label>
                <input
                  id={`${prefix}-scenario-${i}-title`}
                  value={s.title}
                  readOnly={readOnly}
                  onChange={(e) =>
                    set({
                      scenarios: scenarios.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)),
                    })
                  }
                />
              </div>
              <TextAreaField
                id={`${prefix}-scenario-${i}-description`}
                label={t('form.scenarioDescription', { number: i + 1 })}
                rows={2}
                readOnly={readOnly}
                value={s.description}
                onChange={(e) =>
                  set({
                    scenarios: scenarios.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)),
                  })
                }
              />
              {!readOnly && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => set({ scenarios: scenarios.filter((_, j) => j !== i) })}
                >
                  {t('form.removeScenario', { number: i + 1 })}
                </button>
              )}
            </div>
          ))}
          {!readOnly && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => set({ scenarios: [...scenarios, { title: '', description: '' }] })}
            >
              {t('form.addScenario')}
            </button>
          )}
        </fieldset>
      )}
      {spec.managementPlan && (
        <TextAreaField
          id={`${prefix}-output-managementPlan`}
          label={req(spec.managementPlan.required, spec.managementPlan.label)}
          readOnly={readOnly}
          value={output.managementPlan ?? ''}
          onChange={(e) => set({ managementPlan: e.target.value })}
          error={errors?.output.managementPlan}
        />
      )}
    </fieldset>
  );
}
