import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { attachmentPath } from '../store/paths';
import type { ZipSource } from './zip-stream';

/** Folder of the attachments in the package: `pieces/<dossier number>/<name>`. */
export const PIECES_DIR = 'pieces';
const MAX_NAME_BYTES = 150;

/**
 * A file name safe on every system that unzips the package: NFC, no path separators, no control
 * or Windows-reserved characters, no leading dot, no trailing dot or space, no reserved device
 * name, at most 150 UTF-8 bytes (the extension kept). Never empty.
 */
export function sanitiseAttachmentName(raw: string): string {
  let name = raw
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(name)) name = `_${name}`;
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    let stem = name.slice(0, name.length - ext.length);
    while (Buffer.byteLength(stem + ext, 'utf8') > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join('');
    name = stem.replace(/[.\s]+$/, '') + ext;
  }
  return name || 'piece';
}

/** `name` made unique among `taken` (compared case-insensitively, as on Windows and macOS): `a (2).pdf`. */
function uniqueName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

export type PackageAttachment = Extract<ZipSource, { file: string }>;

/**
 * The attachments of the given dossiers (by number) as package entries, in a deterministic order
 * (dossier number, then file name and id as stored). Read from the content-addressed blob store;
 * the expected size and SHA-256 are the stored ones (the blob's name is its SHA-256), re-checked
 * as the bytes are streamed into the package. A blob missing from the store stops the export.
 */
export function packageAttachments(db: Database, campaignId: number, numbers: readonly number[], filesDir: string): PackageAttachment[] {
  const rows = db.prepare(
    `SELECT a.sha256, a.filename, a.size FROM attachments a JOIN dossiers d ON d.id = a.dossier_id
     WHERE d.campaign_id = ? AND d.number = ? ORDER BY a.filename, a.id`,
  );
  const out: PackageAttachment[] = [];
  for (const number of [...numbers].sort((a, b) => a - b)) {
    const taken = new Set<string>();
    for (const r of rows.all(campaignId, number) as { sha256: string; filename: string; size: number }[]) {
      const file = attachmentPath(filesDir, r.sha256);
      let size: number;
      try {
        const st = statSync(file);
        if (!st.isFile()) throw new Error('not a file');
        size = st.size;
      } catch {
        throw new AppFailure('package_attachment_invalid', { dossier: number, reason: 'missing' });
      }
      if (size !== r.size) throw new AppFailure('package_attachment_invalid', { dossier: number, reason: 'changed' });
      out.push({ name: `${PIECES_DIR}/${number}/${uniqueName(sanitiseAttachmentName(r.filename), taken)}`, file, size, sha256: r.sha256 });
    }
  }
  return out;
}
