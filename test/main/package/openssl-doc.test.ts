import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPackage } from '../../../main/core/package/build';
import { importPkcs12 } from '../../../main/core/keys/pkcs12';
import { CLOCK, demoStore } from './support';
import { makePki, type TestPki } from './pki';
import { flip, rezip } from './tamper-support';

/**
 * The office's verification procedure, exactly as written in resources/docs/verify-with-openssl.md:
 * every ```sh block is extracted and run, in order, on a real package of the demo store.
 */
const DOC = readFileSync(join(__dirname, '../../../resources/docs/verify-with-openssl.md'), 'utf8');
const BLOCKS = [...DOC.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

let s: ReturnType<typeof demoStore>;
let pki: TestPki;
let zip: Buffer;
let fileName: string;
let n = 0;

beforeAll(async () => {
  s = demoStore();
  pki = makePki(join(s.dir, 'pki'), CLOCK);
  const identity = importPkcs12(readFileSync(pki.p12('signer-legacy')), pki.password, CLOCK);
  const out = join(s.dir, 'out');
  mkdirSync(out);
  const { path, built } = await exportPackage(s.store.db, out, { signer: s.signer, identity, now: () => CLOCK });
  zip = readFileSync(path);
  fileName = built.fileName;
});
afterAll(() => s.cleanup());

/** Runs the doc's blocks in a fresh folder holding the package, pub.pem and ca.pem; one exit status per block. */
function runDoc(pkg: Buffer, caPem = pki.caPem): { status: number; out: string }[] {
  const dir = join(s.dir, `doc${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, fileName), pkg);
  writeFileSync(join(dir, 'pub.pem'), s.signer.key.publicPem);
  writeFileSync(join(dir, 'ca.pem'), caPem);
  return BLOCKS.map((block) => {
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', block], { cwd: dir, encoding: 'utf8' });
    return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  });
}

describe('verify-with-openssl.md', () => {
  it('has the extraction, fingerprint, Ed25519, CMS, hash and extra-file blocks with the documented commands', () => {
    expect(BLOCKS).toHaveLength(6);
    const all = BLOCKS.join('\n');
    expect(all).toContain('openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in manifest.json -sigfile manifest.json.sig');
    expect(all).toContain(
      'openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile ca.pem -purpose any -out /dev/null',
    );
    expect(all).toContain('sha256sum -c SHA256SUMS');
  });

  it('every block succeeds on a real package; the fingerprint printed is the manifest one', () => {
    const results = runDoc(zip);
    expect(results.map((r) => r.status)).toEqual(BLOCKS.map(() => 0));
    expect(results[1]!.out).toContain(s.signer.key.fingerprint);
    expect(results[2]!.out).toContain('Signature Verified Successfully');
    expect(results[3]!.out).toContain('CMS Verification successful');
    // The signer certificate's EKU is clientAuth only: without `-purpose any`, openssl refuses it.
    const dir = join(s.dir, `doc${n}`);
    const strict = spawnSync(
      'openssl',
      ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'manifest.json.p7s', '-content', 'manifest.json', '-CAfile', 'ca.pem', '-out', '/dev/null'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(strict.status).not.toBe(0);
    expect(strict.stderr).toMatch(/unsuitable certificate purpose/);
  });

  it('fails at the right block on tampered packages', async () => {
    const statuses = (pkg: Buffer, ca?: string) => runDoc(pkg, ca).map((r) => r.status !== 0);
    // manifest edited → Ed25519 (3) and CMS (4) fail
    const manifest = await rezip(zip, (f) => f.set('manifest.json', flip(f.get('manifest.json')!, 30)));
    expect(statuses(manifest).slice(2, 4)).toEqual([true, true]);
    // an avis changed → hashes (5) fail, signatures still hold
    const avis = await rezip(zip, (f) => {
      const p = [...f.keys()].find((k) => k.startsWith('avis/'))!;
      f.set(p, flip(f.get(p)!));
    });
    expect(statuses(avis)).toEqual([false, false, false, false, true, false]);
    // a file added → extra-file check (6) fails
    const added = await rezip(zip, (f) => f.set('avis/1.json', Buffer.from('{}\n')));
    expect(statuses(added)).toEqual([false, false, false, false, false, true]);
    // a file removed → hashes (5) and extra-file (6) fail
    const removed = await rezip(zip, (f) => f.delete('synthese.xlsx'));
    expect(statuses(removed).slice(4)).toEqual([true, true]);
    // another CA → CMS (4) fails
    const other = makePki(join(s.dir, 'pki-other'), CLOCK);
    expect(statuses(zip, other.caPem)).toEqual([false, false, false, true, false, false]);
  });
});
