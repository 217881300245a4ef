import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Me } from '../api/client.ts';
import { meQueryKey, useMe } from '../features/auth/session.tsx';
import { availableLanguages, changeLanguage, currentLanguage } from '../i18n/index.ts';
import { LANGUAGES, type LanguageCode } from '../i18n/languages.ts';

/**
 * Switches the interface language at once; for a signed-in user the choice is also saved to
 * their account so it follows them to other devices.
 */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const queryClient = useQueryClient();
  const me = useMe().data;
  const savePreference = useMutation({
    mutationFn: (preferredLanguage: LanguageCode) =>
      call(api.PATCH('/api/me', { body: { preferredLanguage } })),
    onSuccess: (updated: Me) => queryClient.setQueryData(meQueryKey, updated),
  });

  const onChange = async (event: ChangeEvent<HTMLSelectElement>) => {
    const language = event.target.value as LanguageCode;
    await changeLanguage(language, i18n, { byUser: true });
    if (me && me.preferredLanguage !== language) savePreference.mutate(language);
  };

  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('app.language')}</label>
      <select id={id} value={currentLanguage(i18n)} onChange={onChange}>
        {availableLanguages.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGES[code].nativeName}
          </option>
        ))}
      </select>
    </div>
  );
}
