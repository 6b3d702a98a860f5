import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  AVIS_LIST,
  FRAGILE_LIST,
  MATURITY_LIST,
  type MemberInfo,
  type MissingItemView,
  type ReviewContentView,
  type ReviewState,
} from '../../../shared/domain/review';
import type { AppError } from '../../../shared/result';
import { RUBRIC_LABELS_FR } from '../../../shared/domain/rubrics';
import { call, toAppError } from '../ipc';
import { PARIS, locale } from '../format';
import { ErrorAlert, Loading } from '../components/Feedback';
import { useMembers } from '../members';
import { applyPatch, fieldId, liveEligibility, liveTotals, needsJustification, type ReviewPatch } from './patch';
import { createAutosaver } from './autosave';
import { HistoryPanel } from './HistoryPanel';
import '../review.css';

/** Unsaved edits are sent this long after the last keystroke (and at once on blur, hide or unload). */
export const AUTOSAVE_DELAY_MS = 600;

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'error'; error: AppError };

/** The active member's review of one dossier, beside the reader. */
export function ReviewPanel({ campaignId, number }: { campaignId: number; number: number }) {
  const { active, keyboard } = useMembers();
  if (!active) return null;
  return <ReviewLoader key={`${active.id}/${campaignId}/${number}`} campaignId={campaignId} number={number} member={active} keyboard={keyboard} />;
}

function ReviewLoader({
  campaignId,
  number,
  member,
  keyboard,
}: {
  campaignId: number;
  number: number;
  member: MemberInfo;
  keyboard: MemberInfo | null;
}) {
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'error'; error: AppError } | { kind: 'ready'; review: ReviewState }>({
    kind: 'loading',
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    call('review:get', { campaignId, number, memberId: member.id }).then(
      (review) => live && setState({ kind: 'ready', review }),
      (e: unknown) => live && setState({ kind: 'error', error: toAppError(e) }),
    );
    return () => {
      live = false;
    };
  }, [campaignId, number, member.id, generation]);
  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'error') return <ErrorAlert error={state.error} />;
  return (
    <ReviewForm
      key={generation}
      initial={state.review}
      member={member}
      keyboard={keyboard}
      onReload={() => {
        setState({ kind: 'loading' });
        setGeneration((g) => g + 1);
      }}
    />
  );
}

