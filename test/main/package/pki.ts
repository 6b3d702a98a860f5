import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * A test PKI: a CA, and signer identities packed as PKCS#12 by `openssl pkcs12 -export` (OpenSSL 3
 * default) and `-legacy`. Keys come from openssl (fast); certificates are issued with node-forge so
 * validity dates can be in the past or the future.
 */
export interface TestPki {
  dir: string;
  caPem: string;
  caPath: string;
  password: string;
  p12: (name: string) => string;
}

const DAY = 86_400_000;

function rsaKey(dir: string, name: string): string {
  const path = join(dir, `${name}.key`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path], { stdio: 'pipe' });
  return readFileSync(path, 'utf8');
}

function issue(
  subjectCn: string,
  key: forge.pki.rsa.PrivateKey,
  issuer: { cert: forge.pki.Certificate | null; key: forge.pki.rsa.PrivateKey },
  opts: { notBefore: Date; notAfter: Date; ca?: boolean; keyUsage?: Record<string, boolean>; serial: string },
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = opts.serial;
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = [
    { shortName: 'C', value: 'FR' },
    { shortName: 'O', value: opts.ca ? 'Test National Office' : 'Prefecture Test' },
    { shortName: 'CN', value: subjectCn },
  ];
  cert.setSubject(subject);
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : subject);
  const exts: object[] = [{ name: 'basicConstraints', cA: Boolean(opts.ca), critical: true }];
  if (opts.ca) exts.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  else if (opts.keyUsage) exts.push({ name: 'keyUsage', critical: true, ...opts.keyUsage });
  // Agent certificates are often authentication-only (EKU clientAuth): the documented office
  // command needs `-purpose any` for them (security.md §0.8), and the tests prove it works.
  if (!opts.ca) exts.push({ name: 'extKeyUsage', clientAuth: true });
  cert.setExtensions(exts);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

export function makePki(dir: string, now: Date): TestPki {
  mkdirSync(dir, { recursive: true });
  const caKey = forge.pki.privateKeyFromPem(rsaKey(dir, 'ca')) as forge.pki.rsa.PrivateKey;
  const leafKeyPem = rsaKey(dir, 'leaf');
  const leafKey = forge.pki.privateKeyFromPem(leafKeyPem) as forge.pki.rsa.PrivateKey;
  const ca = issue('Test Root CA', caKey, { cert: null, key: caKey }, {
    notBefore: new Date(now.getTime() - 3650 * DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    ca: true,
    serial: '01',
  });
  const caPem = forge.pki.certificateToPem(ca);
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, caPem);
  const password = 'test1234';
  const signing = { digitalSignature: true, nonRepudiation: true };
  const leaves: Record<string, { notBefore: Date; notAfter: Date; keyUsage?: Record<string, boolean> }> = {
    signer: { notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() + 800 * DAY), keyUsage: signing },
    expired: { notBefore: new Date(now.getTime() - 900 * DAY), notAfter: new Date(now.getTime() - 1 * DAY), keyUsage: signing },
    future: { notBefore: new Date(now.getTime() + 10 * DAY), notAfter: new Date(now.getTime() + 800 * DAY), keyUsage: signing },
    encipher: { notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() + 800 * DAY), keyUsage: { keyEncipherment: true } },
  };
  let serial = 2;
  for (const [name, v] of Object.entries(leaves)) {
    const cert = issue(`Agent ${name}`, leafKey, { cert: ca, key: caKey }, { ...v, serial: `0${serial++}` });
    const certPath = join(dir, `${name}.pem`);
    writeFileSync(certPath, forge.pki.certificateToPem(cert));
    const common = ['pkcs12', '-export', '-inkey', join(dir, 'leaf.key'), '-in', certPath, '-certfile', caPath, '-passout', `pass:${password}`];
    execFileSync('openssl', [...common, '-out', join(dir, `${name}.p12`)], { stdio: 'pipe' });
    execFileSync('openssl', [...common, '-legacy', '-out', join(dir, `${name}-legacy.p12`)], { stdio: 'pipe' });
  }
  return { dir, caPem, caPath, password, p12: (name) => join(dir, `${name}.p12`) };
}
