#!/usr/bin/env node
/**
 * Electron security gate (security.md §1.2–1.3, test cases 1 and 2).
 *
 * 1. Runs Doyensec Electronegativity on main/ (Electron version taken from node_modules/electron),
 *    writes a CSV report, and fails on any HIGH or MEDIUM finding that is not in the reviewed
 *    allow-list .ci/electronegativity-allowlist.json (entries: check + file [+ sample] + reason).
 *    The tool always exits 0, and its own `-o x.csv` writer is racy (it writes the header and the
 *    rows with two concurrent fs.writeFile calls, which mangled rows in our runs), so we call its
 *    runner module (the same code the CLI calls) and read the findings it returns.
 * 2. A custom check it does not do (§0.1: it misses `nodeIntegration: true` next to
 *    `sandbox: false`): fails on any weakened webPreferences flag, `<webview>`/`nodeintegration`
 *    attributes or shell.openExternal anywhere under the scanned folder.
 *
 * Usage: node .ci/electronegativity.mjs [--dir main] [--custom-only] [--report FILE.csv]
 * Exit code: 0 clean, 1 findings, 2 tool failure.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dir = resolve(ROOT, opt('--dir', 'main'));
const customOnly = args.includes('--custom-only');
const allowlistFile = resolve(ROOT, opt('--allowlist', '.ci/electronegativity-allowlist.json'));
const report = resolve(opt('--report', join(mkdtempSync(join(tmpdir(), 'eng-')), 'eng.csv')));

// ---------------------------------------------------------------------------------------------
// Custom check: weakened settings anywhere (source text, comments included: a false positive is
// cheap, a miss is not).
const DANGEROUS = [
  [/\bnodeIntegration(InWorker|InSubFrames)?['"]?\s*[:=]\s*(true|!0|1)\b/, 'Node integration enabled'],
  [/\bsandbox['"]?\s*[:=]\s*(false|!1|0)\b/, 'sandbox disabled'],
  [/\bcontextIsolation['"]?\s*[:=]\s*(false|!1|0)\b/, 'context isolation disabled'],
  [/\bwebSecurity['"]?\s*[:=]\s*(false|!1|0)\b/, 'web security disabled'],
  [/\ballowRunningInsecureContent['"]?\s*[:=]\s*(true|!0|1)\b/, 'insecure content allowed'],
  [/\bexperimentalFeatures['"]?\s*[:=]\s*(true|!0|1)\b/, 'experimental features enabled'],
  [/\bwebviewTag['"]?\s*[:=]\s*(true|!0|1)\b/, '<webview> enabled'],
  [/\benableBlinkFeatures\b/, 'Blink features enabled'],
  [/\benableRemoteModule\b|@electron\/remote/, 'remote module'],
  [/<webview\b/i, '<webview> element'],
  [/\b(nodeintegration|nodeintegrationinsubframes|disablewebsecurity|allowpopups)\b/, 'dangerous HTML attribute'],
  [/\bopenExternal\s*\(/, 'shell.openExternal is not allowed in this app'],
  [/\bELECTRON_DISABLE_SECURITY_WARNINGS\b/, 'security warnings disabled'],
];
const SOURCE = /\.(c|m)?(j|t)sx?$|\.html?$/;

function walk(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const p = join(folder, e.name);
    return e.isDirectory() ? walk(p) : SOURCE.test(e.name) ? [p] : [];
  });
}

export function customFindings(folder) {
  const out = [];
  for (const file of walk(folder)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [re, what] of DANGEROUS) {
          if (re.test(line)) out.push({ check: 'CUSTOM_WEAKENED_SETTING', file: relative(folder, file), line: i + 1, what, sample: line.trim().slice(0, 160) });
        }
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
async function electronegativity(folder) {
  const run = require('@doyensec/electronegativity/dist/runner.js');
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const sarif = report.replace(/\.csv$/, '') + '.sarif';
  const silence = console.log; // the runner prints translation-download noise even offline
  console.log = () => {};
  let result;
  try {
    result = await run(
      {
        input: folder,
        output: sarif,
        isSarif: true,
        customScan: [],
        // AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK needs GitHub and is skipped offline ("No connectivity?");
        // it cannot be excluded: this version's -x refuses global check names in its atomic list.
        excludeFromScan: [],
        severitySet: undefined,
        confidenceSet: undefined,
        isRelative: true,
        isVerbose: true,
        electronUpgrade: undefined,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
  } finally {
    console.log = silence;
  }
  const findings = result.issues.map((i) => ({
    check: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    location: `${i.location.line}:${i.location.column}`,
    sample: i.sample ?? 'N/A',
    description: i.description,
  }));
  const esc = (v) => `"${String(v).replace(/"/g, '""')}"`;
  writeFileSync(
    report,
    ['issue,severity,confidence,filename,location,sample,description']
      .concat(findings.map((f) => [f.check, f.severity, f.confidence, f.file, f.location, f.sample, f.description].map(esc).join(',')))
      .join('\n') + '\n',
  );
  return { findings, electronVersion, checks: result.globalChecks + result.atomicChecks, errors: result.errors ?? [] };
}

function loadAllowlist() {
  if (!existsSync(allowlistFile)) return [];
  const list = JSON.parse(readFileSync(allowlistFile, 'utf8'));
  for (const e of list) {
    if (!e.check || !e.file || typeof e.reason !== 'string' || e.reason.trim().length < 20) {
      throw new Error(`allow-list entry without check, file or a real reason: ${JSON.stringify(e)}`);
    }
  }
  return list;
}

const allowed = (f, list) =>
  list.find((e) => e.check === f.check && e.file === f.file && (e.sample === undefined || e.sample === f.sample));

// ---------------------------------------------------------------------------------------------
let failed = false;
const custom = customFindings(dir);
if (custom.length) {
  failed = true;
  console.error(`electronegativity: ${custom.length} weakened setting(s) under ${relative(ROOT, dir) || dir}:`);
  for (const f of custom) console.error(`  ${f.check} ${f.file}:${f.line} ${f.what}: ${f.sample}`);
} else {
  console.log(`electronegativity: custom check OK (no weakened webPreferences, webview or openExternal under ${relative(ROOT, dir) || dir})`);
}

if (!customOnly) {
  let scan;
  try {
    scan = await electronegativity(dir);
  } catch (error) {
    console.error('electronegativity: the scanner failed:', error);
    process.exit(2);
  }
  const list = loadAllowlist();
  const serious = scan.findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  const unexpected = serious.filter((f) => !allowed(f, list));
  const accepted = serious.filter((f) => allowed(f, list));
  const stale = list.filter((e) => !serious.some((f) => allowed(f, [e])));
  console.log(
    `electronegativity: ${scan.checks} checks (Electron ${scan.electronVersion}), ${scan.findings.length} finding(s), ` +
      `${serious.length} HIGH/MEDIUM, ${accepted.length} allow-listed; report ${report}`,
  );
  for (const f of accepted) console.log(`  allowed ${f.severity} ${f.check} ${f.file} ${f.location} — ${allowed(f, list).reason}`);
  for (const e of stale) console.log(`  note: allow-list entry no longer needed: ${e.check} ${e.file}`);
  if (unexpected.length) {
    failed = true;
    console.error(`electronegativity: ${unexpected.length} HIGH/MEDIUM finding(s) not in ${relative(ROOT, allowlistFile)}:`);
    for (const f of unexpected) console.error(`  ${f.severity} ${f.check} ${f.file} ${f.location} ${f.sample} — ${f.description}`);
  }
}

console.log(failed ? 'electronegativity: FAILED' : 'electronegativity: OK');
process.exit(failed ? 1 : 0);
