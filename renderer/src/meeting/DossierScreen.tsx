import { useEffect, useRef, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useTranslation } from 'react-i18next';
import { call, toAppError } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatNumber } from '../format';
import { formatTime } from './format';
import { AVIS_LIST, type AvisKey } from '../../../shared/domain/review';
import type { MeetingDossierView, MeetingView } from '../../../shared/domain/meeting';
import type { AppError } from '../../../shared/result';

interface Props {
  meeting: MeetingView;
  dossierId: number;
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
  onAgenda: () => void;
  onDecided: () => void;
}

type Draft = Record<string, { score: string; note: string }>;

/** One dossier on the projector: scores side by side, spread, divergences, consensus, the committee's avis. */
export function DossierScreen({ meeting, dossierId, onPrevious, onNext, onAgenda, onDecided }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [view, setView] = useState<MeetingDossierView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [avis, setAvis] = useState<AvisKey | null>(null);
  const [motivation, setMotivation] = useState('');
  const [phase2, setPhase2] = useState(false);
  const [votes, setVotes] = useState('');
  const [targets, setTargets] = useState<Record<string, boolean>>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  usePageTitle(view ? t('meeting.dossierTitle', { number: view.number }) : undefined);

  const load = (v: MeetingDossierView) => {
    setView(v);
    setDraft(Object.fromEntries(v.criteria.map((c) => [c.key, { score: c.consensus ? String(c.consensus.score) : '', note: c.consensus?.note ?? '' }])));
    setAvis(v.decision?.avis ?? null);
    setMotivation(v.decision?.motivation ?? '');
    setPhase2(v.decision?.phase2 ?? false);
    setVotes(v.decision?.votes ?? '');
    // The committee's targets when recorded, else pre-filled from the reviews' majority.
    setTargets(Object.fromEntries(v.targets.map((tg) => [tg.key, tg.committee ?? tg.reviews ?? false])));
  };
  useEffect(() => {
    call('meeting:dossier', { meetingId: meeting.id, dossierId }).then(
      (v) => {
        load(v);
        requestAnimationFrame(() => headingRef.current?.focus());
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [meeting.id, dossierId]);

  // Alt+→ / Alt+← move between dossiers from anywhere on the screen (the projector's remote keys).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key === 'ArrowRight' && onNext) onNext();
      else if (e.key === 'ArrowLeft' && onPrevious) onPrevious();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onNext, onPrevious]);

  if (!view) return error ? <ErrorAlert error={error} /> : <Loading />;
  const locked = view.readOnly || view.keyboardRecused;
  // The committee records its targets with the decision: phase 2 follows the ticked ones (grid rule, default b and/or c).
  const phase2Allowed = view.phase2Targets.some((k) => targets[k] === true);
  const scoreOptions = Array.from({ length: view.scale.max - view.scale.min + 1 }, (_, i) => view.scale.min + i);

  const saveConsensus = async () => {
    setError(null);
    setSaved(null);
    const scores = Object.fromEntries(
      Object.entries(draft)
        .filter(([, v]) => v.score !== '')
        .map(([k, v]) => [k, { score: Number(v.score), note: v.note }]),
    );
    try {
      load(await call('meeting:consensus', { meetingId: meeting.id, dossierId, scores }));
      setSaved(t('meeting.consensusSaved'));
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const saveDecision = async () => {
    setError(null);
    setSaved(null);
    try {
      load(
        await call('meeting:decision', {
          meetingId: meeting.id,
          dossierId,
          decision: { avis, motivation, phase2, votes, targetB: targets.b ?? false, targetC: targets.c ?? false },
        }),
      );
      setSaved(t('meeting.decisionSaved'));
      onDecided();
    } catch (e) {
      setError(toAppError(e));
    }
  };

  return (
    <>
      <p className="fr-mb-1w fr-text--lg">{t('meeting.position', { position: view.position, count: view.count })}</p>
      <h1 ref={headingRef} tabIndex={-1}>
        {t('meeting.dossierLabel', { number: view.number, project: view.project })}
      </h1>
      <p className="fr-text--lead">{view.structure}</p>
      {view.departures.map((d) => (
        <p key={d.memberId} className="ptce-meeting__left" role="status">
          {d.returnedAt
            ? t('meeting.leftReturned', { name: d.name, left: formatTime(d.leftAt, lang), back: formatTime(d.returnedAt, lang) })
            : t('meeting.left', { name: d.name, left: formatTime(d.leftAt, lang) })}
        </p>
      ))}
      {view.keyboardRecused && <Alert severity="warning" title={t('meeting.keyboardRecusedTitle')} description={t('errors.meeting_recused')} className="fr-mb-2w" />}

      <form
        aria-labelledby="consensus-title"
        onSubmit={(e) => {
          e.preventDefault();
          void saveConsensus();
        }}
      >
        <h2 id="consensus-title">{t('meeting.scoresTitle')}</h2>
        <p>{t('meeting.threshold', { threshold: view.threshold })}</p>
        <div className="fr-table--no-scroll">
          <table className="ptce-meeting__scores">
            <caption className="fr-sr-only">{t('meeting.scoresCaption', { number: view.number })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('meeting.criterion')}</th>
                {view.reviewers.map((r) => (
                  <th key={r.id} scope="col">
                    {r.name}
                  </th>
                ))}
                <th scope="col">{t('meeting.spread')}</th>
                <th scope="col">{t('meeting.consensus')}</th>
                <th scope="col">{t('meeting.note')}</th>
              </tr>
            </thead>
            <tbody>
              {view.criteria.map((c) => {
                const d = draft[c.key] ?? { score: '', note: '' };
                const label = lang === 'en' && c.label.en ? c.label.en : c.label.fr;
                const set = (patch: Partial<{ score: string; note: string }>) => setDraft((cur) => ({ ...cur, [c.key]: { ...d, ...patch } }));
                return (
                  <tr key={c.key} className={c.divergent ? 'ptce-meeting__divergent' : undefined}>
                    <th scope="row" className="ptce-meeting__criterion">
                      <strong>{c.key}</strong> {label}
                      {c.divergent && <span className="ptce-meeting__flag">{t('meeting.divergent')}</span>}
                    </th>
                    {view.reviewers.map((r) => (
                      <td key={r.id} className="ptce-meeting__num">
                        {c.scores[r.id] ?? '—'}
                      </td>
                    ))}
                    <td className="ptce-meeting__num">{c.spread ?? '—'}</td>
                    <td>
                      <label className="fr-sr-only" htmlFor={`consensus-${c.key}`}>
                        {t('meeting.consensusFor', { key: c.key })}
                      </label>
                      <select
                        id={`consensus-${c.key}`}
                        className="fr-select"
                        disabled={locked}
                        value={d.score}
                        onChange={(e) => set({ score: e.target.value })}
                      >
                        <option value="">{t('meeting.noScore')}</option>
                        {scoreOptions.map((v) => (
                          <option key={v} value={v}>
                            {v}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <label className="fr-sr-only" htmlFor={`note-${c.key}`}>
                        {c.divergent ? t('meeting.noteRequiredFor', { key: c.key }) : t('meeting.noteFor', { key: c.key })}
                      </label>
                      <textarea
                        id={`note-${c.key}`}
                        className="fr-input"
                        rows={2}
                        disabled={locked}
                        aria-required={c.divergent && d.score !== ''}
                        value={d.note}
                        onChange={(e) => set({ note: e.target.value })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="fr-text--lg fr-mt-2w">
          <strong>
            {t('meeting.consensusTotal', {
              total: formatNumber(view.consensusTotal.total, lang, 2),
              max: formatNumber(view.consensusTotal.max, lang, 2),
            })}
          </strong>
          {!view.consensusTotal.complete && ` ${t('meeting.incomplete')}`}
        </p>
        {!locked && (
          <Button type="submit" iconId="fr-icon-save-line">
            {t('meeting.saveConsensus')}
          </Button>
        )}
      </form>

      <form
        className="fr-mt-4w"
        aria-labelledby="decision-title"
        onSubmit={(e) => {
          e.preventDefault();
          void saveDecision();
        }}
      >
        <h2 id="decision-title">{t('meeting.decisionTitle')}</h2>
        <fieldset className="fr-fieldset" disabled={locked}>
          <legend className="fr-fieldset__legend">{t('meeting.avis')}</legend>
          {AVIS_LIST.map((a) => (
            <div key={a} className="fr-fieldset__element fr-fieldset__element--inline">
              <div className="fr-radio-group">
                <input type="radio" id={`avis-${a}`} name="committee-avis" checked={avis === a} onChange={() => setAvis(a)} />
                <label className="fr-label" htmlFor={`avis-${a}`}>
                  {t(`meeting.avisValues.${a}`)}
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="committee-motivation">
            {t('meeting.motivation')}
          </label>
          <textarea id="committee-motivation" className="fr-input" rows={3} disabled={locked} value={motivation} onChange={(e) => setMotivation(e.target.value)} />
        </div>
        <fieldset className="fr-fieldset" disabled={locked} aria-describedby="committee-targets-hint">
          <legend className="fr-fieldset__legend">
            {t('meeting.targetsTitle')}
            <span id="committee-targets-hint" className="fr-hint-text">
              {t('meeting.targetsHint')}
            </span>
          </legend>
          {view.targets.map((tg) => (
            <div key={tg.key} className="fr-fieldset__element">
              <div className="fr-checkbox-group">
                <input
                  type="checkbox"
                  id={`committee-target-${tg.key}`}
                  checked={targets[tg.key] ?? false}
                  onChange={(e) => setTargets((cur) => ({ ...cur, [tg.key]: e.target.checked }))}
                />
                <label className="fr-label" htmlFor={`committee-target-${tg.key}`}>
                  {t(tg.key === 'b' ? 'meeting.targetB' : 'meeting.targetC', { label: lang === 'en' && tg.label.en ? tg.label.en : tg.label.fr })}
                  <span className="fr-hint-text">
                    {t('meeting.targetReviews', {
                      value: t(tg.reviews === null ? 'meeting.targetUnknown' : tg.reviews ? 'meeting.targetYes' : 'meeting.targetNo'),
                    })}
                  </span>
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <div className="fr-checkbox-group fr-mb-2w">
          <input
            type="checkbox"
            id="committee-phase2"
            disabled={locked || (!phase2Allowed && !phase2)}
            checked={phase2}
            onChange={(e) => setPhase2(e.target.checked)}
          />
          <label className="fr-label" htmlFor="committee-phase2">
            {t('meeting.phase2')}
            {!phase2Allowed && <span className="fr-hint-text">{t('meeting.phase2NotAllowed')}</span>}
          </label>
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="committee-votes">
            {t('meeting.votes')}
          </label>
          <textarea id="committee-votes" className="fr-input" rows={2} disabled={locked} value={votes} onChange={(e) => setVotes(e.target.value)} />
        </div>
        {!locked && (
          <Button type="submit" iconId="fr-icon-save-line">
            {t('meeting.saveDecision')}
          </Button>
        )}
      </form>
      {error && <ErrorAlert error={error} className="fr-mt-2w" />}
      {saved && <Alert severity="success" small description={saved} className="fr-mt-2w" role="status" />}

      <nav className="ptce-meeting__nav fr-mt-4w" aria-label={t('meeting.navLabel')} aria-describedby="meeting-nav-keys">
        <p id="meeting-nav-keys" className="fr-hint-text fr-mb-1w">
          {t('meeting.navKeys')}
        </p>
        <div className="ptce-meeting__nav-buttons">
          <Button priority="secondary" iconId="fr-icon-arrow-left-line" disabled={!onPrevious} onClick={() => onPrevious?.()}>
            {t('meeting.previous')}
          </Button>
          <Button priority="secondary" iconId="fr-icon-arrow-go-back-fill" onClick={onAgenda}>
            {t('meeting.agenda')}
          </Button>
          <Button iconId="fr-icon-arrow-right-line" iconPosition="right" disabled={!onNext} onClick={() => onNext?.()}>
            {t('meeting.next')}
          </Button>
        </div>
      </nav>
    </>
  );
}
