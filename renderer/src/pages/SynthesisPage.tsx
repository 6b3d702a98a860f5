import '../synthesis.css';
import { useEffect, useRef, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { SynthesisDossier, SynthesisLabel, SynthesisView } from '../../../shared/domain/synthesis';
import type { AppError } from '../../../shared/result';
import { call, toAppError, useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatNumber } from '../format';
import { BarChart } from '../synthesis/BarChart';
import { NotFoundPage } from './NotFoundPage';
import { parseId } from './CampaignPage';

export function SynthesisPage() {
  const campaignId = parseId(useParams().campaignId);
  if (campaignId === null) return <NotFoundPage />;
  return <SynthesisLoader campaignId={campaignId} />;
}

function SynthesisLoader({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const loaded = useApi('synthesis:get', { campaignId });
  usePageTitle(t('synthesis.title'));
  const campaignName = loaded.state === 'ready' ? loaded.value.campaignName : '…';
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={[{ label: campaignName, linkProps: { to: `/campaigns/${campaignId}` } }]}
        currentPageLabel={t('synthesis.title')}
        className="fr-mt-0"
      />
      <h1>{t('synthesis.title')}</h1>
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'error' && <ErrorAlert error={loaded.error} />}
      {loaded.state === 'ready' && <SynthesisContent initial={loaded.value} />}
    </>
  );
}

const labelOf = (l: SynthesisLabel, lang: string): string => (lang.startsWith('en') && l.en ? l.en : l.fr);

function SynthesisContent({ initial }: { initial: SynthesisView }) {
  const { t } = useTranslation();
  // A reorder answers with the whole view; a reload (new `initial`) replaces it.
  const [changed, setChanged] = useState<{ base: SynthesisView; view: SynthesisView } | null>(null);
  const view = changed?.base === initial ? changed.view : initial;
  const setView = (next: SynthesisView) => setChanged({ base: initial, view: next });
  return (
    <>
      <p className="fr-text--lead fr-mb-1w">{view.campaignName}</p>
      <p>{t('synthesis.intro')}</p>
      <p className="fr-text--sm">{t('synthesis.rules')}</p>
      <ExportButton campaignId={view.campaignId} />
      {view.dossiers.length === 0 ? (
        <p>{t('synthesis.empty')}</p>
      ) : (
        <>
          <Ranking view={view} />
          <Distributions view={view} />
          <Divergences view={view} />
          <Phase2 view={view} onChange={setView} />
        </>
      )}
    </>
  );
}

