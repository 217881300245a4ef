import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { useUserNames } from '../../ui/userNames.ts';

/**
 * Labels of API enums (sex, flags, relations, statuses…) in the reader's language. Values the
 * translation does not know (a deployment's own track status, a new flag) are shown as sent.
 */
export function useLabel(): (group: string, value: string | null | undefined) => string {
  const { t, i18n } = useTranslation('caseFile');
  return useCallback(
    (group, value) => {
      if (value === null || value === undefined) return '';
      // A value ending like a plural suffix (abroad_other) is keyed with a hyphen (abroad-other).
      const key = `${group}.${value.replace(/_(zero|one|two|few|many|other)$/, '-$1')}`;
      if (!i18n.exists(key, { ns: 'caseFile' })) return value.replaceAll('_', ' ');
      return (t as unknown as (key: string) => string)(key);
    },
    [t, i18n],
  );
}

/**
 * A user the API names only by id: "you" for the reader, else their display name (for the ids the
 * caller says it will show), else a short form of the id while the name loads or if it is unknown.
 */
export function useUserName(
  me: Me,
  shown: readonly (string | null | undefined)[] = [],
): (userId: string | null | undefined) => string {
  const { t } = useTranslation('caseFile');
  const names = useUserNames(shown.filter((id) => id !== me.id));
  return useCallback(
    (userId) => {
      if (!userId) return t('common.nobody');
      if (userId === me.id) return t('common.you', { name: me.displayName });
      return names.get(userId) ?? t('common.userRef', { id: userId.slice(0, 8) });
    },
    [t, me.id, me.displayName, names],
  );
}

export const STAGES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
