import { useEffect, useRef, type ReactNode } from 'react';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { call } from '../ipc';
import { currentLanguage } from '../i18n';
import type { Language } from '../../../shared/domain/types';
import { MembersProvider } from '../members';
import { MemberBar, MemberGate } from './MemberBar';

/** Switches the interface language and remembers it in the store's preferences. */
async function switchLanguage(change: (lng: Language) => Promise<unknown>) {
  const next: Language = currentLanguage() === 'fr' ? 'en' : 'fr';
  await change(next);
  try {
    await call('prefs:set', { language: next });
  } catch {
    // The language still changes for this session; only persistence failed.
  }
}

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const shownPath = useRef(location.pathname);

  // After a client-side navigation, move focus to the new page (as a page load would) so that
  // keyboard and screen-reader users start reading at the new content.
  useEffect(() => {
    if (shownPath.current === location.pathname) return;
    shownPath.current = location.pathname;
    mainRef.current?.focus();
  }, [location.pathname]);

  const brandTop = (
    <>
      {t('layout.brandTopLine1')}
      <br />
      {t('layout.brandTopLine2')}
    </>
  );
  const homeLinkProps = { to: '/', title: t('layout.homeTitle') };

  return (
    <MembersProvider>
      <SkipLinks
        links={[
          { label: t('layout.skipToContent'), anchor: '#content' },
          { label: t('layout.skipToFooter'), anchor: '#footer' },
        ]}
      />
      <Header
        brandTop={brandTop}
        serviceTitle={t('app.name')}
        serviceTagline={t('app.tagline')}
        homeLinkProps={homeLinkProps}
        quickAccessItems={[
          {
            iconId: 'fr-icon-save-line',
            text: t('layout.backups'),
            linkProps: { to: '/backups', 'aria-current': location.pathname === '/backups' ? 'page' : undefined },
          },
          {
            iconId: 'fr-icon-shield-line' as const,
            text: t('packageUi.verifyAction'),
            linkProps: { to: '/verify', 'aria-current': location.pathname === '/verify' ? 'page' : undefined },
          },
          {
            iconId: 'fr-icon-question-line' as const,
            text: t('packageUi.helpAction'),
            linkProps: { to: '/help', 'aria-current': location.pathname === '/help' ? 'page' : undefined },
          },
          {
            iconId: 'fr-icon-translate-2',
            text: t('layout.otherLanguage'),
            buttonProps: {
              type: 'button',
              lang: t('layout.otherLanguageCode'),
              title: t('layout.switchLanguageTitle'),
              onClick: () => void switchLanguage((lng) => i18n.changeLanguage(lng)),
            },
          },
        ]}
      />
      <MemberBar />
      <main id="content" tabIndex={-1} ref={mainRef} className="fr-container fr-py-6w">
        <MemberGate>{children}</MemberGate>
      </main>
      <Footer
        id="footer"
        brandTop={brandTop}
        homeLinkProps={homeLinkProps}
        accessibility="non compliant"
        contentDescription={t('layout.footerDescription')}
        license={t('layout.license')}
        domains={[]}
      />
    </MembersProvider>
  );
}