function ReviewForm({
  initial,
  member,
  keyboard,
  onReload,
}: {
  initial: ReviewState;
  member: MemberInfo;
  keyboard: MemberInfo | null;
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [content, setContent] = useState<ReviewContentView>(initial.content);
  const [server, setServer] = useState<ReviewState>(initial);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [missing, setMissing] = useState<MissingItemView[] | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const revision = useRef(initial.revision);
  const missingRef = useRef<HTMLDivElement>(null);
  const dossierId = initial.dossierId;
  const keyboardMemberId = keyboard && keyboard.id !== member.id ? keyboard.id : null;
  const keyboardRef = useRef(keyboardMemberId);
  const locked = server.status === 'submitted';
  const { grid } = initial;

  useEffect(() => {
    keyboardRef.current = keyboardMemberId;
  }, [keyboardMemberId]);

  // The refs are read only when a save runs (after a timer or an event), never during render.
  // eslint-disable-next-line react-hooks/refs
  const [saver] = useState(() =>
    createAutosaver({
      delay: AUTOSAVE_DELAY_MS,
      save: async (patch) => {
        const saved = await call('review:save', {
          dossierId,
          memberId: member.id,
          keyboardMemberId: keyboardRef.current,
          patch,
          baseRevision: revision.current,
        });
        revision.current = saved.revision;
        setServer(saved);
      },
      onEvent: (e) =>
        setSave(
          e.kind === 'saving' ? { kind: 'saving' } : e.kind === 'saved' ? { kind: 'saved', at: new Date() } : { kind: 'error', error: toAppError(e.error) },
        ),
    }),
  );
  const flush = saver.flush;

  // Flush when the window is hidden or closed, and when the form goes away (other dossier, other member).
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') void saver.flush();
    };
    const onUnload = () => void saver.flush();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('beforeunload', onUnload);
      void saver.flush();
    };
  }, [saver]);

  const change = (patch: ReviewPatch) => {
    if (locked) return;
    setContent((c) => applyPatch(c, patch));
    saver.push(patch);
    setMissing(null);
  };

  async function submit() {
    setActionError(null);
    await flush();
    if (saver.hasPending()) return; // the save failed: its error is shown
    try {
      const result = await call('review:submit', { dossierId, memberId: member.id, keyboardMemberId, baseRevision: revision.current });
      if (result.ok) {
        revision.current = result.review.revision;
        setServer(result.review);
        setContent(result.review.content);
        setMissing(null);
      } else {
        setMissing(result.missing);
        requestAnimationFrame(() => missingRef.current?.focus());
      }
    } catch (e) {
      setActionError(toAppError(e));
    }
  }

  async function reopen() {
    setActionError(null);
    try {
      const review = await call('review:reopen', { dossierId, memberId: member.id, keyboardMemberId });
      revision.current = review.revision;
      setServer(review);
      setContent(review.content);
    } catch (e) {
      setActionError(toAppError(e));
    }
  }

  const lang = i18n.language;
  const label = (l: { fr: string; en?: string }) => (lang === 'en' && l.en ? l.en : l.fr);
  const eligibility = liveEligibility(grid, content.eligibility);
  const totals = liveTotals(grid, content.scores);
  const { targets } = content.details;
  const phase2Allowed = grid.phase2TargetsAnyOf.some((k) => targets[k as 'a' | 'b' | 'c'] === true);
  const num = (n: number) => new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(n);

  /** Number keys set the score of the criterion that has focus (not while typing in its justification). */
  const scoreKeys = (key: string) => (e: KeyboardEvent<HTMLFieldSetElement>) => {
    if (locked || e.altKey || e.ctrlKey || e.metaKey) return;
    if ((e.target as HTMLElement).tagName === 'TEXTAREA') return;
    const value = Number(e.key);
    if (!/^[0-9]$/.test(e.key) || !grid.scale.levels.some((l) => l.value === value)) return;
    e.preventDefault();
    change({ scores: { [key]: { score: value } } });
    document.getElementById(fieldId('score', key, String(value)))?.focus();
  };

  return (
    <section className="ptce-review" aria-labelledby="review-title">
      <div className="ptce-review__head">
        <h2 id="review-title" className="fr-h4 fr-mb-1w">
          {t('reviewForm.title')}
        </h2>
        <p className="fr-text--sm fr-mb-1w">
          {t('reviewForm.of', { name: member.name, role: t(`members.roles.${member.role}`) })}
          {keyboardMemberId !== null && keyboard && <> {t('reviewForm.typedBy', { name: keyboard.name })}</>}
        </p>
        <SaveStatus state={save} locked={locked} submittedAt={server.submittedAt} onRetry={() => void flush()} onReload={onReload} />
      </div>

      <form
        className="ptce-review__form"
        noValidate
        onSubmit={(e) => e.preventDefault()}
        onBlur={() => void flush()}
        aria-describedby="review-save-status"
      >
        <fieldset className="ptce-review__lock" disabled={locked}>
          <legend className="fr-sr-only">{t('reviewForm.title')}</legend>

          {/* Recevabilité */}
          <section aria-labelledby="rv-h-adm" className="ptce-review__section">
            <h3 id="rv-h-adm" className="fr-h5">
              {t('reviewForm.admissibility.title')}
            </h3>
            {server.findingKeys.length === 0 ? (
              <p className="fr-text--sm">{t('reviewForm.admissibility.none')}</p>
            ) : (
              server.findingKeys.map((key) => {
                const v = content.admissibility[key] ?? { decision: null, reason: '' };
                const name = findingLabel(key, server.findingStatus, t);
                return (
                  <fieldset key={key} className="fr-fieldset ptce-review__item" aria-describedby={undefined}>
                    <legend className="fr-fieldset__legend fr-text--regular">{name}</legend>
                    <Radios
                      name={fieldId('adm', key)}
                      idOf={(value) => (value === 'confirmed' ? fieldId('adm', key) : fieldId('adm', key, value))}
                      options={[
                        { value: 'confirmed', label: t('reviewForm.admissibility.confirm') },
                        { value: 'overridden', label: t('reviewForm.admissibility.override') },
                      ]}
                      value={v.decision}
                      onChange={(decision) => change({ admissibility: { [key]: { decision: decision as 'confirmed' | 'overridden' } } })}
                    />
                    {v.decision === 'overridden' && (
                      <TextArea
                        id={fieldId('adm', key, 'reason')}
                        label={t('reviewForm.admissibility.reason')}
                        required
                        value={v.reason}
                        onChange={(reason) => change({ admissibility: { [key]: { reason } } })}
                      />
                    )}
                  </fieldset>
                );
              })
            )}
          </section>

          {/* Éligibilité */}
          <section aria-labelledby="rv-h-elig" className="ptce-review__section">
            <h3 id="rv-h-elig" className="fr-h5">
              {t('reviewForm.eligibility.title')}
            </h3>
            {grid.eligibility.map((c, i) => {
              const v = content.eligibility[c.key] ?? { answer: null, note: '' };
              return (
                <fieldset key={c.key} className="fr-fieldset ptce-review__item">
                  <legend className="fr-fieldset__legend fr-text--regular">
                    <span className="ptce-review__key">{t('reviewForm.eligibility.criterion', { n: i + 1 })}</span> {c.label.fr}
                  </legend>
                  <Radios
                    name={fieldId('elig', c.key)}
                    idOf={(value) => fieldId('elig', c.key, value)}
                    inline
                    options={(['oui', 'en_perspective', 'non'] as const).map((a) => ({ value: a, label: t(`reviewForm.eligibility.answers.${a}`) }))}
                    value={v.answer}
                    onChange={(answer) => change({ eligibility: { [c.key]: { answer: answer as 'oui' | 'en_perspective' | 'non' } } })}
                  />
                  <TextArea
                    id={fieldId('elig', c.key, 'note')}
                    label={t('reviewForm.eligibility.note')}
                    rows={2}
                    value={v.note}
                    onChange={(note) => change({ eligibility: { [c.key]: { note } } })}
                  />
                </fieldset>
              );
            })}
            <p
              id="rv-majority"
              role="status"
              className={`fr-text--bold ptce-review__majority ptce-review__majority--${eligibility.outcome}`}
            >
              {t(`reviewForm.eligibility.outcome.${eligibility.outcome}`, {
                met: eligibility.met,
                total: eligibility.total,
                needed: eligibility.needed,
              })}
            </p>
          </section>

          {/* Sélection */}
          <section aria-labelledby="rv-h-sel" className="ptce-review__section">
            <h3 id="rv-h-sel" className="fr-h5">
              {t('reviewForm.selection.title')}
            </h3>
            <p className="fr-text--sm">{t('reviewForm.selection.keys', { min: grid.scale.min, max: grid.scale.max })}</p>
            {grid.sections.map((s, si) => {
              const sub = totals.sections[si]!;
              return (
                <section key={s.key} aria-labelledby={fieldId('h', s.key)} className="ptce-review__subsection">
                  <h4 id={fieldId('h', s.key)} className="fr-h6">
                    {label(s.label)}
                  </h4>
                  {s.criteria.map((c) => {
                    const v = content.scores[c.key] ?? { score: null, justification: '' };
                    const required = needsJustification(grid, v.score);
                    return (
                      <fieldset key={c.key} className="fr-fieldset ptce-review__item" onKeyDown={scoreKeys(c.key)}>
                        <legend className="fr-fieldset__legend fr-text--regular">
                          <span className="ptce-review__key">{c.key}</span> {label(c.label)}
                        </legend>
                        <Radios
                          name={fieldId('score', c.key)}
                          idOf={(value) => fieldId('score', c.key, value)}
                          inline
                          options={grid.scale.levels.map((l) => ({ value: String(l.value), label: `${l.value} — ${label(l.label)}` }))}
                          value={v.score === null ? null : String(v.score)}
                          onChange={(score) => change({ scores: { [c.key]: { score: Number(score) } } })}
                        />
                        <TextArea
                          id={fieldId('just', c.key)}
                          label={required ? t('reviewForm.selection.justificationRequired') : t('reviewForm.selection.justification')}
                          hint={grid.justificationPolicy === 'extremes' ? t('reviewForm.selection.justificationPolicy', { min: grid.scale.min, max: grid.scale.max }) : undefined}
                          required={required}
                          rows={2}
                          value={v.justification}
                          onChange={(justification) => change({ scores: { [c.key]: { justification } } })}
                        />
                      </fieldset>
                    );
                  })}
                  <p className="ptce-review__subtotal">
                    {t('reviewForm.selection.subtotal', { label: label(s.label), subtotal: num(sub.subtotal), max: num(sub.max), scored: sub.scored, criteria: sub.criteria })}
                  </p>
                </section>
              );
            })}
            <p className="fr-text--bold ptce-review__total" role="status" id="rv-total">
              {t('reviewForm.selection.total', { total: num(totals.total), max: num(totals.max) })}
            </p>
          </section>

          {/* Maturité, cibles, territoire fragile */}
          <section aria-labelledby="rv-h-details" className="ptce-review__section">
            <h3 id="rv-h-details" className="fr-h5">
              {t('reviewForm.details.title')}
            </h3>
            <div className="fr-select-group">
              <label className="fr-label" htmlFor={fieldId('maturity')}>
                {t('reviewForm.details.maturity')}
              </label>
              <select
                id={fieldId('maturity')}
                className="fr-select"
                value={content.details.maturity ?? ''}
                onChange={(e) => change({ details: { maturity: e.target.value === '' ? null : (e.target.value as (typeof MATURITY_LIST)[number]) } })}
              >
                <option value="">{t('reviewForm.details.maturityNone')}</option>
                {MATURITY_LIST.map((m) => (
                  <option key={m} value={m}>
                    {t(`review.maturity.${m}`)}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="fr-fieldset" aria-describedby="rv-targets-hint">
              <legend className="fr-fieldset__legend fr-text--regular">
                {t('reviewForm.details.targets')}
                <span id="rv-targets-hint" className="fr-hint-text">
                  {t('reviewForm.details.targetsHint')}
                </span>
              </legend>
              {grid.targets.map((tg) => (
                <Checkbox
                  key={tg.key}
                  id={fieldId('target', tg.key)}
                  label={`${tg.key}) ${label(tg.label)}`}
                  checked={targets[tg.key as 'a' | 'b' | 'c'] === true}
                  onChange={(checked) => {
                    const next = { a: targets.a ?? false, b: targets.b ?? false, c: targets.c ?? false, [tg.key]: checked };
                    const allowed = grid.phase2TargetsAnyOf.some((k) => next[k as 'a' | 'b' | 'c']);
                    change({ details: { targets: next, ...(allowed || !content.details.phase2 ? {} : { phase2: false }) } });
                  }}
                />
              ))}
              <Checkbox
                id={fieldId('target', 'none')}
                label={t('reviewForm.details.targetsNone')}
                checked={targets.a === false && targets.b === false && targets.c === false}
                onChange={(checked) =>
                  checked && change({ details: { targets: { a: false, b: false, c: false }, ...(content.details.phase2 ? { phase2: false } : {}) } })
                }
              />
            </fieldset>
            {targets.c === true && (
              <fieldset className="fr-fieldset">
                <legend className="fr-fieldset__legend fr-text--regular">{t('reviewForm.details.fragile')}</legend>
                {FRAGILE_LIST.map((k) => (
                  <Checkbox
                    key={k}
                    id={fieldId('fragile', k)}
                    label={t(`reviewForm.details.fragileKinds.${k}`)}
                    checked={content.details.fragile[k] === true}
                    onChange={(checked) => change({ details: { fragile: { [k]: checked } } })}
                  />
                ))}
              </fieldset>
            )}
          </section>

          {/* Avis */}
          <section aria-labelledby="rv-h-avis" className="ptce-review__section">
            <h3 id="rv-h-avis" className="fr-h5">
              {t('reviewForm.avis.title')}
            </h3>
            <fieldset className="fr-fieldset">
              <legend className="fr-fieldset__legend fr-text--regular">{t('reviewForm.avis.legend')}</legend>
              <Radios
                name={fieldId('avis')}
                idOf={(value) => fieldId('avis', value)}
                options={AVIS_LIST.map((a) => ({ value: a, label: t(`review.avis.${a}`) }))}
                value={content.details.avis}
                onChange={(avis) => change({ details: { avis: avis as (typeof AVIS_LIST)[number] } })}
              />
            </fieldset>
            <TextArea
              id={fieldId('motivation')}
              label={t('reviewForm.avis.motivation')}
              required
              rows={5}
              value={content.details.motivation}
              onChange={(motivation) => change({ details: { motivation } })}
            />
            <Checkbox
              id={fieldId('phase2')}
              label={t('reviewForm.avis.phase2')}
              hint={phase2Allowed ? undefined : t('reviewForm.avis.phase2Disabled')}
              checked={content.details.phase2}
              disabled={!phase2Allowed}
              onChange={(phase2) => change({ details: { phase2 } })}
            />
            <SupportTags value={content.details.support} onChange={(support) => change({ details: { support } })} />
          </section>
        </fieldset>

        {missing && missing.length > 0 && (
          <div className="fr-alert fr-alert--warning fr-mb-3w" ref={missingRef} tabIndex={-1} role="alert">
            <h3 className="fr-alert__title">{t('reviewForm.submit.missingTitle', { count: missing.length })}</h3>
            <ul>
              {missing.map((m, i) => (
                <li key={`${m.kind}-${m.key ?? ''}-${i}`}>
                  <a
                    href={`#${missingTarget(m, grid.scale.min)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      focusField(missingTarget(m, grid.scale.min));
                    }}
                  >
                    {missingLabel(m, server.findingStatus, t)}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
        {actionError && <ErrorAlert error={actionError} className="fr-mb-2w" />}
        <ul className="fr-btns-group fr-btns-group--inline-md ptce-review__actions">
          {locked ? (
            <li>
              <button type="button" className="fr-btn fr-btn--secondary" onClick={() => void reopen()}>
                {t('reviewForm.reopen')}
              </button>
            </li>
          ) : (
            <li>
              <button type="button" className="fr-btn" onClick={() => void submit()}>
                {t('reviewForm.submit.button')}
              </button>
            </li>
          )}
        </ul>
      </form>
      <HistoryPanel dossierId={dossierId} version={server.revision} />
    </section>
  );
}

function focusField(id: string) {
  const el = document.getElementById(id);
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.focus();
}

function missingTarget(m: MissingItemView, min: number): string {
  const key = m.key ?? '';
  switch (m.kind) {
    case 'admissibility':
      return fieldId('adm', key);
    case 'override_reason':
      return fieldId('adm', key, 'reason');
    case 'eligibility':
      return fieldId('elig', key, 'oui');
    case 'score':
      return fieldId('score', key, String(min));
    case 'justification':
      return fieldId('just', key);
    case 'target':
      return fieldId('target', key);
    case 'fragile':
      return fieldId('fragile', 'qpv');
    case 'avis':
      return fieldId('avis', 'favorable');
    default:
      return fieldId(m.kind);
  }
}

export function findingLabel(key: string, status: string | null, t: TFunction): string {
  if (key === 'status') return t('reviewForm.admissibility.status', { status: status ? t(`admissibility.status.${status}`) : '' });
  if (key.startsWith('over_length:')) {
    const rubric = key.slice(12);
    const name = (RUBRIC_LABELS_FR as Record<string, string>)[rubric];
    return t('reviewForm.admissibility.overLength', { rubric: name ? `« ${name} »` : t('reviewForm.rubricKey', { key: rubric }) });
  }
  if (key.startsWith('missing:')) {
    const field = key.slice(8);
    return t('reviewForm.admissibility.missingField', { field: t(`mappingTargets.${field}`, { defaultValue: field }) });
  }
  const known = ['incomplete', 'late', 'other_region', 'esus_missing', 'legal_form_unknown'];
  return known.includes(key) ? t(`admissibility.flags.${key}`) : key;
}

function missingLabel(m: MissingItemView, status: string | null, t: TFunction): string {
  const key = m.kind === 'admissibility' || m.kind === 'override_reason' ? findingLabel(m.key ?? '', status, t) : (m.key ?? '');
  return t(`review.missing.${m.kind}`, { key });
}

function SaveStatus({
  state,
  locked,
  submittedAt,
  onRetry,
  onReload,
}: {
  state: SaveState;
  locked: boolean;
  submittedAt: string | null;
  onRetry: () => void;
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const time = (d: Date) => new Intl.DateTimeFormat(locale(i18n.language), { timeStyle: 'short', timeZone: PARIS }).format(d);
  let body: ReactNode;
  if (locked && submittedAt) body = t('reviewForm.save.submitted', { time: new Intl.DateTimeFormat(locale(i18n.language), { dateStyle: 'medium', timeStyle: 'short', timeZone: PARIS }).format(new Date(submittedAt)) });
  else if (state.kind === 'saving') body = t('reviewForm.save.saving');
  else if (state.kind === 'saved') body = t('reviewForm.save.saved', { time: time(state.at) });
  else if (state.kind === 'error')
    body = (
      <>
        {t('reviewForm.save.error', { reason: t(`errors.${state.error.code}`, state.error.params ?? {}) })}{' '}
        {state.error.code === 'review_conflict' || state.error.code === 'review_locked' ? (
          <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary" onClick={onReload}>
            {t('reviewForm.save.reload')}
          </button>
        ) : (
          <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary" onClick={onRetry}>
            {t('reviewForm.save.retry')}
          </button>
        )}
      </>
    );
  else body = t('reviewForm.save.idle');
  return (
    <p id="review-save-status" role="status" className={`fr-text--sm ptce-review__save ptce-review__save--${locked ? 'locked' : state.kind}`}>
      {body}
    </p>
  );
}

function Radios({
  name,
  idOf,
  options,
  value,
  onChange,
  inline,
}: {
  name: string;
  idOf: (value: string) => string;
  options: { value: string; label: string }[];
  value: string | null;
  onChange: (value: string) => void;
  inline?: boolean;
}) {
  return (
    <>
      {options.map((o) => (
        <div key={o.value} className={`fr-fieldset__element${inline ? ' fr-fieldset__element--inline' : ''}`}>
          <div className="fr-radio-group">
            <input type="radio" id={idOf(o.value)} name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <label className="fr-label" htmlFor={idOf(o.value)}>
              {o.label}
            </label>
          </div>
        </div>
      ))}
    </>
  );
}

function Checkbox({
  id,
  label,
  hint,
  checked,
  disabled,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="fr-fieldset__element">
      <div className="fr-checkbox-group">
        <input
          type="checkbox"
          id={id}
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label className="fr-label" htmlFor={id}>
          {label}
          {hint && (
            <span className="fr-hint-text" id={`${id}-hint`}>
              {hint}
            </span>
          )}
        </label>
      </div>
    </div>
  );
}

function TextArea({
  id,
  label,
  hint,
  required,
  rows = 3,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
  rows?: number;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="fr-input-group fr-mt-1w ptce-review__text">
      <label className="fr-label" htmlFor={id}>
        {label}
        {hint && <span className="fr-hint-text">{hint}</span>}
      </label>
      <textarea
        id={id}
        className="fr-input"
        rows={rows}
        value={value}
        required={required}
        aria-required={required || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function SupportTags({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim();
    if (tag === '' || value.includes(tag)) return;
    onChange([...value, tag]);
    setDraft('');
  };
  return (
    <div className="fr-mt-3w">
      <div className="fr-input-group">
        <label className="fr-label" htmlFor={fieldId('support')}>
          {t('reviewForm.support.label')}
          <span className="fr-hint-text">{t('reviewForm.support.hint')}</span>
        </label>
        <div className="ptce-review__tag-input">
          <input
            id={fieldId('support')}
            className="fr-input"
            value={draft}
            maxLength={500}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" className="fr-btn fr-btn--secondary" onClick={add}>
            {t('reviewForm.support.add')}
          </button>
        </div>
      </div>
      {value.length > 0 && (
        <ul className="fr-tags-group" aria-label={t('reviewForm.support.list')}>
          {value.map((tag) => (
            <li key={tag}>
              <button
                type="button"
                className="fr-tag fr-tag--dismiss"
                aria-label={t('reviewForm.support.remove', { tag })}
                onClick={() => onChange(value.filter((x) => x !== tag))}
              >
                {tag}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
