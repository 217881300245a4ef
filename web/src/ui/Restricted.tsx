import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** What the API sends in place of a field the reader may not see (server: access/masking.ts). */
export interface RestrictedValue {
  restricted: true;
  compartment: 'protection' | 'justice' | 'security' | 'health' | 'education' | 'referral_packet';
  ask: string;
}

export function isRestricted(value: unknown): value is RestrictedValue {
  return (
    typeof value === 'object' && value !== null && (value as { restricted?: unknown }).restricted === true
  );
}

/** A masked field: says it is restricted, which compartment holds it and whom to ask. */
export function Restricted({ value }: { value: RestrictedValue }) {
  const { t } = useTranslation('ui');
  return (
    <span className="restricted" title={t(`restricted.compartment.${value.compartment}`)}>
      <span aria-hidden="true">🔒 </span>
      {t('restricted.ask', { ask: value.ask })}
    </span>
  );
}

/**
 * Renders a maskable field: the value through `children` when it is readable, the restricted
 * notice when it is masked, nothing (or `empty`) when it is absent.
 */
export function Maskable<T>({
  value,
  children,
  empty = null,
}: {
  value: T | RestrictedValue | null | undefined;
  children: (value: T) => ReactNode;
  empty?: ReactNode;
}) {
  if (value === null || value === undefined) return <>{empty}</>;
  if (isRestricted(value)) return <Restricted value={value} />;
  return <>{children(value)}</>;
}
