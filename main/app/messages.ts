/**
 * t() for the desktop shell's native UI, the same approach as main/cli/messages.ts: the shared
 * locale files (app.*, errors.*, desktop.*); French by default.
 */
import fr from '../../shared/locales/fr.json';
import en from '../../shared/locales/en.json';

export type Lang = 'fr' | 'en';
type Tree = { [key: string]: string | Tree };
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** `app.getLocale()` → 'en' for any English locale, otherwise French (the default language). */
export function langOfLocale(locale: string | undefined | null): Lang {
  return /^en\b/i.test(locale ?? '') ? 'en' : 'fr';
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

export function createTranslator(lang: Lang): Translate {
  const shared = (lang === 'en' ? en : fr) as Tree;
  return (key, params = {}) => {
    const text = lookup(shared, key) ?? key;
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
  };
}
