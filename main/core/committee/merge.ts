import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import type { ContributionReport, ContributionSkipReason } from '../../../shared/domain/contribution';
import { appendAudit } from '../review/audit';
import { getReview, reopenReview, saveReviewPatch, submitReview, type ReviewPatch } from '../review/reviews';
import { addToPatch, cellHash, cellValue, defaultCellValue, type CellValue } from './contribution-cells';

/**
 * Merges a member's incoming review cells (a signed contribution or a filled XLSX grid) into this
 * store, per member, per dossier, per cell, in one transaction per import (contribution-format.md §3).
 *
 * Signed contribution (the author's per-cell revision `rev`):
 * - a sync row says which author revision was last seen and which value both sides last agreed on;
 * - `rev` ≤ synced revision → unchanged (re-importing a file changes nothing);
 * - local value = incoming → unchanged (sync recorded);
 * - local value = last agreed value (or never set, when there is no sync yet) → applied;
 * - otherwise → a conflict row keeping both values, for an explicit choice.
 * XLSX grid (the base value exported in the workbook's hidden sheet):
 * - incoming = base (not edited) or already imported from this workbook → unchanged;
 * - local = incoming → unchanged; local = base → applied; otherwise → conflict.
 * Dossiers where the member has a confirmed conflict of interest are skipped and reported.
 *
 * Review status (signed contributions only; contribution-format.md §3.3): the last status agreed with
 * the author is kept as the pseudo-cell `@status` of the sync table (its hash, and the local review
 * revision at that time). A status the author changed since then is applied through the review
 * functions (journaled): « submitted » once the cells are merged and no conflict is open on that
 * review; « draft » (reopened) before the cells are merged, only when the local copy is still the one
 * synced (same revision). A status from a file authored before the last one synced is ignored, so
 * re-importing a file (or an older one) changes nothing.
 */
export interface IncomingCell {
  cell: string;
  value: CellValue;
  /** Author's revision of the cell (signed contributions). */
  rev?: number;
  /** Hash of the value the workbook was exported with (XLSX). */
  baseHash?: string;
}

export interface IncomingDossier {
  number: number;
  cells: IncomingCell[];
  /** The author's review status (signed contributions). */
  status?: 'draft' | 'submitted';
}

/** The sync-table pseudo-cell holding the last review status agreed with the author. */
export const STATUS_CELL = '@status';

export type SkipReason = ContributionSkipReason;

/** What one import did, for one member (the IPC report adds the member's name). */
export type MergeReport = Omit<ContributionReport, 'memberName'>;

export interface MergeInput {
  kind: 'contribution' | 'xlsx';
  memberId: number;
  campaignId: number;
  importerId: number | null;
  now: Date;
  sha256: string;
  dossiers: IncomingDossier[];
  xlsxExportId?: number;
  /** When the author made the file (signed contributions): a status from an older file than the last one synced is ignored. */
  authoredAt?: string;
}

interface SyncRow {
  synced_rev: number;
  synced_hash: string;
}

const SKIP_CODES: Partial<Record<string, SkipReason>> = {
  review_locked: 'locked',
  validation: 'invalid',
  phase2_not_allowed: 'invalid',
};

