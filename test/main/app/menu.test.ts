import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../../main/app/menu';
import { createTranslator, langOfLocale } from '../../../main/app/messages';
import fr from '../../../shared/locales/fr.json';
import en from '../../../shared/locales/en.json';

const sub = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const actions = () => ({ saveAs: vi.fn(), restore: vi.fn(), about: vi.fn() });

describe('buildMenuTemplate', () => {
  it('has Fichier / Édition / Affichage / Aide in French, with working actions', () => {
    const a = actions();
    const menu = buildMenuTemplate({ t: createTranslator('fr'), actions: a, isDev: false, isMac: false });
    expect(menu.map((m) => m.label)).toEqual(['Fichier', 'Édition', 'Affichage', 'Aide']);
    const file = sub(menu[0]);
    expect(file.filter((i) => i.label).map((i) => i.label)).toEqual(['Sauvegarder sous…', 'Restaurer…', 'Quitter']);
    expect(file.find((i) => i.id === 'quit')!.role).toBe('quit');
    (file.find((i) => i.id === 'saveAs')!.click as () => void)();
    (file.find((i) => i.id === 'restore')!.click as () => void)();
    (sub(menu[3]).find((i) => i.id === 'about')!.click as () => void)();
    expect(a.saveAs).toHaveBeenCalledOnce();
    expect(a.restore).toHaveBeenCalledOnce();
    expect(a.about).toHaveBeenCalledOnce();
    expect(sub(menu[1]).map((i) => i.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('offers reload and developer tools only in development', () => {
    const roles = (isDev: boolean) =>
      sub(buildMenuTemplate({ t: createTranslator('fr'), actions: actions(), isDev, isMac: false })[2]).map((i) => i.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('is translated to English and has an application menu on macOS', () => {
    const menu = buildMenuTemplate({ t: createTranslator('en'), actions: actions(), isDev: false, isMac: true });
    expect(menu.map((m) => m.label)).toEqual(['Comité PTCE', 'File', 'Edit', 'View', 'Help']);
    expect(sub(menu[1])[0]!.label).toBe('Save as…');
  });
});

describe('messages', () => {
  it('maps the OS locale to fr (default) or en', () => {
    expect(langOfLocale('fr-FR')).toBe('fr');
    expect(langOfLocale('en-US')).toBe('en');
    expect(langOfLocale('en')).toBe('en');
    expect(langOfLocale('de-DE')).toBe('fr');
    expect(langOfLocale('')).toBe('fr');
    expect(langOfLocale(undefined)).toBe('fr');
  });

  it('reads shared locale keys, interpolates, and falls back to the key', () => {
    const t = createTranslator('fr');
    expect(t('app.name')).toBe('Comité PTCE');
    expect(t('desktop.startup.keptAt', { path: '/x' })).toBe('Fichier concerné : /x');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('has the same desktop keys in French and English, none empty', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const frKeys = keys(fr.desktop, 'desktop.').sort();
    expect(keys(en.desktop, 'desktop.').sort()).toEqual(frKeys);
    const tFr = createTranslator('fr');
    const tEn = createTranslator('en');
    for (const key of frKeys) {
      expect(tFr(key)).not.toBe(key);
      expect(tEn(key)).not.toBe(key);
    }
  });
});
