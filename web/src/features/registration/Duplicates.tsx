import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/errorMessage.ts';
import { Maskable } from '../../ui/Restricted.tsx';
import { type Candidate, checkDuplicates, type PersonRecord } from './api.ts';

type State =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; results: Candidate[] }
  | { status: 'error'; error: unknown };

/**
 * Asks the duplicate-warning API about a record 300 ms after it stops changing; a newer record
 * cancels the request for the older one, so a stale answer never shows.
 */
export function useDuplicateCheck(record: PersonRecord | null): State {
  const key = record ? JSON.stringify(record) : '';
  const [state, setState] = useState<State>({ status: 'idle' });
  useEffect(() => {
    if (!key) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setState({ status: 'loading' });
      checkDuplicates(JSON.parse(key) as PersonRecord, controller.signal).then(
        (answer) => {
          if (!controller.signal.aborted) setState({ status: 'done', results: answer.results });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ status: 'error', error });
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);
  return state;
}

/**
 * The live duplicate warning: likely existing persons with score and explanation, in a polite
 * live region. The API already leaves out persons the user may not see and masks what they may
 * not read; a masked value reads as restricted.
 */
export function DuplicateWarnings({
  id,
  record,
  dismissed,
  onDismiss,
  onSame,
  sameLabel,
}: {
  id: string;
  record: PersonRecord | null;
  dismissed: string[];
  onDismiss: (personId: string) => void;
  onSame: (candidate: Candidate) => void;
  sameLabel: string;
}) {
  const { t } = useTranslation('registration');
  const { t: tRoot } = useTranslation();
  const state = useDuplicateCheck(record);
  const results = state.status === 'done' ? state.results.filter((c) => !dismissed.includes(c.personId)) : [];
  let status = '';
  if (state.status === 'loading') status = t('duplicates.checking');
  else if (state.status === 'done') {
    status = results.length > 0 ? t('duplicates.found', { count: results.length }) : t('duplicates.none');
  } else if (state.status === 'error')
    status = t('duplicates.failed', { reason: describeError(tRoot, state.error) });

  return (
    <section className="duplicates" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="reg-sr-only">
        {t('duplicates.title')}
      </h4>
      <div aria-live="polite" aria-atomic="false">
        {status && (
          <p className={results.length > 0 ? 'duplicates-status duplicates-warning' : 'duplicates-status'}>
            {results.length > 0 && <span aria-hidden="true">⚠ </span>}
            {status}
          </p>
        )}
        {results.length > 0 && (
          <ul className="candidates">
            {results.map((candidate) => (
              <CandidateItem
                key={candidate.personId}
                candidate={candidate}
                onDismiss={() => onDismiss(candidate.personId)}
                onSame={() => onSame(candidate)}
                sameLabel={sameLabel}
              />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function CandidateItem({
  candidate,
  onDismiss,
  onSame,
  sameLabel,
}: {
  candidate: Candidate;
  onDismiss: () => void;
  onSame: () => void;
  sameLabel: string;
}) {
  const { t, i18n } = useTranslation('registration');
  const score = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(
    candidate.score,
  );
  const name = (
    <Maskable value={candidate.displayName as unknown} empty={t('duplicates.noName')}>
      {(value) => <bdi>{String(value)}</bdi>}
    </Maskable>
  );
  const nameText = typeof candidate.displayName === 'string' ? candidate.displayName : t('duplicates.noName');
  return (
    <li className="candidate">
      <p className="candidate-head">
        <strong>{name}</strong>{' '}
        <span className="candidate-score">
          {t('duplicates.score', { score })} ·{' '}
          {candidate.decision === 'match' ? t('duplicates.match') : t('duplicates.possible')}
        </span>
      </p>
      {candidate.explanation.length > 0 && (
        <ul className="candidate-why" aria-label={t('duplicates.why')}>
          {candidate.explanation.map((line) => (
            <li key={line} className={line.startsWith(' ') ? 'candidate-why-detail' : undefined}>
              {line.trim()}
            </li>
          ))}
        </ul>
      )}
      <div className="actions candidate-actions">
        <a
          href={`/persons/${candidate.personId}`}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`${t('duplicates.open', { name: nameText })} ${t('duplicates.newTab')}`}
        >
          {t('duplicates.open', { name: nameText })}
        </a>
        <button
          type="button"
          className="button button-secondary"
          onClick={onDismiss}
          aria-label={`${t('duplicates.notSame')} (${nameText})`}
        >
          {t('duplicates.notSame')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={onSame}
          aria-label={`${sameLabel} (${nameText})`}
        >
          {sameLabel}
        </button>
      </div>
    </li>
  );
}
