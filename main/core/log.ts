import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Logger {
  info(event: string, data?: Record<string, unknown>): void;
  warn(event: string, data?: Record<string, unknown>): void;
  error(event: string, data?: Record<string, unknown>): void;
}

export const nullLogger: Logger = { info() {}, warn() {}, error() {} };

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[a-z]{2,}/gi;
// French and international phone numbers: 06 28 38 53 52, +33 6 28 38 53 52, 0628385352…
const PHONE = /(?:\+\d{1,3}[\s.-]?)?\(?0?\d\)?(?:[\s.-]?\d{2}){4}\b/g;

/** Defence in depth: log calls carry ids and codes only, and anything that looks personal is masked. */
export function redactText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[tel]');
}

function sanitize(value: unknown, depth = 0): unknown {
  if (depth > 4) return '[…]';
  if (typeof value === 'string') return redactText(value).slice(0, 500);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: redactText(value.message).slice(0, 500), ...(code ? { code: String(code) } : {}) };
  }
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => sanitize(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitize(v, depth + 1)]));
  }
  return value;
}

export interface FileLoggerOptions {
  dir: string;
  name?: string;
  maxBytes?: number;
  keep?: number;
  now?: () => Date;
}

/** JSON lines in <dir>/<name>.log, rotated to .1 … .keep when it passes maxBytes. */
export function createFileLogger(options: FileLoggerOptions): Logger {
  const { dir, name = 'comite-ptce', maxBytes = 1_000_000, keep = 5, now = () => new Date() } = options;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.log`);

  const rotate = () => {
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    renameSync(file, `${file}.1`);
  };

  const write = (level: string, event: string, data?: Record<string, unknown>) => {
    const line = JSON.stringify({ t: now().toISOString(), level, event, ...(data ? (sanitize(data) as object) : {}) });
    try {
      if (existsSync(file) && statSync(file).size + line.length > maxBytes) rotate();
      appendFileSync(file, line + '\n');
    } catch {
      // Logging must never break the app (disk full, read-only folder).
    }
  };
  return {
    info: (e, d) => write('info', e, d),
    warn: (e, d) => write('warn', e, d),
    error: (e, d) => write('error', e, d),
  };
}
