import type { CampaignSummary, DossierDetail } from '../../../../shared/domain/types';
import { useApi } from '../../ipc';
import { Identification, Partners } from './Identification';
import './reader.css';

/** The reader's head: identification with the DS avis, territory, partners. */
export function ReaderHead({ dossier, campaign }: { dossier: DossierDetail; campaign: CampaignSummary }) {
  const extras = useApi('dossier:extras', { campaignId: campaign.id, number: dossier.number });
  const value = extras.state === 'ready' ? extras.value : null;
  return (
    <>
      <Identification dossier={dossier} campaign={campaign} extras={value} />
      <Partners extras={value} />
    </>
  );
}
