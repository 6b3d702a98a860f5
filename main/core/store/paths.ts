import { basename, dirname, join } from 'node:path';

export interface StorePaths {
  dbPath: string;
  /** Content-addressed attachments: <filesDir>/<sha256[0..2]>/<sha256>. */
  filesDir: string;
  backupDir: string;
  logDir: string;
}

/** Every store file lives next to the database, so one folder holds a whole store. */
export function storePaths(dbPath: string): StorePaths {
  const dir = dirname(dbPath);
  const stem = basename(dbPath).replace(/\.(sqlite3?|db)$/i, '');
  return {
    dbPath,
    filesDir: join(dir, `${stem}-attachments`),
    backupDir: join(dir, `${stem}-backups`),
    logDir: join(dir, 'logs'),
  };
}

export function attachmentPath(filesDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
  return join(filesDir, sha256.slice(0, 2), sha256);
}
