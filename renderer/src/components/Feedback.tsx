import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';

/** An IPC failure, translated from its stable code. */
export function ErrorAlert({ error, className }: { error: AppError; className?: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      className={className}
      severity="error"
      title={t('layout.errorTitle')}
      description={t(`errors.${error.code}`, error.params ?? {})}
      role="alert"
    />
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="fr-text--lg">
      {t('layout.loading')}
    </p>
  );
}
