import { createHash, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { SigningIdentity } from '../../../main/core/keys/pkcs12';
import { byteOrder, canonicalBytes, type Manifest } from '../../../main/core/package/format';
import { signCms } from '../../../main/core/package/cms';
import { publicKeyFingerprint } from '../../../main/core/keys/keys';
import { readZipEntries } from '../../../main/core/package/verify';
import { deterministicZip } from '../../../main/core/package/zip';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export async function entries(zip: Buffer): Promise<Map<string, Buffer>> {
  return (await readZipEntries(zip)).files;
}

export async function rezip(zip: Buffer, edit: (files: Map<string, Buffer>) => void): Promise<Buffer> {
  const files = await entries(zip);
  edit(files);
  return deterministicZip(files);
}

export function flip(b: Buffer, at = Math.floor(b.length / 2)): Buffer {
  const c = Buffer.from(b);
  c[at]! ^= 0x01;
  return c;
}

/**
 * What a forger with some key can do: recompute every hash, SHA256SUMS and the manifest, and sign
 * it (Ed25519 with `key`, and CMS with `identity` when given).
 */
export function resign(
  files: Map<string, Buffer>,
  key: { privateKey: KeyObject; publicPem: string },
  edit: (m: Manifest) => void = () => {},
  identity?: SigningIdentity,
): void {
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Manifest;
  files.delete('manifest.json');
  files.delete('manifest.json.sig');
  files.delete('manifest.json.p7s');
  const content = [...files.keys()].filter((p) => p !== 'SHA256SUMS').sort(byteOrder);
  files.set('SHA256SUMS', Buffer.from(content.map((p) => `${sha256(files.get(p)!)}  ${p}\n`).join('')));
  manifest.files = [...files.keys()].sort(byteOrder).map((p) => ({ path: p, size: files.get(p)!.length, sha256: sha256(files.get(p)!) }));
  manifest.signer.publicKeyPem = key.publicPem;
  manifest.signer.keyFingerprint = publicKeyFingerprint(key.publicPem);
  edit(manifest);
  const bytes = canonicalBytes(manifest);
  files.set('manifest.json', bytes);
  files.set('manifest.json.sig', sign(null, bytes, key.privateKey));
  if (identity) files.set('manifest.json.p7s', signCms(bytes, identity, new Date(manifest.createdAt)));
}

/** A PKCS#12 identity read without the validity/usage checks (to forge packages with bad certificates). */
export function uncheckedIdentity(p12: Buffer, password: string): SigningIdentity {
  const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, password);
  const key = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]![0]!
    .key as forge.pki.rsa.PrivateKey;
  const certs = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]!.map((b) => b.cert!);
  const leaf = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n))!;
  return { certificate: leaf, chain: certs.filter((c) => c !== leaf), privateKey: key, subject: 'forged', certSha256: '' };
}