export function mergeIncoming(db: Database, input: MergeInput): MergeReport {
  return db
    .transaction((): MergeReport => {
      const at = input.now.toISOString();
      const importId = Number(
        db
          .prepare(
            "INSERT INTO contribution_imports (kind, member_id, campaign_id, sha256, imported_at, imported_by, report_json) VALUES (?, ?, ?, ?, ?, ?, '{}')",
          )
          .run(input.kind, input.memberId, input.campaignId, input.sha256, at, input.importerId).lastInsertRowid,
      );
      const report: MergeReport = {
        importId,
        kind: input.kind,
        memberId: input.memberId,
        campaignId: input.campaignId,
        applied: 0,
        unchanged: 0,
        conflicts: 0,
        submitted: 0,
        reopened: 0,
        skipped: [],
      };
      const findDossier = db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? AND number = ?');
      const recused = db.prepare("SELECT 1 FROM conflicts WHERE member_id = ? AND dossier_id = ? AND status = 'confirmed'");
      const getSync = db.prepare('SELECT synced_rev, synced_hash FROM contribution_sync WHERE member_id = ? AND dossier_id = ? AND cell = ?');
      const getStatusSync = db.prepare(
        'SELECT synced_rev, synced_hash, synced_at FROM contribution_sync WHERE member_id = ? AND dossier_id = ? AND cell = ?',
      );
      const putSync = db.prepare(
        `INSERT INTO contribution_sync (member_id, dossier_id, cell, synced_rev, synced_hash, synced_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (member_id, dossier_id, cell) DO UPDATE SET synced_rev = excluded.synced_rev, synced_hash = excluded.synced_hash,
           synced_at = excluded.synced_at`,
      );
      const getSeen = db.prepare('SELECT value_hash FROM grid_xlsx_cells WHERE export_id = ? AND dossier_id = ? AND cell = ?');
      const putSeen = db.prepare(
        `INSERT INTO grid_xlsx_cells (export_id, dossier_id, cell, value_hash) VALUES (?, ?, ?, ?)
         ON CONFLICT (export_id, dossier_id, cell) DO UPDATE SET value_hash = excluded.value_hash`,
      );
      const openConflict = db.prepare(
        'SELECT id FROM contribution_conflicts WHERE resolution IS NULL AND member_id = ? AND dossier_id = ? AND cell = ?',
      );
      const openConflictOnReview = db.prepare('SELECT 1 FROM contribution_conflicts WHERE resolution IS NULL AND member_id = ? AND dossier_id = ?');
      const updateConflict = db.prepare(
        'UPDATE contribution_conflicts SET local_json = ?, incoming_json = ?, incoming_rev = ?, import_id = ?, created_at = ? WHERE id = ?',
      );
      const insertConflict = db.prepare(
        `INSERT INTO contribution_conflicts (member_id, dossier_id, cell, local_json, incoming_json, incoming_rev, import_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );

      for (const d of [...input.dossiers].sort((a, b) => a.number - b.number)) {
        const row = findDossier.get(input.campaignId, d.number) as { id: number } | undefined;
        if (!row) {
          report.skipped.push({ number: d.number, reason: 'unknown_dossier' });
          continue;
        }
        const dossierId = row.id;
        if (recused.get(input.memberId, dossierId)) {
          report.skipped.push({ number: d.number, reason: 'conflict_of_interest' });
          continue;
        }
        const counts = { applied: 0, unchanged: 0, conflicts: 0, submitted: 0, reopened: 0 };
        try {
          // A savepoint per dossier: a dossier that cannot be written (locked, invalid) leaves nothing behind.
          db.transaction(() => {
            const status = input.kind === 'contribution' ? d.status : undefined;
            const statusSync = status
              ? (getStatusSync.get(input.memberId, dossierId, STATUS_CELL) as (SyncRow & { synced_at: string }) | undefined)
              : undefined;
            // The status sync's `synced_at` is the authoring time of the file it came from.
            const fresh = !statusSync || input.authoredAt === undefined || input.authoredAt > statusSync.synced_at;
            const before = getReview(db, dossierId, input.memberId);
            // Reopened by the author: reopen here first (so the cells can be merged), unless the local
            // copy changed since the last sync (then it stays as it is here).
            if (
              status === 'draft' &&
              fresh &&
              before?.status === 'submitted' &&
              statusSync?.synced_hash === cellHash('submitted') &&
              statusSync.synced_rev === before.revision
            ) {
              reopenReview(db, { dossierId, memberId: input.memberId, keyboardMemberId: input.importerId, now: input.now });
              counts.reopened++;
            }
            const local = getReview(db, dossierId, input.memberId)?.content;
            const patch: ReviewPatch = {};
            const conflict = (cell: string, localValue: CellValue, incoming: IncomingCell) => {
              counts.conflicts++;
              const open = openConflict.get(input.memberId, dossierId, cell) as { id: number } | undefined;
              const args = [JSON.stringify(localValue), JSON.stringify(incoming.value), incoming.rev ?? 0, importId, at] as const;
              if (open) updateConflict.run(...args, open.id);
              else insertConflict.run(input.memberId, dossierId, cell, ...args);
            };
            for (const c of d.cells) {
              const localValue = cellValue(local, c.cell);
              const lh = cellHash(localValue);
              const ih = cellHash(c.value);
              if (input.kind === 'contribution') {
                const rev = c.rev ?? 0;
                const sync = getSync.get(input.memberId, dossierId, c.cell) as SyncRow | undefined;
                if (sync && rev <= sync.synced_rev) {
                  counts.unchanged++;
                } else if (lh === ih) {
                  counts.unchanged++;
                  putSync.run(input.memberId, dossierId, c.cell, rev, ih, at);
                } else if (lh === (sync?.synced_hash ?? cellHash(defaultCellValue(c.cell)))) {
                  counts.applied++;
                  addToPatch(patch, c.cell, c.value);
                  putSync.run(input.memberId, dossierId, c.cell, rev, ih, at);
                } else {
                  conflict(c.cell, localValue, c);
                  // The author's revision is seen (same file → unchanged); the agreed value stays the old one.
                  putSync.run(input.memberId, dossierId, c.cell, rev, sync?.synced_hash ?? cellHash(defaultCellValue(c.cell)), at);
                }
              } else {
                const seen = getSeen.get(input.xlsxExportId, dossierId, c.cell) as { value_hash: string } | undefined;
                if (ih === c.baseHash || seen?.value_hash === ih || lh === ih) {
                  counts.unchanged++;
                } else if (lh === c.baseHash) {
                  counts.applied++;
                  addToPatch(patch, c.cell, c.value);
                } else {
                  conflict(c.cell, localValue, c);
                }
                if (ih !== c.baseHash) putSeen.run(input.xlsxExportId, dossierId, c.cell, ih);
              }
            }
            if (counts.applied > 0)
              saveReviewPatch(db, { dossierId, memberId: input.memberId, keyboardMemberId: input.importerId, patch, now: input.now });
            if (status) {
              // Submitted by the author (and not already agreed): submit here too when nothing is left to arbitrate.
              let after = getReview(db, dossierId, input.memberId);
              if (
                status === 'submitted' &&
                fresh &&
                after?.status === 'draft' &&
                statusSync?.synced_hash !== cellHash('submitted') &&
                !openConflictOnReview.get(input.memberId, dossierId)
              ) {
                const done = submitReview(db, { dossierId, memberId: input.memberId, keyboardMemberId: input.importerId, now: input.now });
                if (done.ok) counts.submitted++;
                after = getReview(db, dossierId, input.memberId);
              }
              const agreed = cellHash(status);
              if (fresh && after?.status === status && (statusSync?.synced_hash !== agreed || statusSync.synced_rev !== after.revision))
                putSync.run(input.memberId, dossierId, STATUS_CELL, after.revision, agreed, input.authoredAt ?? at);
            }
          })();
        } catch (error) {
          const reason = error instanceof AppFailure ? SKIP_CODES[error.code] : undefined;
          if (!reason) throw error;
          report.skipped.push({ number: d.number, reason });
          continue;
        }
        report.applied += counts.applied;
        report.unchanged += counts.unchanged;
        report.conflicts += counts.conflicts;
        report.submitted += counts.submitted;
        report.reopened += counts.reopened;
      }

      const { importId: _id, ...summary } = report;
      db.prepare('UPDATE contribution_imports SET report_json = ? WHERE id = ?').run(JSON.stringify(summary), importId);
      appendAudit(db, [
        {
          at,
          memberId: input.memberId,
          keyboardMemberId: input.importerId !== null && input.importerId !== input.memberId ? input.importerId : null,
          entity: 'contribution',
          entityId: String(importId),
          dossierId: null,
          action: 'import',
          before: null,
          after: {
            kind: input.kind,
            sha256: input.sha256,
            applied: report.applied,
            unchanged: report.unchanged,
            conflicts: report.conflicts,
            submitted: report.submitted,
            reopened: report.reopened,
            skipped: report.skipped,
          },
        },
      ]);
      return report;
    })
    .immediate();
}

export interface ConflictView {
  id: number;
  memberId: number;
  memberName: string;
  dossierId: number;
  dossierNumber: number;
  projectName: string;
  cell: string;
  local: CellValue;
  incoming: CellValue;
  createdAt: string;
}

/** Open (unresolved) conflicts, oldest first; optionally of one campaign. */
export function listOpenConflicts(db: Database, campaignId?: number): ConflictView[] {
  return (
    db
      .prepare(
        `SELECT k.id, k.member_id, m.name AS member_name, k.dossier_id, d.number, d.project_name, k.cell, k.local_json, k.incoming_json, k.created_at
         FROM contribution_conflicts k JOIN members m ON m.id = k.member_id JOIN dossiers d ON d.id = k.dossier_id
         WHERE k.resolution IS NULL AND (@campaignId IS NULL OR d.campaign_id = @campaignId)
         ORDER BY k.id`,
      )
      .all({ campaignId: campaignId ?? null }) as {
      id: number;
      member_id: number;
      member_name: string;
      dossier_id: number;
      number: number;
      project_name: string;
      cell: string;
      local_json: string;
      incoming_json: string;
      created_at: string;
    }[]
  ).map((r) => ({
    id: r.id,
    memberId: r.member_id,
    memberName: r.member_name,
    dossierId: r.dossier_id,
    dossierNumber: r.number,
    projectName: r.project_name,
    cell: r.cell,
    local: JSON.parse(r.local_json) as CellValue,
    incoming: JSON.parse(r.incoming_json) as CellValue,
    createdAt: r.created_at,
  }));
}

/**
 * Resolves a conflict: keep the local value, or take the incoming one (written as the member's
 * review, journaled). Either way the chosen value becomes the agreed value for later imports.
 */
export function resolveConflict(
  db: Database,
  input: { conflictId: number; choice: 'local' | 'incoming'; now: Date; keyboardMemberId: number | null },
): { resolved: true } {
  return db
    .transaction(() => {
      const row = db
        .prepare('SELECT member_id, dossier_id, cell, incoming_json, resolution FROM contribution_conflicts WHERE id = ?')
        .get(input.conflictId) as { member_id: number; dossier_id: number; cell: string; incoming_json: string; resolution: string | null } | undefined;
      if (!row || row.resolution !== null) throw new AppFailure('not_found', { entity: 'conflict', id: input.conflictId });
      const at = input.now.toISOString();
      const incoming = JSON.parse(row.incoming_json) as CellValue;
      if (input.choice === 'incoming') {
        const patch: ReviewPatch = {};
        addToPatch(patch, row.cell, incoming);
        saveReviewPatch(db, { dossierId: row.dossier_id, memberId: row.member_id, keyboardMemberId: input.keyboardMemberId, patch, now: input.now });
      }
      const agreed = input.choice === 'incoming' ? incoming : cellValue(getReview(db, row.dossier_id, row.member_id)?.content, row.cell);
      db.prepare('UPDATE contribution_sync SET synced_hash = ?, synced_at = ? WHERE member_id = ? AND dossier_id = ? AND cell = ?').run(
        cellHash(agreed),
        at,
        row.member_id,
        row.dossier_id,
        row.cell,
      );
      db.prepare('UPDATE contribution_conflicts SET resolution = ?, resolved_at = ?, resolved_by = ? WHERE id = ?').run(
        input.choice,
        at,
        input.keyboardMemberId,
        input.conflictId,
      );
      appendAudit(db, [
        {
          at,
          memberId: row.member_id,
          keyboardMemberId: input.keyboardMemberId !== null && input.keyboardMemberId !== row.member_id ? input.keyboardMemberId : null,
          entity: 'contribution.conflict',
          entityId: String(input.conflictId),
          dossierId: row.dossier_id,
          action: 'resolve',
          before: null,
          after: { cell: row.cell, choice: input.choice },
        },
      ]);
      return { resolved: true as const };
    })
    .immediate();
}
