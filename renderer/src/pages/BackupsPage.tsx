import { useContext } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { call, DataVersionContext, useAction, useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatBytes, formatDateTime } from '../format';

export function BackupsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('backups.title'));
  const lang = i18n.language;
  const backups = useApi('backup:list', {});
  const { bump } = useContext(DataVersionContext);
  const { busy, outcome, run } = useAction();

  const backupNow = () =>
    run(async () => {
      const entry = await call('backup:now', {});
      backups.reload();
      return { kind: 'done', message: t('backups.nowDone', { file: entry.file }) };
    });
  const saveAs = () =>
    run(async () => {
      const saved = await call('backup:saveAs', {});
      if (!saved) return { kind: 'cancelled' };
      return { kind: 'done', message: t('backups.saveAsDone', { file: saved.file, size: formatBytes(saved.size, lang, t) }) };
    });
  const restore = () =>
    run(async () => {
      const restored = await call('backup:restore', {});
      if (!restored) return { kind: 'cancelled' };
      bump(); // every view reloads from the restored store
      return { kind: 'done', message: t('backups.restoreDone', { file: restored.restoredFrom }) };
    });

  return (
    <>
      <h1>{t('backups.title')}</h1>
      <p className="fr-text--lead">{t('backups.intro')}</p>

      <section aria-labelledby="backup-actions" className="fr-mb-6w">
        <h2 id="backup-actions" className="fr-h4">
          {t('backups.actionsTitle')}
        </h2>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button iconId="fr-icon-save-line" onClick={() => void backupNow()} disabled={busy}>
              {t('backups.now')}
            </Button>
          </li>
          <li>
            <Button iconId="fr-icon-download-line" priority="secondary" onClick={() => void saveAs()} disabled={busy}>
              {t('backups.saveAs')}
            </Button>
          </li>
          <li>
            <Button iconId="fr-icon-refresh-line" priority="secondary" onClick={() => void restore()} disabled={busy}>
              {t('backups.restore')}
            </Button>
          </li>
        </ul>
        <div aria-live="polite">
          {busy && <p role="status">{t('backups.working')}</p>}
          {outcome?.kind === 'done' && (
            <Alert severity="success" small description={outcome.message} role="status" />
          )}
          {outcome?.kind === 'cancelled' && (
            <Alert severity="info" small description={t('backups.cancelled')} role="status" />
          )}
          {outcome?.kind === 'error' && <ErrorAlert error={outcome.error} />}
        </div>
      </section>

      <section aria-labelledby="backup-list">
        <h2 id="backup-list" className="fr-h4">
          {t('backups.listTitle')}
        </h2>
        {backups.state === 'loading' && <Loading />}
        {backups.state === 'error' && <ErrorAlert error={backups.error} />}
        {backups.state === 'ready' &&
          (backups.value.length === 0 ? (
            <p>{t('backups.empty')}</p>
          ) : (
            <Table
              bordered
              caption={t('backups.caption', { count: backups.value.length })}
              headers={[t('backups.columns.file'), t('backups.columns.date'), t('backups.columns.size')]}
              data={backups.value.map((b) => [
                <span key="file" className="ptce-mono">
                  {b.file}
                </span>,
                formatDateTime(b.createdAt, lang),
                formatBytes(b.size, lang, t),
              ])}
            />
          ))}
      </section>
    </>
  );
}
