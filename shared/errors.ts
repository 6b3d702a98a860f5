/**
 * Stable error codes shared by main, the CLI and the renderer. Each has a translation under
 * `errors.<code>` in every locale file (a test checks it).
 */
export const ERROR_CODES = [
  'validation',
  'forbidden_sender',
  'unknown_channel',
  'not_found',
  'db_corrupt',
  'db_from_future',
  'db_migration_failed',
  'backup_invalid',
  'backup_failed',
  'restore_failed',
  'cancelled',
  'internal',
  'import_refused',
  'import_needs_mapping',
  'import_unknown_format',
  'review_locked',
  'review_incomplete',
  'phase2_not_allowed',
  'review_conflict',
  'review_not_submitted',
  'key_missing',
  'key_exists',
  'key_passphrase',
  'p12_invalid',
  'cert_expired',
  'cert_not_yet_valid',
  'cert_not_signing',
  'cert_unsupported_key',
  'export_empty',
  'attachment_unavailable',
  'conflict_of_interest',
  'contribution_signature',
  'contribution_unknown_key',
  'contribution_key_other_member',
  'contribution_campaign',
  'contribution_format',
  'contribution_tampered',
  'contribution_hostile',
  'grid_xlsx_invalid',
  'consensus_note_required',
  'meeting_recused',
  'meeting_closed',
  'grid_invalid',
  'grid_conflict',
  'key_storage_unavailable',
  'member_required',
  'synthesis_export_failed',
  'package_attachment_invalid',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** An expected failure carried through plain-Node code up to the IPC boundary. */
export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params?: Record<string, string | number>,
  ) {
    super(code);
    this.name = 'AppFailure';
  }
}
