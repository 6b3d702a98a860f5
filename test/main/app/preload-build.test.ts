/**
 * Checks the BUILT sandboxed preload (out/preload/preload.cjs), not its source: one CommonJS file
 * whose only require is 'electron', where ipcRenderer is only touched inside functions, and whose
 * exposed `api` behaves as documented when run against a fake electron module.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { CHANNEL_NAMES, EVENT_NAME_LIST } from '../../../shared/ipc/channels';

const ROOT = resolve(__dirname, '../../..');
const BUILT = resolve(ROOT, 'out/preload/preload.cjs');
const SOURCES = ['main/preload/preload.ts', 'shared/ipc/channels.ts', 'electron.vite.config.ts'].map((f) => resolve(ROOT, f));

let code = '';

beforeAll(() => {
  const stale = !existsSync(BUILT) || SOURCES.some((s) => statSync(s).mtimeMs > statSync(BUILT).mtimeMs);
  if (stale) {
    execFileSync(process.execPath, [resolve(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    });
  }
  code = readFileSync(BUILT, 'utf8');
}, 180_000);

/** Every `ipcRenderer` reference, with whether it sits inside a function. */
function ipcRendererRefs(source: string): { inFunction: boolean; text: string }[] {
  const file = ts.createSourceFile('preload.cjs', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const refs: { inFunction: boolean; text: string }[] = [];
  const visit = (node: ts.Node, depth: number) => {
    const d = ts.isFunctionLike(node) ? depth + 1 : depth;
    if (ts.isIdentifier(node) && node.text === 'ipcRenderer') refs.push({ inFunction: d > 0, text: node.parent.getText() });
    if (ts.isStringLiteral(node) && node.text === 'ipcRenderer') refs.push({ inFunction: d > 0, text: node.parent.getText() });
    ts.forEachChild(node, (child) => visit(child, d));
  };
  visit(file, 0);
  return refs;
}

describe('built preload (out/preload/preload.cjs)', () => {
  it('is CommonJS whose only require is electron', () => {
    const requires = [...code.matchAll(/\brequire\s*\(\s*([^)]*?)\s*\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['"electron"']);
    expect(code).not.toMatch(/^\s*import\s|\bimport\s*\(|\bexport\s/m);
    expect(code.length).toBeLessThan(10_000); // nothing bundled in (zod, the contract, libraries)
  });

  it('touches ipcRenderer only inside functions, and exposes only `api`', () => {
    const refs = ipcRendererRefs(code);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !r.inFunction)).toEqual([]);
    const exposures = [...code.matchAll(/exposeInMainWorld\(([^)]*)\)/g)].map((m) => m[1]);
    expect(exposures).toEqual(['"api", api']);
  });

  it('the detector itself catches a top-level ipcRenderer exposure', () => {
    const bad = 'let electron = require("electron");\nelectron.contextBridge.exposeInMainWorld("ipc", electron.ipcRenderer);';
    expect(ipcRendererRefs(bad).filter((r) => !r.inFunction)).toHaveLength(1);
  });

  it('exposes a frozen api { invoke, on, pathsForFiles } that only forwards allowed channels and never leaks the IPC event', async () => {
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: 'from-main' }),
        on: (e: string, l: (...a: unknown[]) => void) => (listeners.get(e) ?? listeners.set(e, new Set()).get(e)!).add(l),
        removeListener: (e: string, l: (...a: unknown[]) => void) => listeners.get(e)?.delete(l),
      },
      webUtils: {
        getPathForFile: (f: { name: string }) => {
          if (f.name === 'bad') throw new Error('not a file from disk');
          return `/home/u/${f.name}`;
        },
      },
    };
    const requireFake = (name: string) => {
      if (name !== 'electron') throw new Error(`unexpected require ${name}`);
      return electron;
    };
    runInNewContext(code, { require: requireFake, module: { exports: {} }, exports: {} });

    expect(Object.keys(exposed)).toEqual(['api']);
    const api = exposed.api as {
      invoke(c: string, i?: unknown): Promise<unknown>;
      on(e: string, l: (p: unknown) => void): () => void;
      pathsForFiles(files: { name: string }[]): string[];
    };
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathsForFiles']);
    // Dropped files: their paths, '' for anything that is not a file from disk.
    expect(api.pathsForFiles([{ name: 'a.xlsx' }, { name: 'bad' }])).toEqual(['/home/u/a.xlsx', '']);

    expect(await api.invoke('fs:readFile', { path: '/etc/passwd' })).toEqual({ ok: false, error: { code: 'unknown_channel' } });
    expect(await api.invoke('__proto__')).toEqual({ ok: false, error: { code: 'unknown_channel' } });
    expect(invoked).toEqual([]);
    for (const channel of CHANNEL_NAMES) expect(await api.invoke(channel, {})).toEqual({ ok: true, value: 'from-main' });
    expect(invoked.map((a) => a[0])).toEqual([...CHANNEL_NAMES]);

    const got: unknown[][] = [];
    const off = api.on(EVENT_NAME_LIST[0], (...args: unknown[]) => got.push(args));
    const fakeEvent = { sender: electron.ipcRenderer, senderId: 0 };
    for (const l of listeners.get(EVENT_NAME_LIST[0])!) l(fakeEvent, { done: 1, total: 2 });
    expect(got).toEqual([[{ done: 1, total: 2 }]]); // payload only, never the event (and its sender)
    off();
    expect(listeners.get(EVENT_NAME_LIST[0])!.size).toBe(0);

    api.on('not-an-event', () => {});
    expect(listeners.has('not-an-event')).toBe(false);
  });
});
