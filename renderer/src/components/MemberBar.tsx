import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMembers } from '../members';
import { MemberForm } from './MemberForm';
import { usePageTitle } from './usePageTitle';
import '../review.css';

const ADD = 'add';

/** Always visible under the header: whose reviews are edited, who is at the keyboard, « Ajouter un membre ». */
export function MemberBar() {
  const { t } = useTranslation();
  const { loaded, members, active, keyboard, setActive, reload } = useMembers();
  const [adding, setAdding] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (adding) headingRef.current?.focus();
  }, [adding]);

  if (!loaded || members.length === 0) return null;
  const label = (m: { name: string; role: string }) => `${m.name} (${t(`members.roles.${m.role}`)})`;

  return (
    <div className="ptce-member-bar">
      <div className="fr-container ptce-member-bar__inner">
        <div className="ptce-member-bar__field">
          <label className="fr-label" htmlFor="active-member">
            {t('members.active')}
          </label>
          <select
            id="active-member"
            className="fr-select"
            value={active ? String(active.id) : ''}
            onChange={(e) => {
              if (e.target.value === ADD) {
                setAdding(true);
                return;
              }
              void setActive(Number(e.target.value), keyboard?.id ?? null);
            }}
          >
            {!active && (
              <option value="" disabled>
                {t('members.chooseMember')}
              </option>
            )}
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {label(m)}
              </option>
            ))}
            <option value={ADD}>{t('members.add')}</option>
          </select>
        </div>
        {members.length > 1 && active && (
          <div className="ptce-member-bar__field">
            <label className="fr-label" htmlFor="keyboard-member">
              {t('members.keyboard')}
            </label>
            <select
              id="keyboard-member"
              className="fr-select"
              value={keyboard ? String(keyboard.id) : ''}
              onChange={(e) => void setActive(active.id, e.target.value === '' ? null : Number(e.target.value))}
            >
              <option value="">{t('members.keyboardSame')}</option>
              {members
                .filter((m) => m.id !== active.id)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {label(m)}
                  </option>
                ))}
            </select>
          </div>
        )}
        {keyboard && active && (
          <p className="fr-badge fr-badge--warning fr-badge--sm ptce-member-bar__typing" role="status">
            {t('members.typingFor', { keyboard: keyboard.name, member: active.name })}
          </p>
        )}
      </div>
      {adding && (
        <section className="fr-container fr-py-3w" aria-labelledby="add-member-title">
          <h2 id="add-member-title" className="fr-h5" tabIndex={-1} ref={headingRef}>
            {t('members.addTitle')}
          </h2>
          <MemberForm
            activate
            keyboardMemberId={active?.id ?? null}
            onCreated={async () => {
              await reload();
              setAdding(false);
            }}
            onCancel={() => setAdding(false)}
          />
        </section>
      )}
    </div>
  );
}

/** First launch: while no member exists, « Qui êtes-vous ? » replaces the pages. */
export function MemberGate({ children }: { children: ReactNode }) {
  const { loaded, failed, members, reload } = useMembers();
  if (!loaded) return null;
  if (failed || members.length > 0) return <>{children}</>;
  return <WhoAreYou onDone={reload} />;
}

function WhoAreYou({ onDone }: { onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  usePageTitle(t('members.whoTitle'));
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>{t('members.whoTitle')}</h1>
        <p className="fr-text--lead">{t('members.whoLead')}</p>
        <MemberForm activate firstLaunch onCreated={onDone} />
      </div>
    </div>
  );
}
