import fr from '../../shared/locales/fr.json';
import en from '../../shared/locales/en.json';

type Tree = { [key: string]: string | Tree };

/** The CLI speaks the user's language (LANG=en… → English, otherwise French), from the same locale files. */
const lang = /^en/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '') ? 'en' : 'fr';
const messages: Tree = (lang === 'en' ? en : fr) as Tree;

export function t(key: string, params: Record<string, string | number> = {}): string {
  let node: string | Tree | undefined = messages;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  const text = typeof node === 'string' ? node : key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}
