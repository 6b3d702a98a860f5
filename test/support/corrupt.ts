import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Overwrites 64 bytes at the start of the b-tree page holding `table`'s root (page 3 or later
 * in every store), like a torn or bit-rotted sector (security.md §2.2 case 5). The file must be
 * closed (no -wal).
 */
export function corruptTablePage(file: string, table = 'dossiers'): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const root = (db.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').get(table) as { rootpage: number }).rootpage;
  db.close();
  if (root < 3) throw new Error(`unexpected root page ${root}`);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (root - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return root;
}
