import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { attachmentPath } from '../../store/paths';
import { sniffMediaType, storeBlobStream } from '../blobs';
import type { ArchiveLimits } from '../limits';
import { readEntries, refuse } from './safe-zip';

/** One file of a démarches-simplifiées ZIP export, stored content-addressed under `filesDir`. */
export interface StoredAttachment {
  dossierNumber: number;
  /** The entry name inside the ZIP (validated: relative, `/`-separated). */
  path: string;
  /** The last segment of `path`. */
  filename: string;
  size: number;
  sha256: string;
  md5Base64: string;
  /** From the magic bytes, never from the name (see `sniffMediaType`). */
  mediaType: string;
  kind: 'dossier_pdf' | 'piece_justificative' | 'other';
}

export interface DsZipContent {
  /** Per dossier number, its files in archive order. */
  dossiers: Map<number, StoredAttachment[]>;
  /** Entries that belong to no dossier (error list, bills…), by name; not stored. */
  ignored: string[];
}

const OTHER_FOLDERS = new Set(['messagerie', 'avis', 'dossier', 'horodatage']);

interface Placement {
  dossierNumber: number;
  kind: StoredAttachment['kind'];
}

/**
 * Where a DS export entry belongs (ds-formats.md §3): `export/dossier-<id>/…` or `dossier-<id>/…` (single-dossier
 * download, no export root). Anything else (`-LISTE-DES-FICHIERS-EN-ERREURS.txt`, `bills/…`) is ignored.
 */
export function placeDsEntry(name: string): Placement | undefined {
  let segments = name.split('/');
  if (segments[0] === 'export' && segments.length > 1) segments = segments.slice(1);
  const folder = /^dossier-(\d{1,15})$/.exec(segments[0] ?? '');
  if (!folder || segments.length < 2) return undefined;
  const dossierNumber = Number(folder[1]);
  const rest = segments.slice(1);
  if (rest.length === 1) {
    const file = rest[0]!;
    // Default export `export-<id>-<dd-mm-YYYY-HH-MM>-<n>.pdf`; export template default `export-<id>.pdf`.
    const isDossierPdf = new RegExp(`^export-${dossierNumber}(-.*)?\\.pdf$`, 'i').test(file);
    return { dossierNumber, kind: isDossierPdf ? 'dossier_pdf' : 'other' };
  }
  if (rest[0] === 'pieces_justificatives') return { dossierNumber, kind: 'piece_justificative' };
  if (OTHER_FOLDERS.has(rest[0]!)) return { dossierNumber, kind: 'other' };
  return { dossierNumber, kind: 'other' };
}

/**
 * Reads a DS ZIP export: the archive is inspected as a whole first (safe-zip: zip slip, bombs, symlinks,
 * duplicates… refuse everything before anything is written), then each dossier file is streamed into a staging
 * folder `<filesDir>/.staging-<random>/` while hashed. Only when every entry passed (including the PDF magic-bytes
 * check) are the blobs moved to their content address `<filesDir>/<sha[0..2]>/<sha>`; on any failure the staging
 * folder is removed and `filesDir` is left exactly as it was.
 *
 * Blobs moved in are content-addressed and immutable: if the caller's DB transaction then fails, they are
 * unreferenced duplicates at worst (a later import of the same files reuses them).
 */
export async function readDsZip(
  path: string,
  filesDir: string,
  limits?: Partial<ArchiveLimits>,
  options: { signal?: AbortSignal } = {},
): Promise<DsZipContent> {
  await mkdir(filesDir, { recursive: true });
  const staging = join(filesDir, `.staging-${randomBytes(8).toString('hex')}`);
  await mkdir(staging);
  try {
    const dossiers = new Map<number, StoredAttachment[]>();
    const ignored: string[] = [];
    await readEntries(
      path,
      async (entry, stream) => {
        const placement = placeDsEntry(entry.name);
        if (!placement) {
          ignored.push(entry.name);
          return;
        }
        const blob = await storeBlobStream(staging, stream, { maxBytes: entry.uncompressedSize });
        const filename = entry.name.slice(entry.name.lastIndexOf('/') + 1);
        const mediaType = sniffMediaType(blob.head);
        if (/\.pdf$/i.test(filename) && mediaType !== 'application/pdf') throw refuse('magic_mismatch', entry.name);
        const attachment: StoredAttachment = {
          dossierNumber: placement.dossierNumber,
          path: entry.name,
          filename,
          size: blob.size,
          sha256: blob.sha256,
          md5Base64: blob.md5Base64,
          mediaType,
          kind: placement.kind,
        };
        const list = dossiers.get(placement.dossierNumber);
        if (list) list.push(attachment);
        else dossiers.set(placement.dossierNumber, [attachment]);
      },
      limits,
      { signal: options.signal },
    );
    const seen = new Set<string>();
    const added: string[] = [];
    try {
      for (const list of dossiers.values()) {
        for (const { sha256 } of list) {
          if (seen.has(sha256)) continue;
          seen.add(sha256);
          const target = attachmentPath(filesDir, sha256);
          const existing = await stat(target).catch(() => undefined);
          if (existing?.isFile()) continue;
          await mkdir(dirname(target), { recursive: true });
          await rename(attachmentPath(staging, sha256), target);
          added.push(target);
        }
      }
    } catch (error) {
      // e.g. disk full halfway: take back what this call added, so the import is all or nothing.
      await Promise.all(added.map((file) => rm(file, { force: true })));
      throw error;
    }
    return { dossiers, ignored };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Removes staging folders and temporary blobs left in `filesDir` by an interrupted import (crash, kill -9).
 * Call it at startup, before any import runs (the app is single-instance); returns how many were removed.
 */
export async function removeStaleStaging(filesDir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(filesDir);
  } catch {
    return 0;
  }
  const stale = names.filter((name) => /^\.(staging|blob)-[0-9a-f]{16}$/.test(name));
  await Promise.all(stale.map((name) => rm(join(filesDir, name), { recursive: true, force: true })));
  return stale.length;
}