function ExportButton({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: 'saved'; file: string } | { kind: 'error'; error: AppError } | null>(null);
  const run = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const r = await call('synthesis:export', { campaignId });
      if (r) setOutcome({ kind: 'saved', file: r.file });
    } catch (e) {
      setOutcome({ kind: 'error', error: toAppError(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="fr-mb-4w">
      <Button iconId="fr-icon-download-line" onClick={() => void run()} disabled={busy}>
        {busy ? t('synthesis.exporting') : t('synthesis.export')}
      </Button>
      <div aria-live="polite" className="fr-mt-2w">
        {outcome?.kind === 'saved' && <Alert severity="success" small description={t('synthesis.exported', { file: outcome.file })} />}
        {outcome?.kind === 'error' && <ErrorAlert error={outcome.error} />}
      </div>
    </div>
  );
}

function useFormat() {
  const { t, i18n } = useTranslation();
  const n = (v: number | null, digits = 2): string => (v === null ? t('synthesis.ranking.none') : formatNumber(v, i18n.language, digits));
  const yn = (b: boolean | null): string => (b === null ? t('synthesis.ranking.none') : b ? t('synthesis.ranking.yes') : t('synthesis.ranking.no'));
  return { t, lang: i18n.language, n, yn };
}

function rankText(d: SynthesisDossier, t: ReturnType<typeof useFormat>['t']): string {
  if (d.rank === null) return t('synthesis.ranking.unranked');
  return d.exAequo ? t('synthesis.ranking.exAequo', { rank: d.rank }) : String(d.rank);
}

function Ranking({ view }: { view: SynthesisView }) {
  const { t, n, yn } = useFormat();
  const headers = [
    t('synthesis.ranking.rank'),
    t('synthesis.ranking.number'),
    t('synthesis.ranking.project'),
    t('synthesis.ranking.consensus'),
    t('synthesis.ranking.mean'),
    t('synthesis.ranking.median'),
    t('synthesis.ranking.range'),
    t('synthesis.ranking.count'),
    t('synthesis.ranking.avis'),
    t('synthesis.ranking.phase2'),
    t('synthesis.ranking.targets'),
    t('synthesis.ranking.divergent'),
  ];
  const data = view.dossiers.map((d) => [
    rankText(d, t),
    <span className="ptce-num" key="n">{d.number}</span>,
    d.project,
    <span className="ptce-num" key="c">{n(d.consensusTotal)}</span>,
    <span className="ptce-num" key="m">{n(d.individual.mean)}</span>,
    <span className="ptce-num" key="md">{n(d.individual.median)}</span>,
    <span className="ptce-num" key="r">
      {d.individual.count ? `${n(d.individual.min)} – ${n(d.individual.max)}` : t('synthesis.ranking.none')}
    </span>,
    <span className="ptce-num" key="k">{d.individual.count}</span>,
    d.committee
      ? d.committee.avis
        ? t(`synthesis.avis.${d.committee.avis}`)
        : t('synthesis.ranking.none')
      : <em key="p">{t('synthesis.ranking.pending')}</em>,
    d.committee ? yn(d.committee.phase2) : t('synthesis.ranking.none'),
    <span key="tg" className="ptce-nowrap" title={t(`synthesis.ranking.targetSource.${d.targets.source}`)}>
      {t('synthesis.ranking.targetsValue', { b: yn(d.targets.b), c: yn(d.targets.c) })}
    </span>,
    <span className="ptce-num" key="dv">{d.divergentCount}</span>,
  ]);
  return (
    <section aria-labelledby="synthesis-ranking" className="fr-mb-4w">
      <h2 id="synthesis-ranking">{t('synthesis.ranking.title')}</h2>
      <Table
        className="ptce-synthesis-table"
        caption={t('synthesis.ranking.caption', { max: view.maxTotal })}
        headers={headers}
        data={data}
        bordered
      />
    </section>
  );
}

function Distributions({ view }: { view: SynthesisView }) {
  const { t, lang, n } = useFormat();
  const values = Array.from({ length: view.scale.max - view.scale.min + 1 }, (_, i) => view.scale.min + i);
  return (
    <section aria-labelledby="synthesis-criteria" className="fr-mb-4w">
      <h2 id="synthesis-criteria">{t('synthesis.criteria.title')}</h2>
      <p className="fr-text--sm">{t('synthesis.criteria.hint')}</p>
      <ul className="ptce-chart-grid">
        {view.distributions.map((c) => {
          const name = `${c.key} — ${labelOf(c.label, lang)}`;
          const counts = values.map((v, i) => t('synthesis.criteria.countItem', { count: c.counts[i] ?? 0, value: v })).join(', ');
          return (
            <li key={c.key} className="ptce-chart">
              <p className="fr-text--sm fr-text--bold fr-mb-1v" title={labelOf(c.label, lang)}>
                {c.key}
              </p>
              <BarChart
                className="ptce-chart__svg"
                label={t('synthesis.criteria.chartLabel', { criterion: name, counts })}
                bars={values.map((v, i) => ({ label: String(v), value: c.counts[i] ?? 0 }))}
              />
            </li>
          );
        })}
      </ul>
      <div className="fr-table fr-table--bordered fr-mt-2w">
        <table>
          <caption>{t('synthesis.criteria.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('synthesis.criteria.criterion')}</th>
              {values.map((v) => (
                <th scope="col" key={v}>
                  {t('synthesis.criteria.value', { value: v })}
                </th>
              ))}
              <th scope="col">{t('synthesis.criteria.mean')}</th>
              <th scope="col">{t('synthesis.criteria.consensus', { max: view.scale.max })}</th>
            </tr>
          </thead>
          <tbody>
            {view.distributions.map((c) => (
              <tr key={c.key}>
                <th scope="row" title={labelOf(c.label, lang)}>
                  {c.key}
                </th>
                {values.map((v, i) => (
                  <td key={v} className="ptce-num">
                    {c.counts[i] ?? 0}
                  </td>
                ))}
                <td className="ptce-num">{n(c.mean)}</td>
                <td className="ptce-num">{c.consensusCounts.join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Divergences({ view }: { view: SynthesisView }) {
  const { t } = useFormat();
  const rows = view.dossiers.filter((d) => d.individual.count >= 2);
  const keys = view.distributions.map((c) => c.key);
  return (
    <section aria-labelledby="synthesis-divergences" className="fr-mb-4w">
      <h2 id="synthesis-divergences">{t('synthesis.divergences.title')}</h2>
      <p className="fr-text--sm">{t('synthesis.divergences.hint', { threshold: view.threshold })}</p>
      {rows.length === 0 ? (
        <p>{t('synthesis.divergences.none')}</p>
      ) : (
        <div className="fr-table fr-table--bordered">
          <table className="ptce-divergence-table">
            <caption>{t('synthesis.divergences.caption', { threshold: view.threshold })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('synthesis.divergences.dossier')}</th>
                {keys.map((k) => (
                  <th scope="col" key={k}>
                    {k}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.dossierId}>
                  <th scope="row">
                    {d.number}
                    <span className="fr-hint-text">{t('synthesis.divergences.count', { count: d.divergentCount })}</span>
                  </th>
                  {keys.map((k) => {
                    const c = d.criteria.find((x) => x.key === k);
                    if (!c || c.spread === null)
                      return (
                        <td key={k} className="ptce-num">
                          {t('synthesis.ranking.none')}
                        </td>
                      );
                    return (
                      <td key={k} className={c.divergent ? 'ptce-num ptce-divergent' : 'ptce-num'}>
                        {c.divergent ? t('synthesis.divergences.past', { spread: c.spread }) : c.spread}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Phase2({ view, onChange }: { view: SynthesisView; onChange: (v: SynthesisView) => void }) {
  const { t, n } = useFormat();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [announce, setAnnounce] = useState('');
  const focusAfter = useRef<{ dossierId: number; dir: 'up' | 'down' } | null>(null);

  useEffect(() => {
    const f = focusAfter.current;
    if (!f) return;
    focusAfter.current = null;
    const pos = view.phase2.findIndex((p) => p.dossierId === f.dossierId);
    // At the top or bottom the pressed button is disabled: focus the other one.
    const dir = (f.dir === 'up' && pos === 0) || (f.dir === 'down' && pos === view.phase2.length - 1) ? (f.dir === 'up' ? 'down' : 'up') : f.dir;
    document.getElementById(`phase2-${f.dossierId}-${dir}`)?.focus();
  }, [view]);

  const move = async (index: number, dir: 'up' | 'down') => {
    const ids = view.phase2.map((p) => p.dossierId);
    const to = dir === 'up' ? index - 1 : index + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[index], ids[to]] = [ids[to]!, ids[index]!];
    setBusy(true);
    setError(null);
    try {
      const next = await call('synthesis:reorderPhase2', { campaignId: view.campaignId, dossierIds: ids });
      const moved = view.phase2[index]!;
      focusAfter.current = { dossierId: moved.dossierId, dir };
      setAnnounce(t('synthesis.phase2.moved', { number: moved.number, position: to + 1 }));
      onChange(next);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="synthesis-phase2" className="fr-mb-4w">
      <h2 id="synthesis-phase2">{t('synthesis.phase2.title')}</h2>
      <p className="fr-text--sm">{t('synthesis.phase2.hint')}</p>
      {error && <ErrorAlert error={error} />}
      <p aria-live="polite" className="fr-sr-only">
        {announce}
      </p>
      {view.phase2.length === 0 ? (
        <p>{t('synthesis.phase2.empty')}</p>
      ) : (
        <ol className="ptce-phase2">
          {view.phase2.map((p, i) => (
            <li key={p.dossierId} className="ptce-phase2__item">
              <span className="ptce-phase2__label">
                {t('synthesis.phase2.item', { position: p.position, number: p.number, project: p.project })}
                <span className="fr-hint-text">
                  {t('synthesis.phase2.total', { total: n(p.consensusTotal) })}
                  {p.stored ? '' : ` · ${t('synthesis.phase2.notStored')}`}
                </span>
              </span>
              <span className="ptce-phase2__actions">
                <Button
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-arrow-up-line"
                  disabled={busy || i === 0}
                  onClick={() => void move(i, 'up')}
                  nativeButtonProps={{
                    id: `phase2-${p.dossierId}-up`,
                    title: t('synthesis.phase2.upLabel', { number: p.number }),
                    'aria-label': t('synthesis.phase2.upLabel', { number: p.number }),
                  }}
                >
                  {t('synthesis.phase2.up')}
                </Button>
                <Button
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-arrow-down-line"
                  disabled={busy || i === view.phase2.length - 1}
                  onClick={() => void move(i, 'down')}
                  nativeButtonProps={{
                    id: `phase2-${p.dossierId}-down`,
                    title: t('synthesis.phase2.downLabel', { number: p.number }),
                    'aria-label': t('synthesis.phase2.downLabel', { number: p.number }),
                  }}
                >
                  {t('synthesis.phase2.down')}
                </Button>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
