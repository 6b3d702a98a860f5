import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { i18n } from './i18n';
import { call } from './ipc';

/** The language saved in the store's preferences; French when unset or unreadable. */
async function restoreLanguage() {
  try {
    const prefs = await call('prefs:get', {});
    if (prefs.language !== i18n.language) await i18n.changeLanguage(prefs.language);
  } catch {
    // keep French
  }
}

void restoreLanguage().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
