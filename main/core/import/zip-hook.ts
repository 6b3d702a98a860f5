/**
 * INTEGRATION POINT (DS ZIP): `readDsZip(path, filesDir, limits)` from ./zip/ds-zip is written by
 * another helper (blobs written content-addressed into filesDir). Until it lands it is loaded
 * dynamically when present; once it is in the tree, replace this body with a static import.
 */
import { AppFailure } from '../../../shared/errors';

export interface ZipAttachment {
  dossierNumber: number;
  path: string;
  filename: string;
  size: number;
  sha256: string;
  md5Base64: string;
  mediaType: string;
  kind: 'dossier_pdf' | 'piece_justificative' | 'other';
}

export async function readZipHook(path: string, filesDir: string): Promise<Map<number, ZipAttachment[]>> {
  const specifier = './zip/ds-zip';
  let mod: { readDsZip?: (p: string, d: string) => Promise<{ dossiers: Map<number, ZipAttachment[]> }> } | undefined;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as typeof mod;
  } catch {
    mod = undefined;
  }
  if (!mod?.readDsZip) throw new AppFailure('import_unknown_format', { reason: 'zip_reader_missing' });
  return (await mod.readDsZip(path, filesDir)).dossiers;
}
