import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { ADMISSIBILITY_STATUS_LIST } from '../../../../shared/domain/import';
import { ELIGIBILITY_SUMMARY_LIST, LIST_AVIS_LIST, MY_STATUS_LIST } from '../../../../shared/domain/list';
import { useApi } from '../../ipc';
import type { ListState, TableFilters } from './listState';

const SEARCH_DELAY_MS = 250;

/** The list's filters (DSFR selects, a checkbox) and its search field (debounced). */
export function ListFilters({ state, onChange }: { state: ListState; onChange: (update: (s: ListState) => ListState) => void }) {
  const { t } = useTranslation();
  const members = useApi('member:list', {});
  const fragileId = useId();
  const [text, setText] = useState(state.query);

  useEffect(() => {
    if (text === state.query) return;
    const timer = setTimeout(() => onChange((s) => ({ ...s, query: text })), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, state.query, onChange]);

  const setFilter = <K extends keyof TableFilters>(key: K, value: TableFilters[K] | undefined) =>
    onChange((s) => {
      const filters = { ...s.filters };
      if (value === undefined) delete filters[key];
      else filters[key] = value;
      return { ...s, filters };
    });

  const select = <K extends 'status' | 'admissibility' | 'eligibility' | 'avis'>(
    key: K,
    options: readonly { value: string; label: string }[],
  ) => (
    <Select
      label={t(`dossierList.filters.${key}`)}
      className="ptce-list__filter"
      nativeSelectProps={{
        name: key,
        value: (state.filters[key] as string | undefined) ?? '',
        onChange: (e) => setFilter(key, (e.target.value || undefined) as TableFilters[K]),
      }}
    >
      <option value="">{t('dossierList.filters.all')}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </Select>
  );

  return (
    <div className="ptce-list__tools" role="search" aria-label={t('dossierList.filters.label')}>
      <Input
        label={t('dossierList.search')}
        hintText={t('dossierList.searchHint')}
        className="ptce-list__search"
        nativeInputProps={{ type: 'search', value: text, onChange: (e) => setText(e.target.value), maxLength: 500 }}
      />
      <div className="ptce-list__filters">
        {select('status', MY_STATUS_LIST.map((v) => ({ value: v, label: t(`dossierList.myStatus.${v}`) })))}
        {select('admissibility', ADMISSIBILITY_STATUS_LIST.map((v) => ({ value: v, label: t(`admissibility.status.${v}`) })))}
        {select('eligibility', [
          ...ELIGIBILITY_SUMMARY_LIST.map((v) => ({ value: v, label: t(`dossierList.eligibility.${v}`) })),
          { value: 'none', label: t('dossierList.eligibility.none') },
        ])}
        {select('avis', [
          ...LIST_AVIS_LIST.map((v) => ({ value: v, label: t(`dossierList.avis.${v}`) })),
          { value: 'none', label: t('dossierList.avis.none') },
        ])}
        <Select
          label={t('dossierList.filters.reviewer')}
          className="ptce-list__filter"
          nativeSelectProps={{
            name: 'reviewer',
            value: state.filters.reviewer === undefined ? '' : String(state.filters.reviewer),
            onChange: (e) => setFilter('reviewer', e.target.value ? Number(e.target.value) : undefined),
          }}
        >
          <option value="">{t('dossierList.filters.all')}</option>
          {members.state === 'ready' &&
            members.value.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
        </Select>
        <div className="fr-checkbox-group ptce-list__fragile">
          <input
            type="checkbox"
            id={fragileId}
            checked={state.filters.fragile === true}
            onChange={(e) => setFilter('fragile', e.target.checked ? true : undefined)}
          />
          <label className="fr-label" htmlFor={fragileId}>
            {t('dossierList.filters.fragile')}
          </label>
        </div>
      </div>
    </div>
  );
}
