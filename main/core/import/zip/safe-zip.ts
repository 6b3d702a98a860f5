import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppFailure } from '../../../../shared/errors';
import { archiveLimits, type ArchiveLimits } from '../limits';

/**
 * Safe reading of untrusted ZIP archives (DS exports, XLSX workbooks).
 *
 * `inspectZip` reads the central directory and the local headers only — nothing is inflated — and refuses
 * the archive as a whole on the first threat found (security.md §3). `readEntries` runs the same inspection,
 * then streams every file entry with yauzl's `validateEntrySizes`, so an entry can never produce more bytes
 * than its (already limit-checked) declared size.
 *
 * Every refusal is `AppFailure('import_refused', { reason, entry? })`; `reason` is one of `REFUSAL_REASONS`
 * (translated under `importRefused.<reason>`), `entry` is the offending entry name when there is one.
 */

export const REFUSAL_REASONS = [
  'zip_slip',
  'absolute_path',
  'invalid_name',
  'symlink',
  'special_file',
  'duplicate_name',
  'case_collision',
  'reserved_name',
  'too_many_entries',
  'entry_too_large',
  'total_too_large',
  'ratio_too_high',
  'nested_archive',
  'lying_size',
  'overlapping_entries',
  'inconsistent_headers',
  'encrypted',
  'unsupported_method',
  'truncated',
  'corrupt',
  'not_a_zip',
  'xlsx_entity',
  'xlsx_sheet_too_large',
  'not_an_xlsx',
  'magic_mismatch',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export function refuse(reason: RefusalReason, entry?: string): AppFailure {
  return new AppFailure('import_refused', entry === undefined ? { reason } : { reason, entry: entry.slice(0, 300) });
}

export function refusalReason(error: unknown): RefusalReason | undefined {
  if (error instanceof AppFailure && error.code === 'import_refused') return error.params?.reason as RefusalReason;
  return undefined;
}

export interface ZipEntryInfo {
  /** The entry name as stored (validated: relative, `/`-separated, no `..`, no reserved names). */
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  uncompressedSize: number;
}

export interface ZipInspection {
  entries: ZipEntryInfo[];
  /** Sum of the declared uncompressed sizes. */
  totalBytes: number;
}

/** Archive extensions never recursed into: an archive inside the archive refuses the whole import. */
const NESTED_ARCHIVE = /\.(zip|zipx|jar|war|ear|apk|ipa|7z|rar|gz|tgz|bz2|tbz|tbz2|xz|txz|zst|lz|lzma|tar|cab|iso)$/i;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
/** Bidirectional overrides let `fdp.exe` display as `exe.pdf`. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Name checks beyond yauzl's own (`..`, absolute, backslash), per `/`-separated segment. */
function checkName(name: string, isDirectory: boolean): void {
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) throw refuse('absolute_path', name);
  if (name.includes('\\')) throw refuse(name.startsWith('\\\\') ? 'absolute_path' : 'invalid_name', name);
  const body = isDirectory ? name.slice(0, -1) : name;
  if (body === '') throw refuse('invalid_name', name);
  for (const segment of body.split('/')) {
    if (segment === '..') throw refuse('zip_slip', name);
    if (segment === '' || segment === '.') throw refuse('invalid_name', name);
    if (Buffer.byteLength(segment, 'utf8') > 1024) throw refuse('invalid_name', name);
    if (BIDI_CONTROLS.test(segment)) throw refuse('invalid_name', name);
    if (CONTROL_CHARS.test(segment) || WINDOWS_FORBIDDEN.test(segment)) throw refuse('reserved_name', name);
    if (/[. ]$/.test(segment) || WINDOWS_RESERVED.test(segment)) throw refuse('reserved_name', name);
  }
}

