import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage } from '../../../main/core/package/build';
import { importPkcs12 } from '../../../main/core/keys/pkcs12';
import { verifyPackageBytes, type ReasonCode, type VerifyResult } from '../../../main/core/package/verify';
import { deterministicZip } from '../../../main/core/package/zip';
import { CLOCK, demoStore } from './support';
import { makePki, type TestPki } from './pki';
import { entries, flip, resign, rezip, uncheckedIdentity } from './tamper-support';

let s: ReturnType<typeof demoStore>;
let pki: TestPki;
let good: Buffer;
let goodCms: Buffer;
let pubPath: string;
let n = 0;

beforeAll(async () => {
  s = demoStore();
  pki = makePki(join(s.dir), CLOCK);
  good = (await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK })).zip;
  const identity = importPkcs12(readFileSync(pki.p12('signer')), pki.password, CLOCK);
  goodCms = (await buildPackage(s.store.db, { signer: s.signer, identity, now: () => CLOCK })).zip;
  pubPath = join(s.dir, 'pub.pem');
  writeFileSync(pubPath, s.signer.key.publicPem);
});
afterAll(() => s.cleanup());

const codes = (r: VerifyResult): ReasonCode[] => [...new Set(r.reasons.map((x) => x.code))].sort();

/** Extracts a package and runs one openssl/sha256sum check on it; returns the exit status. */
function shell(zip: Buffer, script: string): number {
  const dir = join(s.dir, `x${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'p.zip'), zip);
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', `unzip -q p.zip && ${script}`], { cwd: dir, stdio: 'pipe' });
  return r.status ?? -1;
}
const PKEYUTL = `openssl pkeyutl -verify -pubin -inkey PUB -rawin -in manifest.json -sigfile manifest.json.sig`;
const ed = (zip: Buffer) => shell(zip, PKEYUTL.replace('PUB', pubPath));
const sums = (zip: Buffer) => shell(zip, 'sha256sum -c --quiet SHA256SUMS');
const cms = (zip: Buffer) =>
  shell(zip, `openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile ${pki.caPath} -purpose any -out /dev/null`);

describe('tampered packages', () => {
  it('the untouched packages verify, with openssl too', async () => {
    expect(await verifyPackageBytes(good, { pubkeyPem: s.signer.key.publicPem })).toMatchObject({ ok: true, reasons: [] });
    expect(await verifyPackageBytes(goodCms, { pubkeyPem: s.signer.key.publicPem, caPem: pki.caPem })).toMatchObject({
      ok: true,
      signer: { authenticated: true, certificate: { subject: expect.stringContaining('Agent signer') } },
    });
    expect(ed(good)).toBe(0);
    expect(sums(good)).toBe(0);
    expect(cms(goodCms)).toBe(0);
  });

  it('one byte flipped in each kind of content file → file_changed (sha256sum fails too)', async () => {
    const files = await entries(good);
    const kinds = ['avis/', 'synthese.csv', 'synthese.xlsx', 'journal.jsonl'];
    for (const kind of kinds) {
      const path = [...files.keys()].find((p) => p.startsWith(kind))!;
      const bad = await rezip(good, (f) => f.set(path, flip(f.get(path)!)));
      const r = await verifyPackageBytes(bad, { pubkeyPem: s.signer.key.publicPem });
      expect(r.ok, path).toBe(false);
      expect(r.reasons, path).toContainEqual({ code: 'file_changed', path });
      expect(sums(bad), path).not.toBe(0);
      expect(ed(bad), path).toBe(0); // the manifest itself is intact: only the hash step catches it
    }
  });

  it('SHA256SUMS changed → file_changed and sums_mismatch', async () => {
    const bad = await rezip(good, (f) => f.set('SHA256SUMS', flip(f.get('SHA256SUMS')!, 3)));
    expect(codes(await verifyPackageBytes(bad))).toEqual(['file_changed', 'sums_mismatch']);
  });

  it('one byte flipped in the manifest or in the signature → signature_invalid (openssl fails)', async () => {
    const m = await rezip(good, (f) => f.set('manifest.json', flip(f.get('manifest.json')!, 40)));
    const rm = await verifyPackageBytes(m, { pubkeyPem: s.signer.key.publicPem });
    expect(rm.ok).toBe(false);
    expect(codes(rm)).toContain('signature_invalid');
    expect(ed(m)).not.toBe(0);
    const sig = await rezip(good, (f) => f.set('manifest.json.sig', flip(f.get('manifest.json.sig')!, 10)));
    expect(codes(await verifyPackageBytes(sig, { pubkeyPem: s.signer.key.publicPem }))).toEqual(['signature_invalid']);
    expect(ed(sig)).not.toBe(0);
  });

  it('the manifest edited (draft flag) → signature_invalid', async () => {
    const bad = await rezip(good, (f) =>
      f.set('manifest.json', Buffer.from(f.get('manifest.json')!.toString().replace('"draft":false', '"draft":true '))),
    );
    expect(codes(await verifyPackageBytes(bad, { pubkeyPem: s.signer.key.publicPem }))).toEqual(['signature_invalid']);
    expect(ed(bad)).not.toBe(0);
  });

  it('two files swapped → file_changed for both', async () => {
    const files = await entries(good);
    const [a, b] = [...files.keys()].filter((p) => p.startsWith('avis/'));
    const bad = await rezip(good, (f) => {
      const x = f.get(a!)!;
      f.set(a!, f.get(b!)!);
      f.set(b!, x);
    });
    const r = await verifyPackageBytes(bad);
    expect(r.reasons.filter((x) => x.code === 'file_changed').map((x) => x.path).sort()).toEqual([a, b].sort());
    expect(sums(bad)).not.toBe(0);
  });

  it('a file added → file_unlisted; a listed file removed → file_missing', async () => {
    const added = await rezip(good, (f) => f.set('avis/999999.json', Buffer.from('{}\n')));
    expect((await verifyPackageBytes(added)).reasons).toEqual([{ code: 'file_unlisted', path: 'avis/999999.json' }]);
    const removed = await rezip(good, (f) => f.delete('synthese.csv'));
    expect((await verifyPackageBytes(removed)).reasons).toEqual([{ code: 'file_missing', path: 'synthese.csv' }]);
    expect(sums(removed)).not.toBe(0);
  });

  it('a package re-signed by another key → signature_invalid + pubkey_mismatch against the pinned key; unauthenticated without it', async () => {
    const other = generateKeyPairSync('ed25519');
    const key = { privateKey: other.privateKey, publicPem: other.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    const bad = await rezip(good, (f) => resign(f, key, (m) => (m.draft = true)));
    expect(codes(await verifyPackageBytes(bad, { pubkeyPem: s.signer.key.publicPem }))).toEqual(['pubkey_mismatch', 'signature_invalid']);
    expect(ed(bad)).not.toBe(0);
    const unpinned = await verifyPackageBytes(bad);
    expect(unpinned.ok).toBe(true);
    expect(unpinned.signer.authenticated).toBe(false);
    expect(unpinned.signer.keyFingerprint).not.toBe(s.signer.key.fingerprint);
  });

  it('a journal rewritten by the signer (consistent hashes, re-signed) → journal_broken', async () => {
    const bad = await rezip(good, (f) => {
      const lines = f.get('journal.jsonl')!.toString().split('\n');
      lines[1] = lines[1]!.replace('"action":"create"', '"action":"delete"');
      f.set('journal.jsonl', Buffer.from(lines.join('\n')));
      resign(f, { privateKey: s.signer.privateKey, publicPem: s.signer.key.publicPem });
    });
    const r = await verifyPackageBytes(bad, { pubkeyPem: s.signer.key.publicPem });
    expect(r.reasons).toEqual([{ code: 'journal_broken', path: 'journal.jsonl', detail: 'seq 2' }]);
  });

  it('an unknown format version → format_version_unknown', async () => {
    const bad = await rezip(good, (f) => resign(f, { privateKey: s.signer.privateKey, publicPem: s.signer.key.publicPem }, (m) => (m.formatVersion = 2)));
    expect(codes(await verifyPackageBytes(bad, { pubkeyPem: s.signer.key.publicPem }))).toEqual(['format_version_unknown']);
  });

  it('a missing manifest, a missing signature, a non-ZIP → their own reasons', async () => {
    expect(codes(await verifyPackageBytes(await rezip(good, (f) => f.delete('manifest.json'))))).toEqual(['manifest_missing']);
    expect(codes(await verifyPackageBytes(await rezip(good, (f) => f.delete('manifest.json.sig'))))).toEqual(['signature_missing']);
    expect(codes(await verifyPackageBytes(Buffer.from('not a zip')))).toEqual(['zip_unreadable']);
    const files = await entries(good);
    files.set('manifest.json', Buffer.from('{not json'));
    expect(codes(await verifyPackageBytes(await deterministicZip(files)))).toEqual(['manifest_invalid']);
  });

  it('CMS: a flipped byte, a CMS over another manifest, an expired or not-yet-valid certificate, an unknown CA', async () => {
    const opts = { pubkeyPem: s.signer.key.publicPem, caPem: pki.caPem };
    const flipped = await rezip(goodCms, (f) => f.set('manifest.json.p7s', flip(f.get('manifest.json.p7s')!, f.get('manifest.json.p7s')!.length - 20)));
    expect(codes(await verifyPackageBytes(flipped, opts))).toEqual(['cms_signature_invalid']);
    expect(cms(flipped)).not.toBe(0);

    // The CMS of the CMS package placed beside another manifest (the plain package's one).
    const plain = await entries(good);
    const otherManifest = await rezip(goodCms, (f) => f.set('manifest.json', plain.get('manifest.json')!));
    expect(codes(await verifyPackageBytes(otherManifest, opts))).toEqual(expect.arrayContaining(['cms_digest_mismatch', 'signature_invalid']));

    const expired = uncheckedIdentity(readFileSync(pki.p12('expired')), pki.password);
    const withExpired = await rezip(goodCms, (f) => resign(f, { privateKey: s.signer.privateKey, publicPem: s.signer.key.publicPem }, (m) => (m.signer.certificate = null), expired));
    expect(codes(await verifyPackageBytes(withExpired, opts))).toEqual(['cms_cert_expired', 'cms_chain_invalid']);
    expect(cms(withExpired)).not.toBe(0);

    const future = uncheckedIdentity(readFileSync(pki.p12('future')), pki.password);
    const withFuture = await rezip(goodCms, (f) => resign(f, { privateKey: s.signer.privateKey, publicPem: s.signer.key.publicPem }, (m) => (m.signer.certificate = null), future));
    expect(codes(await verifyPackageBytes(withFuture, opts))).toEqual(['cms_cert_not_yet_valid', 'cms_chain_invalid']);

    const otherPki = makePki(join(s.dir, 'x-other'), CLOCK);
    expect(codes(await verifyPackageBytes(goodCms, { ...opts, caPem: otherPki.caPem }))).toEqual(['cms_chain_invalid']);
    expect(
      spawnSync('bash', ['-c', `unzip -q -o p.zip && openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile ${otherPki.caPath} -purpose any -out /dev/null`], {
        cwd: (() => {
          const d = join(s.dir, `x${++n}`);
          mkdirSync(d);
          writeFileSync(join(d, 'p.zip'), goodCms);
          return d;
        })(),
      }).status,
    ).not.toBe(0);
  });
});
