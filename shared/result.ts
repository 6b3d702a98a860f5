import type { ErrorCode } from './errors';

/** What every IPC handler returns: a value, or a stable error code the renderer translates. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export interface AppError {
  code: ErrorCode;
  /** Interpolation values for the translated message (never personal data from dossiers). */
  params?: Record<string, string | number>;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, params?: AppError['params']): Result<never> =>
  params ? { ok: false, error: { code, params } } : { ok: false, error: { code } };
