import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { useApi } from '../../ipc';
import { orderFrom, type ListLocationState } from '../list/listState';

/** True when a key press belongs to a field (typing must never change dossier). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Previous / next dossier in the order of the list it was opened from (sorted, filtered, searched:
 * carried in the history entry), else the campaign's order. Shortcuts: Alt+← / Alt+→ anywhere, j / k outside fields.
 */
export function DossierNav({ campaignId, number }: { campaignId: number; number: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const all = useApi('dossier:list', { campaignId });
  const names = new Map(all.state === 'ready' ? all.value.map((d) => [d.number, d.projectName]) : []);
  const location = useLocation();
  const fromList = orderFrom(location.state);
  const order = fromList?.includes(number) ? fromList : all.state === 'ready' ? all.value.map((d) => d.number) : [];
  // Passed on, so a chain of next / previous keeps following the list.
  const carry = useMemo<ListLocationState | undefined>(
    () => (fromList?.includes(number) ? { order: fromList } : undefined),
    [fromList, number],
  );
  const index = order.indexOf(number);
  const prev = index > 0 ? order[index - 1] : undefined;
  const next = index >= 0 ? order[index + 1] : undefined;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey) return;
      let target: number | undefined;
      if (e.altKey && e.key === 'ArrowLeft') target = prev;
      else if (e.altKey && e.key === 'ArrowRight') target = next;
      else if (!e.altKey && !e.shiftKey && !isTyping(e.target) && (e.key === 'j' || e.key === 'k')) target = e.key === 'j' ? next : prev;
      else return;
      if (target === undefined) return;
      e.preventDefault();
      void navigate(`/campaigns/${campaignId}/dossiers/${target}`, { state: carry });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [campaignId, prev, next, navigate, carry]);

  if (index < 0 || (prev === undefined && next === undefined)) return null;
  return (
    <nav aria-label={t('dossier.navigation')} className="fr-mt-6w">
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        {prev !== undefined && (
          <li>
            <Link
              to={`/campaigns/${campaignId}/dossiers/${prev}`}
              state={carry}
              className="fr-btn fr-btn--secondary fr-icon-arrow-left-line"
              aria-keyshortcuts="Alt+ArrowLeft k"
            >
              {t('dossier.previous', { name: names.get(prev) ?? String(prev) })}
            </Link>
          </li>
        )}
        {next !== undefined && (
          <li>
            <Link
              to={`/campaigns/${campaignId}/dossiers/${next}`}
              state={carry}
              className="fr-btn fr-btn--secondary fr-icon-arrow-right-line"
              aria-keyshortcuts="Alt+ArrowRight j"
            >
              {t('dossier.next', { name: names.get(next) ?? String(next) })}
            </Link>
          </li>
        )}
      </ul>
      <p className="fr-text--xs fr-text-mention--grey">{t('reader.shortcuts')}</p>
    </nav>
  );
}
