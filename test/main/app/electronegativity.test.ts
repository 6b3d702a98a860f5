/**
 * The CI security gate (.ci/electronegativity.mjs) on throw-away fixtures: it must catch what
 * Electronegativity misses (security.md §0.1: nodeIntegration:true next to sandbox:false) and
 * fail on a HIGH finding that is not allow-listed, while the real main/ passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../../support/tmp';

const ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(ROOT, '.ci/electronegativity.mjs');

let cleanup = () => {};
afterEach(() => cleanup());

function fixture(files: Record<string, string>): string {
  const t = tempDir('eng-fixture-');
  cleanup = t.cleanup;
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(t.dir, name, '..'), { recursive: true });
    writeFileSync(join(t.dir, name), content);
  }
  return t.dir;
}

function gate(...args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const BAD_MAIN = `const { app, BrowserWindow, shell, ipcMain } = require('electron');
app.whenReady().then(() => {
  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, sandbox: false } });
  w.loadURL('app://x/index.html');
});
ipcMain.on('open', (e, url) => shell.openExternal(url));
`;

describe('.ci/electronegativity.mjs custom check', () => {
  it('flags nodeIntegration:true next to sandbox:false, and shell.openExternal', () => {
    const dir = fixture({ 'main.js': BAD_MAIN });
    const { status, out } = gate('--custom-only', '--dir', dir);
    expect(status).toBe(1);
    expect(out).toMatch(/main\.js:3 Node integration enabled/);
    expect(out).toMatch(/main\.js:3 sandbox disabled/);
    expect(out).toMatch(/main\.js:6 shell\.openExternal is not allowed/);
  });

  it.each([
    ["contextIsolation: false", 'context isolation disabled'],
    ["'webSecurity': false", 'web security disabled'],
    ['nodeIntegrationInSubFrames: true', 'Node integration enabled'],
    ['<webview src="https://x.example" allowpopups></webview>', 'webview'],
  ])('flags %s', (snippet, what) => {
    const dir = fixture({ 'sub/win.ts': `export const o = { ${snippet} };\n` });
    const { status, out } = gate('--custom-only', '--dir', dir);
    expect(status).toBe(1);
    expect(out).toContain(what);
  });

  it('passes hardened settings', () => {
    const dir = fixture({
      'win.ts': 'export const o = { nodeIntegration: false, sandbox: true, contextIsolation: true, webSecurity: true };\n',
    });
    const { status, out } = gate('--custom-only', '--dir', dir);
    expect(out).toContain('custom check OK');
    expect(status).toBe(0);
  });
});

describe('.ci/electronegativity.mjs with Electronegativity', () => {
  it('fails on a HIGH finding missing from the allow-list', () => {
    const dir = fixture({
      'app.js': `const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { contextIsolation: false } });\n`,
      'empty-allowlist.json': '[]',
    });
    const { status, out } = gate('--dir', dir, '--allowlist', join(dir, 'empty-allowlist.json'));
    expect(status).toBe(1);
    expect(out).toMatch(/HIGH CONTEXT_ISOLATION_JS_CHECK app\.js/);
  });

  it('passes on the real main/ with the reviewed allow-list', () => {
    const { status, out } = gate();
    expect(out).toContain('electronegativity: OK');
    expect(status).toBe(0);
  });
});
