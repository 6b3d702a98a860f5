import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { createEmitter, frameInfoOf, handleIpc, payloadSize, registerIpc } from '../../../main/app/ipc';
import { openRuntime, type Runtime } from '../../../main/core/runtime';
import { nullLogger } from '../../../main/core/log';
import { CHANNEL_NAMES } from '../../../shared/ipc/channels';
import type { Dispatch } from '../../../main/core/ipc/dispatch';
import { tempDir } from '../../support/tmp';

const TOP = { url: 'app://comite-ptce/index.html', isMainFrame: true };

let runtime: Runtime | undefined;
let cleanup = () => {};
afterEach(() => {
  runtime?.close();
  runtime = undefined;
  cleanup();
});

function realDispatch(): Dispatch {
  const t = tempDir();
  cleanup = t.cleanup;
  runtime = openRuntime({ dbPath: join(t.dir, 'store.sqlite'), log: nullLogger });
  return runtime.dispatch;
}

describe('handleIpc: sender checks come before the dispatcher', () => {
  it.each([
    ['another origin', { url: 'https://evil.example/', isMainFrame: true }],
    ['a file: page', { url: 'file:///home/user/evil.html', isMainFrame: true }],
    ['a sub-frame of our own origin', { url: 'app://comite-ptce/index.html', isMainFrame: false }],
    ['a look-alike host', { url: 'app://comite-ptce.evil.example/', isMainFrame: true }],
    ['a destroyed frame', { url: null, isMainFrame: false }],
    ['an unparsable URL', { url: 'not a url', isMainFrame: true }],
  ])('refuses %s with forbidden_sender, without dispatching', async (_name, frame) => {
    const dispatch = vi.fn<Dispatch>();
    const result = await handleIpc(dispatch, 'app:info', frame, {});
    expect(result).toEqual({ ok: false, error: { code: 'forbidden_sender' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('passes a trusted call through to the dispatcher', async () => {
    const dispatch = vi.fn<Dispatch>(async () => ({ ok: true, value: 42 }));
    expect(await handleIpc(dispatch, 'campaign:list', TOP, {})).toEqual({ ok: true, value: 42 });
    expect(dispatch).toHaveBeenCalledWith('campaign:list', {});
  });
});

describe('handleIpc with the real dispatcher', () => {
  it('answers a good call', async () => {
    const dispatch = realDispatch();
    const result = await handleIpc(dispatch, 'prefs:set', TOP, { language: 'en' });
    expect(result).toEqual({ ok: true, value: { language: 'en' } });
    const info = await handleIpc(dispatch, 'app:info', TOP, {});
    expect(info.ok).toBe(true);
  });

  it.each([
    ['extra keys', 'prefs:set', { language: 'fr', admin: true }],
    ['a wrong type', 'campaign:get', { campaignId: '1' }],
    ['a negative id', 'dossier:get', { campaignId: 1, number: -3 }],
    ['an array', 'prefs:set', ['fr']],
    ['a 10 MB string', 'prefs:set', { language: 'x'.repeat(10 * 1024 * 1024) }],
    ['a 10 MB string on a no-input channel', 'app:info', { junk: 'x'.repeat(10 * 1024 * 1024) }],
  ])('rejects a payload with %s as validation', async (_name, channel, payload) => {
    const dispatch = realDispatch();
    expect(await handleIpc(dispatch, channel, TOP, payload)).toEqual({ ok: false, error: { code: 'validation' } });
  });

  it('rejects an oversized payload before validation runs', async () => {
    const dispatch = vi.fn<Dispatch>();
    const result = await handleIpc(dispatch, 'prefs:set', TOP, { language: 'x'.repeat(2_000_000) });
    expect(result).toEqual({ ok: false, error: { code: 'validation' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('treats an unknown channel as unknown_channel', async () => {
    const dispatch = realDispatch();
    expect(await handleIpc(dispatch, 'fs:read', TOP, {})).toEqual({ ok: false, error: { code: 'unknown_channel' } });
  });
});

describe('payloadSize', () => {
  it('measures JSON bytes and refuses what is not JSON', () => {
    expect(payloadSize(undefined)).toBe(0);
    expect(payloadSize({ a: 'é' })).toBe(Buffer.byteLength('{"a":"é"}'));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(payloadSize(cyclic)).toBe(Infinity);
    expect(payloadSize(10n)).toBe(Infinity);
  });
});

describe('registerIpc', () => {
  function fakeIpcMain() {
    const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
    return {
      handlers,
      handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => void handlers.set(channel, fn),
      removeHandler: (channel: string) => void handlers.delete(channel),
    };
  }

  it('registers exactly the contract channels and checks the real event frame', async () => {
    const ipcMain = fakeIpcMain();
    const dispatch = vi.fn<Dispatch>(async () => ({ ok: true, value: 'ok' }));
    const unregister = registerIpc(ipcMain as never, dispatch);
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());

    const mainFrame = { url: 'app://comite-ptce/index.html' };
    const good = { senderFrame: mainFrame, sender: { mainFrame } };
    expect(await ipcMain.handlers.get('app:info')!(good, {})).toEqual({ ok: true, value: 'ok' });

    const subFrame = { url: 'app://comite-ptce/index.html' };
    const sub = { senderFrame: subFrame, sender: { mainFrame } };
    expect(await ipcMain.handlers.get('app:info')!(sub, {})).toEqual({ ok: false, error: { code: 'forbidden_sender' } });

    const evilFrame = { url: 'https://evil.example/' };
    const evil = { senderFrame: evilFrame, sender: { mainFrame: evilFrame } };
    expect(await ipcMain.handlers.get('backup:restore')!(evil, {})).toEqual({ ok: false, error: { code: 'forbidden_sender' } });
    expect(dispatch).toHaveBeenCalledTimes(1);

    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('frameInfoOf treats a missing frame as untrusted', () => {
    expect(frameInfoOf({ senderFrame: null, sender: { mainFrame: null } } as never)).toEqual({ url: undefined, isMainFrame: false });
  });
});

describe('createEmitter', () => {
  it('sends to a live window and drops events when there is none', () => {
    const sent: unknown[] = [];
    let destroyed = false;
    const wc = { send: (...a: unknown[]) => sent.push(a), isDestroyed: () => destroyed };
    let target: typeof wc | null = wc;
    const emit = createEmitter(() => target);
    emit('store:changed', { reason: 'restored' });
    destroyed = true;
    emit('store:changed', { reason: 'restored' });
    target = null;
    emit('backup:progress', { done: 1, total: 2 });
    expect(sent).toEqual([['store:changed', { reason: 'restored' }]]);
  });
});