/** Classifies a yauzl/zlib error into a refusal; file-system errors (ENOENT, EACCES…) pass through unchanged. */
export function mapZipError(error: unknown): unknown {
  if (error instanceof AppFailure || !(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return error;
  const message = error.message;
  const named = /: (.*)$/.exec(message)?.[1];
  if (/^invalid relative path/.test(message)) return refuse('zip_slip', named);
  if (/^absolute path/.test(message)) return refuse('absolute_path', named);
  if (/^invalid characters in fileName/.test(message)) {
    const name = named ?? '';
    if (name.split(/[\\/]/).includes('..')) return refuse('zip_slip', name);
    if (name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) return refuse('absolute_path', name);
    return refuse('invalid_name', name);
  }
  if (/too many bytes in the stream|not enough bytes in the stream|size mismatch for stored file/.test(message)) {
    return refuse('lying_size');
  }
  if (/encrypt/i.test(message)) return refuse('encrypted');
  if (/unsupported compression method/.test(message)) return refuse('unsupported_method');
  if (/unexpected EOF|overflows file bounds|End of central directory record signature not found/.test(message)) {
    return refuse('truncated');
  }
  return refuse('corrupt');
}

async function startsLikeZip(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** Opens an archive with the options every reader of untrusted ZIPs here uses (lazy entries, sizes validated). */
export async function openZip(path: string): Promise<ZipFile> {
  try {
    return await new Promise<ZipFile>((resolve, reject) => {
      yauzl.open(
        path,
        { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true },
        (err, zip) => (err ? reject(err) : resolve(zip)),
      );
    });
  } catch (error) {
    const mapped = mapZipError(error);
    if (mapped instanceof AppFailure && (mapped.params?.reason === 'truncated' || mapped.params?.reason === 'corrupt')) {
      // No end-of-central-directory: a cut-off archive if it starts like one, otherwise not a ZIP at all.
      if (!(await startsLikeZip(path))) throw refuse('not_a_zip');
      throw refuse('truncated');
    }
    throw mapped;
  }
}

interface Scan extends ZipInspection {
  raw: Entry[];
}

export interface InspectOptions {
  /** XLSX mode: XML parts above `maxXlsxPartBytes` are refused (`xlsx_sheet_too_large`) before the generic limits. */
  xlsx?: boolean;
  /** `readEntries` stops between entries (and mid-entry, via the stream) with `AppFailure('cancelled')`. */
  signal?: AbortSignal;
}

/** Parts of an XLSX that an XML parser reads. */
export const XLSX_XML_PART = /\.(xml|rels|vml)$/i;

/** Central directory pass: every check that needs no file data. */
function readCentralDirectory(zip: ZipFile, limits: ArchiveLimits, options: InspectOptions): Promise<Scan> {
  if (zip.entryCount > limits.maxEntries) return Promise.reject(refuse('too_many_entries'));
  const centralDirectoryOffset = zip.readEntryCursor as unknown as number;
  return new Promise<Scan>((resolve, reject) => {
    const entries: ZipEntryInfo[] = [];
    const raw: Entry[] = [];
    const exact = new Set<string>();
    const folded = new Set<string>();
    const fileKeys: string[] = [];
    const dirKeys = new Set<string>();
    let totalBytes = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(mapZipError(error));
    };
    zip.on('error', fail);
    zip.on('entry', (entry: Entry) => {
      if (settled) return;
      try {
        const name = entry.fileName;
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        const isDirectory = name.endsWith('/') || mode === S_IFDIR;
        checkName(name, name.endsWith('/'));
        if (mode === S_IFLNK) throw refuse('symlink', name);
        const unixHost = entry.versionMadeBy >> 8 === 3 || entry.versionMadeBy >> 8 === 19;
        if (unixHost && mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) throw refuse('special_file', name);
        if (entry.isEncrypted()) throw refuse('encrypted', name);
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw refuse('unsupported_method', name);
        if (entry.relativeOffsetOfLocalHeader >= centralDirectoryOffset) throw refuse('overlapping_entries', name);

        const key = name.replace(/\/$/, '');
        if (exact.has(key)) throw refuse('duplicate_name', name);
        exact.add(key);
        const foldedKey = key.normalize('NFC').toLowerCase();
        if (folded.has(foldedKey)) throw refuse('case_collision', name);
        folded.add(foldedKey);
        const parts = foldedKey.split('/');
        for (let i = 1; i < parts.length; i++) dirKeys.add(parts.slice(0, i).join('/'));
        if (isDirectory) dirKeys.add(foldedKey);
        else fileKeys.push(foldedKey);

        if (isDirectory && entry.uncompressedSize > 0) throw refuse('invalid_name', name);
        if (!isDirectory && NESTED_ARCHIVE.test(name)) throw refuse('nested_archive', name);
        if (options.xlsx && !isDirectory && XLSX_XML_PART.test(name) && entry.uncompressedSize > limits.maxXlsxPartBytes) {
          throw refuse('xlsx_sheet_too_large', name);
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) throw refuse('entry_too_large', name);
        totalBytes += entry.uncompressedSize;
        if (totalBytes > limits.maxTotalBytes) throw refuse('total_too_large');
        if (
          entry.uncompressedSize > limits.ratioMinBytes &&
          entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxRatio
        ) {
          throw refuse('ratio_too_high', name);
        }
        if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize) {
          throw refuse('lying_size', name);
        }
        entries.push({
          name,
          isDirectory,
          compressedSize: entry.compressedSize,
          uncompressedSize: entry.uncompressedSize,
        });
        raw.push(entry);
        zip.readEntry();
      } catch (error) {
        fail(error);
      }
    });
    zip.on('end', () => {
      if (settled) return;
      // A file that is also a folder prefix of another entry (`a` and `a/b`).
      const clash = fileKeys.find((key) => dirKeys.has(key));
      if (clash !== undefined) return fail(refuse('duplicate_name', clash));
      settled = true;
      resolve({ entries, raw, totalBytes });
    });
    zip.readEntry();
  });
}

/**
 * Local headers pass (reads 30 + name + extra bytes per entry, never file data): the local name and method must
 * match the central directory, and no two entries may share bytes (Fifield's overlapping-entry bombs).
 */
async function checkLocalHeaders(zip: ZipFile, scan: Scan, centralDirectoryOffset: number): Promise<void> {
  const ranges: { start: number; end: number; name: string }[] = [];
  const mismatched: string[] = [];
  for (const entry of scan.raw) {
    let header;
    try {
      header = await zip.readLocalFileHeaderPromise(entry);
    } catch (error) {
      throw mapZipError(error);
    }
    if (!header.fileName.equals(entry.fileNameRaw) || header.compressionMethod !== entry.compressionMethod) {
      mismatched.push(entry.fileName);
    }
    ranges.push({
      start: entry.relativeOffsetOfLocalHeader,
      end: header.fileDataStart + entry.compressedSize,
      name: entry.fileName,
    });
  }
  ranges.sort((a, b) => a.start - b.start);
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    const next = ranges[i + 1];
    if (next !== undefined && next.start < range.end) throw refuse('overlapping_entries', next.name);
    if (range.end > centralDirectoryOffset) throw refuse('overlapping_entries', range.name);
  }
  if (mismatched.length > 0) throw refuse('inconsistent_headers', mismatched[0]);
}

