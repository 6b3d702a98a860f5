/**
 * Side effects every entry needs before the first render (main.tsx and the browser tests):
 * the DSFR stylesheet (fonts and icons bundled by Vite, nothing fetched), DSFR's runtime with
 * react-router's Link, and i18next.
 */
import '@codegouvfr/react-dsfr/main.css';
import './app.css';
import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { Link } from 'react-router';
import { useDsfrLang } from './i18n';

declare module '@codegouvfr/react-dsfr/spa' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

startReactDsfr({ defaultColorScheme: 'light', Link, useLang: useDsfrLang });
