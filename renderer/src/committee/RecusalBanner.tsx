import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../ipc';
import type { MemberInfo } from '../../../shared/domain/review';

/**
 * The active member's conflict of interest on the dossier: a confirmed one (recusal) replaces the
 * review form with an error banner; a proposed one shows a warning above the form.
 */
export function RecusalGate({
  campaignId,
  dossierId,
  member,
  children,
}: {
  campaignId: number;
  dossierId: number;
  member: MemberInfo | null;
  children: ReactNode;
}) {
  if (!member) return <>{children}</>;
  return (
    <MemberGate campaignId={campaignId} dossierId={dossierId} member={member}>
      {children}
    </MemberGate>
  );
}

function MemberGate({ campaignId, dossierId, member, children }: { campaignId: number; dossierId: number; member: MemberInfo; children: ReactNode }) {
  const { t } = useTranslation();
  const state = useApi('committee:dossierConflict', { dossierId, memberId: member.id });
  // While loading or on error, the form stays (main refuses a recused member's save anyway).
  if (state.state !== 'ready' || state.value.status === null) return <>{children}</>;
  const link = (
    <Link to={`/campaigns/${campaignId}/committee`} className="fr-link">
      {t('committee.banner.open')}
    </Link>
  );
  const text = { member: member.name, evidence: state.value.evidence || t(`committee.links.kinds.${state.value.linkKind ?? 'autre'}`) };
  if (state.value.status === 'confirmed')
    return (
      <Alert
        severity="error"
        title={t('committee.banner.recusedTitle')}
        description={
          <>
            <span className="fr-mb-1w" style={{ display: 'block' }}>
              {t('committee.banner.recusedText', text)}
            </span>
            {link}
          </>
        }
        data-testid="recusal-banner"
      />
    );
  return (
    <>
      <Alert
        severity="warning"
        small
        description={
          <>
            <strong>{t('committee.banner.proposedTitle')}</strong> {t('committee.banner.proposedText', text)} {link}
          </>
        }
        className="fr-mb-2w"
      />
      {children}
    </>
  );
}
