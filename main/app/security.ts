/**
 * Process-wide hardening (security.md §1.1 rules 4, 5, 11–14): pure policy functions plus an
 * installer that takes Electron's `app` as an argument, so both run under plain Node in tests.
 * shell.openExternal is deliberately never used anywhere in the app.
 */
import type { App, Session, WebContents } from 'electron';
import { APP_ORIGIN } from '../core/ipc/dispatch';

/** Navigation stays inside the app's own scheme and host; anything unparsable is refused. */
export function isAllowedNavigation(url: string, appOrigin: string = APP_ORIGIN): boolean {
  try {
    // URL.origin is the opaque "null" for non-special schemes (app:, file:, javascript:), so the
    // scheme and host are compared themselves, never the origin strings.
    const target = new URL(url);
    const own = new URL(appOrigin);
    return (
      target.protocol === own.protocol &&
      target.host === own.host &&
      target.host !== '' &&
      target.username === '' &&
      target.password === ''
    );
  } catch {
    return false;
  }
}

/** Every permission (camera, notifications, geolocation, clipboard, …) is refused. */
export const denyPermissionRequest = (
  _wc: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void => callback(false);
export const denyPermissionCheck = (): boolean => false;

type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(() => false);
}

interface PreventableEvent {
  preventDefault(): void;
}
type ContentsLike = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

export function hardenWebContents(contents: ContentsLike, appOrigin: string = APP_ORIGIN): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const limit = (event: PreventableEvent & { url?: string }, url?: string) => {
    if (!isAllowedNavigation(event.url ?? url ?? '', appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', limit);
  contents.on('will-redirect', limit);
  contents.on('will-attach-webview', (event: PreventableEvent) => event.preventDefault());
}

type AppLike = Pick<App, 'enableSandbox' | 'on'>;

/** Call before `ready`: sandbox every renderer, then harden each session and webContents as created. */
export function installSecurity(app: AppLike, appOrigin: string = APP_ORIGIN): void {
  app.enableSandbox();
  app.on('session-created', (session) => hardenSession(session));
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appOrigin));
}
