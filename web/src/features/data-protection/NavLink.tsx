import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { mayUseDataProtection } from './api.ts';

/** The main navigation's entry to the area, for the users whose permissions open it; else nothing. */
export function DataProtectionNavLink({ me }: { me: Me }) {
  const { t } = useTranslation('dataProtection');
  if (!mayUseDataProtection(me)) return null;
  return (
    <li>
      <Link to="/data-protection" matchPrefix>
        {t('nav')}
      </Link>
    </li>
  );
}
