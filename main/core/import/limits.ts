/**
 * Limits applied to every untrusted archive (DS ZIP exports, XLSX workbooks) BEFORE anything is inflated.
 * They are checked against the central directory (declared sizes); the streaming pass then enforces the
 * declared sizes byte for byte (yauzl `validateEntrySizes`), so a lying header cannot get past them.
 */
export interface ArchiveLimits {
  /** Entries in the central directory (files and folders). */
  maxEntries: number;
  /** Declared uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, checked only for entries above `ratioMinBytes`. */
  maxRatio: number;
  /** Entries smaller than this are not ratio-checked (a 2 KB XML of blanks compresses 200:1 legitimately). */
  ratioMinBytes: number;
  /** Declared uncompressed size of one `xl/**.xml` part of an XLSX, before the workbook reader sees it. */
  maxXlsxPartBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 5000,
  maxEntryBytes: 200 * MiB,
  // A DS export of a whole démarche with its PDFs (stored, ratio 1) is typically well under 1 GB.
  maxTotalBytes: 2 * 1024 * MiB,
  maxRatio: 100,
  ratioMinBytes: 1 * MiB,
  maxXlsxPartBytes: 100 * MiB,
});

export function archiveLimits(overrides?: Partial<ArchiveLimits>): ArchiveLimits {
  return { ...DEFAULT_ARCHIVE_LIMITS, ...overrides };
}