async function inspectOpen(zip: ZipFile, limits: ArchiveLimits, options: InspectOptions): Promise<Scan> {
  const centralDirectoryOffset = zip.readEntryCursor as unknown as number;
  const scan = await readCentralDirectory(zip, limits, options);
  await checkLocalHeaders(zip, scan, centralDirectoryOffset);
  return scan;
}

/** Checks an untrusted ZIP without inflating anything; throws `import_refused` on the first threat. */
export async function inspectZip(
  path: string,
  limits?: Partial<ArchiveLimits>,
  options: InspectOptions = {},
): Promise<ZipInspection> {
  const zip = await openZip(path);
  try {
    const { entries, totalBytes } = await inspectOpen(zip, archiveLimits(limits), options);
    return { entries, totalBytes };
  } finally {
    zip.close();
  }
}

export type EntryHandler = (entry: ZipEntryInfo, stream: Readable) => Promise<void>;

/**
 * Inspects the archive (as `inspectZip`), then streams each file entry, in central-directory order, to
 * `onEntry`, one at a time. The stream yields exactly the declared size or errors; stream and handler
 * errors from yauzl/zlib are mapped to `import_refused` (`lying_size`, `corrupt`, `truncated`…).
 * Folder entries are not passed to `onEntry`.
 */
export async function readEntries(
  path: string,
  onEntry: EntryHandler,
  limits?: Partial<ArchiveLimits>,
  options: InspectOptions = {},
): Promise<ZipInspection> {
  const zip = await openZip(path);
  try {
    const scan = await inspectOpen(zip, archiveLimits(limits), options);
    for (let i = 0; i < scan.raw.length; i++) {
      const info = scan.entries[i]!;
      if (info.isDirectory) continue;
      if (options.signal?.aborted) throw new AppFailure('cancelled');
      let stream: Readable;
      try {
        stream = await zip.openReadStreamPromise(scan.raw[i]!);
      } catch (error) {
        throw mapZipError(error);
      }
      let streamError: unknown;
      stream.on('error', (error) => {
        streamError ??= error;
      });
      const onAbort = (): void => {
        stream.destroy(new AppFailure('cancelled'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await onEntry(info, stream);
      } catch (error) {
        if (options.signal?.aborted) throw new AppFailure('cancelled');
        // A failure of the archive stream (sizes, inflate) is the archive's fault; anything else is the handler's.
        throw streamError !== undefined ? mapZipError(streamError) : error;
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        if (!stream.destroyed) stream.destroy();
      }
      if (options.signal?.aborted) throw new AppFailure('cancelled');
      if (streamError !== undefined) throw mapZipError(streamError);
    }
    return { entries: scan.entries, totalBytes: scan.totalBytes };
  } finally {
    zip.close();
  }
}
