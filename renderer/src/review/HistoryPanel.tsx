import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { HistoryItem } from '../../../shared/domain/review';
import type { AppError } from '../../../shared/result';
import { call, toAppError } from '../ipc';
import { formatDateTime } from '../format';
import { ErrorAlert, Loading } from '../components/Feedback';
import { useMembers } from '../members';

/** « Historique »: the dossier's audit entries (who, typed by whom, when, what, before → after), newest first. */
export function HistoryPanel({ dossierId, version }: { dossierId: number; version: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <section className="fr-mt-4w" aria-labelledby="history-title">
      <h3 id="history-title" className="fr-h6 fr-mb-1w">
        <button
          type="button"
          className="fr-btn fr-btn--tertiary"
          aria-expanded={open}
          aria-controls="history-panel"
          onClick={() => setOpen((o) => !o)}
        >
          {t('reviewForm.history.title')}
        </button>
      </h3>
      <div id="history-panel" hidden={!open}>
        {open && <HistoryTable dossierId={dossierId} version={version} />}
      </div>
    </section>
  );
}

function HistoryTable({ dossierId, version }: { dossierId: number; version: number }) {
  const { t, i18n } = useTranslation();
  const { members } = useMembers();
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'error'; error: AppError } | { kind: 'ready'; items: HistoryItem[] }>({
    kind: 'loading',
  });
  useEffect(() => {
    let live = true;
    call('audit:history', { dossierId }).then(
      (items) => live && setState({ kind: 'ready', items }),
      (e: unknown) => live && setState({ kind: 'error', error: toAppError(e) }),
    );
    return () => {
      live = false;
    };
  }, [dossierId, version]);
  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'error') return <ErrorAlert error={state.error} />;
  if (state.items.length === 0) return <p>{t('reviewForm.history.empty')}</p>;
  const name = (id: number | null) => (id === null ? '' : (members.find((m) => m.id === id)?.name ?? `#${id}`));
  return (
    <div className="fr-table fr-table--sm fr-mb-0">
      <div className="fr-table__wrapper">
        {/* Scrolls sideways in the narrow column: focusable so that the keyboard can scroll it. */}
        <div className="fr-table__container" tabIndex={0} role="region" aria-label={t('reviewForm.history.caption')}>
          <div className="fr-table__content">
            <table>
              <caption className="fr-sr-only">{t('reviewForm.history.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reviewForm.history.when')}</th>
                  <th scope="col">{t('reviewForm.history.who')}</th>
                  <th scope="col">{t('reviewForm.history.what')}</th>
                  <th scope="col">{t('reviewForm.history.change')}</th>
                </tr>
              </thead>
              <tbody>
                {[...state.items].reverse().map((h) => (
                  <tr key={h.seq}>
                    <td>{formatDateTime(h.at, i18n.language)}</td>
                    <td>
                      {name(h.memberId)}
                      {h.keyboardMemberId !== null && (
                        <>
                          <br />
                          <span className="fr-text--xs">{t('reviewForm.history.typedBy', { name: name(h.keyboardMemberId) })}</span>
                        </>
                      )}
                    </td>
                    <td>{describe(h, t)}</td>
                    <td className="ptce-history__change">
                      {show(h.before)} → {show(h.after)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

function describe(h: HistoryItem, t: TFunction): string {
  const field = h.entityId.includes('/') ? h.entityId.slice(h.entityId.indexOf('/') + 1) : '';
  const prop = Object.keys((h.after ?? h.before ?? {}) as object)[0] ?? '';
  const action = t(`reviewForm.history.actions.${h.action}`, { defaultValue: h.action });
  switch (h.entity) {
    case 'review.score':
      return t('reviewForm.history.score', { key: field, prop: t(`reviewForm.history.props.${prop}`, { defaultValue: prop }) });
    case 'review.eligibility':
      return t('reviewForm.history.eligibility', { key: field, prop: t(`reviewForm.history.props.${prop}`, { defaultValue: prop }) });
    case 'review.admissibility':
      return t('reviewForm.history.admissibility', { key: field, prop: t(`reviewForm.history.props.${prop}`, { defaultValue: prop }) });
    case 'review.details':
      return t('reviewForm.history.details', { prop: t(`reviewForm.history.props.${prop}`, { defaultValue: prop }) });
    case 'assignment':
    case 'conflict':
      return t(`committee.history.${h.entity}.${h.action}`, { defaultValue: action });
    default:
      return t('reviewForm.history.review', { action });
  }
}

/** A journaled value, shortened: `{ score: 2 }` → `2`. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object' && !Array.isArray(value)) {
    const values = Object.values(value as Record<string, unknown>);
    if (values.length === 1) return show(values[0]);
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === '') return '«\u00a0»';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
