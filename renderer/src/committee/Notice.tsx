import { Alert } from '@codegouvfr/react-dsfr/Alert';
import type { AppError } from '../../../shared/result';
import { ErrorAlert } from '../components/Feedback';

/** What the last action said (a success notice or a translated error). */
export type Notice = { kind: 'success'; text: string } | { kind: 'error'; error: AppError } | null;

export function NoticeAlert({ notice }: { notice: Notice }) {
  if (!notice) return null;
  if (notice.kind === 'error') return <ErrorAlert error={notice.error} className="fr-mb-2w" />;
  return <Alert severity="success" small description={notice.text} className="fr-mb-2w" role="status" />;
}
