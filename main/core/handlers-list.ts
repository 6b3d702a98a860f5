import { open } from 'node:fs/promises';
import { AppFailure } from '../../shared/errors';
import type { Handlers } from '../../shared/ipc/api';
import type { DossierExtras } from '../../shared/domain/list';
import { getCampaign } from './store/campaigns';
import { attachmentPath } from './store/paths';
import { dossierTable } from './list/table';
import { dossierSnippets } from './review/search';
import type { HandlerContext } from './handlers';

type ListHandlers = Pick<Handlers, 'dossier:table' | 'dossier:extras' | 'attachment:read' | 'dossier:snippets'>;

/** Above this size an attachment is not sent to the renderer (base64 over IPC). */
export const MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024;
const PDF_MAGIC = Buffer.from('%PDF-', 'ascii');

/**
 * The dossier list and the reader's extras: partners, the DS avis, and PDF attachments' bytes.
 * Only PDFs leave main (checked by their first bytes, whatever their name or recorded type); the
 * renderer draws them with pdf.js, scripting off. Any other file is metadata only.
 */
export function createListHandlers(ctx: HandlerContext): ListHandlers {
  const db = () => ctx.store.db;
  return {
    'dossier:table': (input) => {
      if (!getCampaign(db(), input.campaignId)) throw new AppFailure('not_found');
      return dossierTable(db(), input);
    },
    'dossier:snippets': ({ campaignId, query, dossierIds }) => {
      const d = db();
      if (!getCampaign(d, campaignId)) throw new AppFailure('not_found');
      // Only the campaign's own dossiers.
      const ids = d
        .prepare('SELECT id FROM dossiers WHERE campaign_id = ? AND id IN (SELECT value FROM json_each(?))')
        .pluck()
        .all(campaignId, JSON.stringify(dossierIds)) as number[];
      return [...dossierSnippets(d, query, ids)].map(([dossierId, snippet]) => ({ dossierId, snippet }));
    },
    'dossier:extras': ({ campaignId, number }) => {
      const d = db();
      const dossier = d
        .prepare('SELECT id, commune_insee FROM dossiers WHERE campaign_id = ? AND number = ?')
        .get(campaignId, number) as { id: number; commune_insee: string } | undefined;
      if (!dossier) throw new AppFailure('not_found');
      const partners = d
        .prepare('SELECT position, name, siret, kind, role FROM dossier_partners WHERE dossier_id = ? ORDER BY position')
        .all(dossier.id) as DossierExtras['partners'];
      const avis = d
        .prepare(
          `SELECT position, introduction, answer, question, question_answer AS questionAnswer, asked_at AS askedAt,
                  answered_at AS answeredAt, claimant, expert
           FROM dossier_avis WHERE dossier_id = ? ORDER BY position`,
        )
        .all(dossier.id) as DossierExtras['avis'];
      return { dossierId: dossier.id, communeInsee: dossier.commune_insee, partners, avis };
    },
    'attachment:read': async ({ attachmentId }) => {
      const row = db().prepare('SELECT id, sha256, filename, size FROM attachments WHERE id = ?').get(attachmentId) as
        | { id: number; sha256: string; filename: string; size: number }
        | undefined;
      if (!row) throw new AppFailure('not_found');
      if (row.size > MAX_ATTACHMENT_BYTES) throw new AppFailure('attachment_unavailable', { reason: 'too_large' });
      let bytes: Buffer;
      try {
        const handle = await open(attachmentPath(ctx.store.paths.filesDir, row.sha256), 'r');
        try {
          const { size } = await handle.stat();
          if (size > MAX_ATTACHMENT_BYTES) throw new AppFailure('attachment_unavailable', { reason: 'too_large' });
          bytes = await handle.readFile();
        } finally {
          await handle.close();
        }
      } catch (error) {
        if (error instanceof AppFailure) throw error;
        ctx.log.warn('attachment.read_failed', { attachmentId });
        throw new AppFailure('attachment_unavailable', { reason: 'missing' });
      }
      if (bytes.length < PDF_MAGIC.length || !bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
        throw new AppFailure('attachment_unavailable', { reason: 'not_pdf' });
      }
      return { id: row.id, filename: row.filename, mediaType: 'application/pdf', base64: bytes.toString('base64') };
    },
  };
}
