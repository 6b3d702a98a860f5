import forge from 'node-forge';
import { certificateSha256, checkSigningCertificate, describeName, type SigningIdentity } from '../keys/pkcs12';

/**
 * Detached CMS SignedData over the manifest (RSA PKCS#1 v1.5 / SHA-256, signed attributes
 * contentType, messageDigest and signingTime fixed to the manifest creation time, certificate
 * chain included): deterministic, and accepted by `openssl cms -verify -binary`.
 */
export function signCms(content: Buffer, identity: SigningIdentity, signingTime: Date): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content.toString('binary'));
  p7.addCertificate(identity.certificate);
  for (const c of identity.chain) p7.addCertificate(c);
  p7.addSigner({
    key: identity.privateKey,
    certificate: identity.certificate,
    digestAlgorithm: forge.pki.oids.sha256!,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType!, value: forge.pki.oids.data },
      { type: forge.pki.oids.messageDigest! },
      { type: forge.pki.oids.signingTime!, value: signingTime as unknown as string },
    ],
  });
  p7.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

export type CmsReason =
  | 'cms_invalid'
  | 'cms_digest_mismatch'
  | 'cms_signature_invalid'
  | 'cms_cert_expired'
  | 'cms_cert_not_yet_valid'
  | 'cms_cert_not_signing'
  | 'cms_chain_invalid';

export interface CmsResult {
  reasons: CmsReason[];
  subject: string | null;
  certSha256: string | null;
  signingTime: string | null;
}

const A = forge.asn1;

/**
 * Verifies a detached CMS over `content`: messageDigest = SHA-256(content), the RSA signature over
 * the DER SET of signed attributes with the signer certificate (matched by issuer + serial), the
 * certificate's validity at signingTime and key usage, and, with `caPem`, the chain to that CA.
 */
export function verifyCms(p7s: Buffer, content: Buffer, caPem?: string): CmsResult {
  const out: CmsResult = { reasons: [], subject: null, certSha256: null, signingTime: null };
  try {
    const msg = forge.pkcs7.messageFromAsn1(A.fromDer(p7s.toString('binary'))) as forge.pkcs7.PkcsSignedData & {
      rawCapture: { signerInfos?: forge.asn1.Asn1[] };
    };
    const infos = msg.rawCapture.signerInfos ?? [];
    const info = infos[0];
    if (infos.length !== 1 || !info || !Array.isArray(info.value)) throw new Error('signerInfos');
    const parts = info.value as forge.asn1.Asn1[];
    const sid = parts[1]!.value as forge.asn1.Asn1[];
    const serial = forge.util.bytesToHex(sid[1]!.value as string);
    const attrsNode = parts.find((p) => p.tagClass === A.Class.CONTEXT_SPECIFIC && p.type === 0);
    const sigNode = parts.find((p) => p.tagClass === A.Class.UNIVERSAL && p.type === A.Type.OCTETSTRING);
    if (!attrsNode || !sigNode) throw new Error('attributes');
    const cert = msg.certificates.find((c) => c.serialNumber.replace(/^0+/, '') === serial.replace(/^0+/, ''));
    if (!cert) throw new Error('certificate');
    out.subject = describeName(cert.subject);
    out.certSha256 = certificateSha256(cert);
    let digest: string | null = null;
    let signingTime: Date | null = null;
    for (const attr of attrsNode.value as forge.asn1.Asn1[]) {
      const [oidNode, setNode] = attr.value as forge.asn1.Asn1[];
      const oid = A.derToOid(oidNode!.value as string);
      const value = (setNode!.value as forge.asn1.Asn1[])[0]!;
      if (oid === forge.pki.oids.messageDigest) digest = value.value as string;
      if (oid === forge.pki.oids.signingTime)
        signingTime = value.type === A.Type.UTCTIME ? A.utcTimeToDate(value.value as string) : A.generalizedTimeToDate(value.value as string);
    }
    const expected = forge.md.sha256.create().update(content.toString('binary')).digest().getBytes();
    if (digest !== expected) out.reasons.push('cms_digest_mismatch');
    const signedAttrs = A.create(A.Class.UNIVERSAL, A.Type.SET, true, attrsNode.value as forge.asn1.Asn1[]);
    const md = forge.md.sha256.create().update(A.toDer(signedAttrs).getBytes());
    let valid = false;
    try {
      valid = (cert.publicKey as forge.pki.rsa.PublicKey).verify(md.digest().getBytes(), sigNode.value as string);
    } catch {
      valid = false;
    }
    if (!valid) out.reasons.push('cms_signature_invalid');
    if (signingTime) out.signingTime = signingTime.toISOString();
    try {
      checkSigningCertificate(cert, signingTime ?? new Date());
    } catch (e) {
      const code = (e as { code?: string }).code;
      out.reasons.push(code === 'cert_expired' ? 'cms_cert_expired' : code === 'cert_not_yet_valid' ? 'cms_cert_not_yet_valid' : 'cms_cert_not_signing');
    }
    if (caPem !== undefined) {
      try {
        const store = forge.pki.createCaStore([caPem]);
        const others = msg.certificates.filter((c) => c !== cert);
        const chain = [cert];
        // Order the bundled intermediates from the leaf up.
        for (let cur = cert; ; ) {
          const next = others.find((c) => c.subject.hash === cur.issuer.hash && !chain.includes(c) && !store.hasCertificate(c));
          if (!next) break;
          chain.push(next);
          cur = next;
        }
        forge.pki.verifyCertificateChain(store, chain, {
          validityCheckDate: signingTime ?? new Date(),
        });
      } catch {
        out.reasons.push('cms_chain_invalid');
      }
    }
  } catch {
    out.reasons.push('cms_invalid');
  }
  return out;
}
