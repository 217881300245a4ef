import { useTranslation } from 'react-i18next';
import { PageHeading } from './PageHeading.tsx';
import { Link } from './router.tsx';
import { useDocumentTitle } from './useDocumentTitle.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('app.notFound.title'));
  return (
    <div className="page">
      <PageHeading>{t('app.notFound.title')}</PageHeading>
      <p>{t('app.notFound.body')}</p>
      <p>
        <Link to="/">{t('app.notFound.back')}</Link>
      </p>
    </div>
  );
}
