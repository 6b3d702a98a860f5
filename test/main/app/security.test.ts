import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  hardenSession,
  hardenWebContents,
  installSecurity,
  isAllowedNavigation,
} from '../../../main/app/security';

describe('isAllowedNavigation', () => {
  it.each(['app://comite-ptce/index.html', 'app://comite-ptce/', 'app://comite-ptce/index.html#/campaigns/1?x=2'])(
    'allows %j (same app origin)',
    (url) => expect(isAllowedNavigation(url)).toBe(true),
  );

  it.each([
    'https://example.org/',
    'http://comite-ptce/index.html',
    'file:///etc/passwd',
    'file:///C:/Windows/System32/calc.exe',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://evil/index.html',
    'app://comite-ptce.evil.example/',
    'app://user@comite-ptce/',
    'app://comite-ptce:1/',
    'ms-msdt:/id PCWDiagnostic',
    '\\\\host\\share',
    'about:blank',
    '',
    'not a url',
  ])('denies %j', (url) => expect(isAllowedNavigation(url)).toBe(false));
});

describe('permission handlers', () => {
  it('deny every request and check', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      denyPermissionRequest(null, p, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(denyPermissionCheck()).toBe(false);
  });

  it('are installed on a session', () => {
    const installed: Record<string, (...a: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => void (installed.request = h),
      setPermissionCheckHandler: (h: never) => void (installed.check = h),
      setDevicePermissionHandler: (h: never) => void (installed.device = h),
    };
    hardenSession(session as never);
    let granted: boolean | undefined;
    (installed.request as (wc: unknown, p: string, cb: (g: boolean) => void) => void)(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect((installed.check as () => boolean)()).toBe(false);
    expect((installed.device as () => boolean)()).toBe(false);
  });
});

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}
const navEvent = (url: string) => {
  const e = { url, prevented: false, preventDefault() { e.prevented = true; } };
  return e;
};

describe('hardenWebContents', () => {
  const contents = new FakeContents();
  hardenWebContents(contents as never);

  it('denies every window.open / target=_blank', () => {
    expect(contents.openHandler!({ url: 'https://example.org' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'app://comite-ptce/index.html' })).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-redirect'])('%s: keeps same-origin navigation, blocks the rest', (name) => {
    const same = navEvent('app://comite-ptce/index.html#/x');
    contents.emit(name, same, same.url);
    expect(same.prevented).toBe(false);
    for (const url of ['https://example.org', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const e = navEvent(url);
      contents.emit(name, e, url);
      expect(e.prevented, url).toBe(true);
    }
  });

  it('uses the deprecated url argument when the event has none', () => {
    const e = { prevented: false, preventDefault() { e.prevented = true; } };
    contents.emit('will-navigate', e, 'https://example.org');
    expect(e.prevented).toBe(true);
  });

  it('refuses every <webview>', () => {
    const e = navEvent('');
    contents.emit('will-attach-webview', e, {}, {});
    expect(e.prevented).toBe(true);
  });
});

describe('installSecurity', () => {
  it('enables the sandbox and hardens every session and webContents created later', () => {
    const app = new EventEmitter() as EventEmitter & { enableSandbox(): void; sandboxed?: boolean };
    app.enableSandbox = () => (app.sandboxed = true);
    installSecurity(app as never);
    expect(app.sandboxed).toBe(true);

    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.openHandler!({ url: 'https://x.example' })).toEqual({ action: 'deny' });
    const e = navEvent('https://example.org');
    contents.emit('will-navigate', e, e.url);
    expect(e.prevented).toBe(true);

    const calls: string[] = [];
    app.emit('session-created', {
      setPermissionRequestHandler: () => calls.push('request'),
      setPermissionCheckHandler: () => calls.push('check'),
      setDevicePermissionHandler: () => calls.push('device'),
    });
    expect(calls).toEqual(['request', 'check', 'device']);
  });
});
