import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { campaignGrid } from '../../core/store/campaigns';
import { getMember, listMembers } from '../../core/review/members';
import { findDossierId, getDossierReviews, type ReviewView } from '../../core/review/reviews';
import { t } from '../messages';

export interface ReviewShowArgs {
  number?: string;
  campaign?: string;
  member?: string;
  json: boolean;
}

function positiveInt(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

/** `review show N [--campaign ID] [--member M] [--json]`: a dossier's reviews with computed totals. */
export function reviewShow(db: Database, args: ReviewShowArgs): number {
  const number = positiveInt(args.number);
  if (number === null) {
    process.stderr.write(t('review.cli.badNumber', { value: args.number ?? '' }) + '\n');
    return 2;
  }
  const campaignId = args.campaign === undefined ? undefined : (positiveInt(args.campaign) ?? -1);
  const dossierId = findDossierId(db, number, campaignId);
  if (dossierId === undefined) throw new AppFailure('not_found', { entity: 'dossier', number });
  let memberId: number | undefined;
  if (args.member !== undefined) {
    const byId = positiveInt(args.member);
    const member =
      (byId !== null ? getMember(db, byId) : undefined) ??
      listMembers(db).find((m) => m.name.toLocaleLowerCase('fr') === args.member!.toLocaleLowerCase('fr'));
    if (!member) throw new AppFailure('not_found', { entity: 'member', member: args.member });
    memberId = member.id;
  }
  const all = getDossierReviews(db, dossierId);
  const reviews = memberId === undefined ? all.reviews : all.reviews.filter((r) => r.memberId === memberId);
  if (args.json) {
    const out = reviews.map((r) => ({ number, ...r }));
    process.stdout.write(JSON.stringify({ number, reviews: out, divergent: all.divergent }, null, 2) + '\n');
    return 0;
  }
  if (reviews.length === 0) {
    process.stdout.write(t('review.cli.noReviews', { number }) + '\n');
    return 0;
  }
  const campaign = db.prepare('SELECT campaign_id FROM dossiers WHERE id = ?').get(dossierId) as { campaign_id: number };
  const grid = campaignGrid(db, campaign.campaign_id)!;
  const members = new Map(listMembers(db).map((m) => [m.id, m]));
  for (const r of reviews) printReview(number, r, members.get(r.memberId)!, grid.selection?.sections ?? []);
  if (memberId === undefined && all.divergent.length > 0)
    process.stdout.write(t('review.cli.divergent', { criteria: all.divergent.map((d) => `${d.key} (${d.min}–${d.max})`).join(', ') }) + '\n');
  return 0;
}

function printReview(
  number: number,
  r: ReviewView,
  member: { name: string; role: string },
  sections: { key: string; label: { fr: string; en?: string } }[],
): void {
  const lines = [
    t('review.cli.reviewHeader', {
      number,
      member: member.name,
      role: t(`review.role.${member.role}`),
      status: t(`review.status.${r.status}`),
      revision: r.revision,
    }),
  ];
  const outcome = { majority: 'majority', no_majority: 'noMajority', undecided: 'undecided' }[r.eligibility.outcome];
  lines.push(
    t('review.cli.eligibility', {
      met: r.eligibility.met,
      total: r.eligibility.total,
      outcome: t(`review.eligibilityOutcome.${outcome}`),
    }),
  );
  for (const s of r.totals.sections) {
    const label = sections.find((x) => x.key === s.key)?.label.fr ?? s.key;
    lines.push(t('review.cli.section', { label, subtotal: s.subtotal, max: s.max }));
  }
  lines.push(t('review.cli.total', { total: r.totals.total, max: r.totals.max }));
  lines.push(t('review.cli.avis', { avis: t(`review.avis.${r.content.details.avis ?? 'none'}`) }));
  if (r.status === 'draft' && r.missing.length > 0) {
    lines.push(t('review.cli.missing'));
    for (const m of r.missing) lines.push(`  - ${t(`review.missing.${m.kind}`, m.key ? { key: m.key } : {})}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}
