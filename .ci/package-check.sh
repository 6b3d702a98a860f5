#!/usr/bin/env bash
# Packaging check without an Electron binary (toolchain.md §5): electron-builder validates
# electron-builder.yml + package.json, applies `files`/`asarUnpack` and writes app.asar using a
# placeholder Electron; then we assert what the asar does and does not contain.
# Requires `npm run build` first. Never rebuilds native modules (-c.npmRebuild=false).
set -euo pipefail
cd "$(dirname "$0")/.."

for f in out/main/index.js out/main/importWorker.js out/main/avisPdfWorker.js out/preload/preload.cjs out/renderer/index.html; do
  [ -f "$f" ] || { echo "package-check: $f is missing, run 'npm run build' first" >&2; exit 1; }
done

mkdir -p .fake-electron/resources
if [ ! -x .fake-electron/electron ]; then
  printf '#!/bin/sh\necho "placeholder, not Electron" >&2\nexit 1\n' > .fake-electron/electron
  chmod +x .fake-electron/electron
fi

rm -rf dist/linux-unpacked
npx electron-builder --dir --linux -c.electronDist=.fake-electron -c.npmRebuild=false

ASAR=dist/linux-unpacked/resources/app.asar
[ -f "$ASAR" ] || { echo "package-check: $ASAR was not written" >&2; exit 1; }

node - "$ASAR" <<'JS'
const { listPackage } = require('@electron/asar');
const { existsSync, readdirSync } = require('node:fs');
const { join, relative } = require('node:path');
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const asar = process.argv[2];
const files = listPackage(asar, { isPack: false }).map((f) => f.split('\\').join('/'));
const has = (p) => files.includes(p);
const problems = [];

for (const p of ['/out/main/index.js', '/out/main/importWorker.js', '/out/main/avisPdfWorker.js', '/out/preload/preload.cjs', '/out/renderer/index.html', '/package.json', '/resources/docs/package-format.md', '/resources/docs/verify-with-openssl.md', '/resources/docs/meeting.md', '/resources/docs/contribution-format.md']) {
  if (!has(p)) problems.push(`missing ${p}`);
}
const forbidden = [
  [/devtools/i, 'dev tooling'],
  [/bridge/i, 'the HTTP bridge'],
  [/\/test\//, 'tests'],
  [/shared\/fixtures/, 'fixtures'],
  [/^\/(main|shared|renderer|test)\//, 'source folders'],
  [/^\/(?!node_modules\/).*\.tsx?$/, 'TypeScript sources'],
  [/^\/\.(fake-electron|git|ci)\b/, 'repository internals'],
  [/\.sqlite(-wal|-shm)?$/, 'databases'],
];
for (const f of files) {
  for (const [re, what] of forbidden) if (re.test(f)) problems.push(`${what}: ${f}`);
}
const pkg = JSON.parse(require('@electron/asar').extractFile(asar, 'package.json').toString());
if (pkg.main !== 'out/main/index.js') problems.push(`package.json main is ${pkg.main}`);

const unpacked = `${asar}.unpacked`;
const natives = existsSync(unpacked) ? walk(unpacked).filter((f) => f.endsWith('.node')).map((f) => relative(unpacked, f)) : [];
if (!natives.some((n) => n.endsWith('better_sqlite3.node'))) problems.push('better_sqlite3.node is not in app.asar.unpacked');
const fonts = join(asar, '..', 'fonts');
for (const f of ['Marianne-Regular.woff', 'Marianne-Bold.woff', 'Marianne-Regular_Italic.woff']) {
  if (!existsSync(join(fonts, f))) problems.push(`resources/fonts/${f} is missing (avis PDFs would fall back to Helvetica)`);
}

if (problems.length) {
  console.error(`package-check: FAILED (${problems.length})\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log(`package-check: OK — app.asar has ${files.length} entries (main, preload, renderer, package.json; no devtools/bridge/tests/sources), ${natives.length} native module(s) unpacked: ${natives.join(', ')}`);
JS
