import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';

/** An import failure: the code's message, then why (`importRefused.<reason>`) and which file. */
export function ImportErrorAlert({ error }: { error: AppError }) {
  const { t } = useTranslation();
  const reason = typeof error.params?.reason === 'string' ? error.params.reason : undefined;
  const file = typeof error.params?.file === 'string' ? error.params.file : undefined;
  const parts = [t(`errors.${error.code}`, error.params ?? {})];
  if (reason && error.code === 'import_refused') {
    parts.push(t(`importRefused.${reason}`, { ...error.params, defaultValue: '' }));
  }
  if (file) parts.push(t('importWizard.refusedFile', { file }));
  return (
    <Alert
      className="fr-mb-3w"
      severity="error"
      title={t('layout.errorTitle')}
      description={parts.filter(Boolean).join(' ')}
      role="alert"
    />
  );
}
