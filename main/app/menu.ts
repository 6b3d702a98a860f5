/**
 * The application menu as a pure template builder (labels through t(), actions injected), so a
 * plain-Node test can check its structure; index.ts hands it to Menu.buildFromTemplate.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { Translate } from './messages';

export interface MenuActions {
  saveAs(): void;
  restore(): void;
  about(): void;
}

export interface MenuOptions {
  t: Translate;
  actions: MenuActions;
  /** Reload and developer tools exist only in development builds. */
  isDev: boolean;
  isMac: boolean;
}

export function buildMenuTemplate({ t, actions, isDev, isMac }: MenuOptions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: t('desktop.menu.file'),
    submenu: [
      { id: 'saveAs', label: t('desktop.menu.saveAs'), accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.saveAs() },
      { id: 'restore', label: t('desktop.menu.restore'), click: () => actions.restore() },
      { type: 'separator' },
      { id: 'quit', label: t('desktop.menu.quit'), role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: t('desktop.menu.edit'),
    submenu: [
      { label: t('desktop.menu.undo'), role: 'undo' },
      { label: t('desktop.menu.redo'), role: 'redo' },
      { type: 'separator' },
      { label: t('desktop.menu.cut'), role: 'cut' },
      { label: t('desktop.menu.copy'), role: 'copy' },
      { label: t('desktop.menu.paste'), role: 'paste' },
      { label: t('desktop.menu.selectAll'), role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: t('desktop.menu.view'),
    submenu: [
      ...(isDev
        ? ([
            { id: 'reload', label: t('desktop.menu.reload'), role: 'reload' },
            { id: 'devTools', label: t('desktop.menu.devTools'), role: 'toggleDevTools' },
            { type: 'separator' },
          ] satisfies MenuItemConstructorOptions[])
        : []),
      { label: t('desktop.menu.resetZoom'), role: 'resetZoom' },
      { label: t('desktop.menu.zoomIn'), role: 'zoomIn' },
      { label: t('desktop.menu.zoomOut'), role: 'zoomOut' },
      { type: 'separator' },
      { label: t('desktop.menu.fullscreen'), role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: t('desktop.menu.help'),
    submenu: [{ id: 'about', label: t('desktop.menu.about'), click: () => actions.about() }],
  };
  // macOS puts Quit/About under the application menu named after the app.
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [{ label: t('app.name'), submenu: [{ label: t('desktop.menu.about'), click: () => actions.about() }, { type: 'separator' }, { label: t('desktop.menu.quit'), role: 'quit' }] }]
    : [];
  return [...appMenu, file, edit, view, help];
}
