import forge from 'node-forge';
import { AppFailure } from '../../../shared/errors';

/**
 * A PKCS#12 signing identity (certificate + RSA key + chain), read with node-forge (OpenSSL 3
 * default AES/PBKDF2 files and `-legacy` RC2/3DES files alike). The password is used once and not
 * kept. Refused: unreadable file or wrong password (`p12_invalid`), certificate expired
 * (`cert_expired`) or not yet valid (`cert_not_yet_valid`) at `now`, no keyUsage extension with
 * digitalSignature or nonRepudiation (`cert_not_signing`), non-RSA key (`cert_unsupported_key`).
 */
export interface SigningIdentity {
  certificate: forge.pki.Certificate;
  chain: forge.pki.Certificate[];
  privateKey: forge.pki.rsa.PrivateKey;
  subject: string;
  /** SHA-256 of the certificate DER, lowercase hex. */
  certSha256: string;
}

export function describeName(name: forge.pki.Certificate['subject']): string {
  return name.attributes.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(', ');
}

export function certificateSha256(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return forge.md.sha256.create().update(der).digest().toHex();
}

/** Validity and key-usage checks shared by import and verification. */
export function checkSigningCertificate(cert: forge.pki.Certificate, at: Date): void {
  if (at.getTime() < cert.validity.notBefore.getTime()) throw new AppFailure('cert_not_yet_valid');
  if (at.getTime() > cert.validity.notAfter.getTime()) throw new AppFailure('cert_expired');
  const ku = cert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (!ku || !(ku.digitalSignature || ku.nonRepudiation)) throw new AppFailure('cert_not_signing');
}

export function importPkcs12(file: Buffer, password: string, now: Date): SigningIdentity {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(file.toString('binary')), false, password);
  } catch {
    throw new AppFailure('p12_invalid');
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => Boolean(c));
  const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key && keyBags.length === 0) throw new AppFailure('p12_invalid');
  if (!key || !('n' in key)) throw new AppFailure('cert_unsupported_key');
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return 'n' in pub && pub.n.equals(key.n);
  });
  if (!leaf) throw new AppFailure('p12_invalid');
  checkSigningCertificate(leaf, now);
  return {
    certificate: leaf,
    chain: certs.filter((c) => c !== leaf),
    privateKey: key,
    subject: describeName(leaf.subject),
    certSha256: certificateSha256(leaf),
  };
}
