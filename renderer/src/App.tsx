import './boot';
import { useEffect, useMemo, useState } from 'react';
import { HashRouter, Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { DataVersionContext } from './ipc';
import { HomePage } from './pages/HomePage';
import { CampaignPage } from './pages/CampaignPage';
import { DossierPage } from './pages/DossierPage';
import { BackupsPage } from './pages/BackupsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { CampaignNewPage } from './pages/CampaignNewPage';
import { ImportWizardPage } from './pages/ImportWizardPage';
import { ExportPackagePage } from './pages/ExportPackagePage';
import { VerifyPackagePage } from './pages/VerifyPackagePage';
import { HelpPage } from './pages/HelpPage';
import { ContributionsPage } from './pages/ContributionsPage';
import { MeetingsPage } from './pages/MeetingsPage';
import { SeancePage } from './pages/SeancePage';
import { CommitteePage } from './pages/CommitteePage';
import { SynthesisPage } from './pages/SynthesisPage';

export function AppRoutes() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route path="/campaigns/new" element={<CampaignNewPage />} />
        <Route path="/campaigns/:campaignId" element={<CampaignPage />} />
        <Route path="/campaigns/:campaignId/import" element={<ImportWizardPage />} />
        <Route path="/campaigns/:campaignId/dossiers/:number" element={<DossierPage />} />
        <Route path="/campaigns/:campaignId/meetings" element={<MeetingsPage />} />
        <Route path="/campaigns/:campaignId/meetings/:meetingId" element={<SeancePage />} />
        <Route path="/campaigns/:campaignId/committee" element={<CommitteePage />} />
        <Route path="/campaigns/:campaignId/synthesis" element={<SynthesisPage />} />
        <Route path="/backups" element={<BackupsPage />} />
        <Route path="/campaigns/:campaignId/package" element={<ExportPackagePage />} />
        <Route path="/verify" element={<VerifyPackagePage />} />
        <Route path="/help" element={<HelpPage />} />
        <Route path="/contributions" element={<ContributionsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}

/** The whole UI. Hash routing works for app://comite-ptce/index.html and for the HTTP bridge alike. */
export function App() {
  const [version, setVersion] = useState(0);
  const data = useMemo(() => ({ version, bump: () => setVersion((v) => v + 1) }), [version]);

  // A restore or migration done elsewhere (main) invalidates everything shown.
  useEffect(() => window.api.on('store:changed', () => setVersion((v) => v + 1)), []);

  return (
    <DataVersionContext.Provider value={data}>
      <HashRouter>
        <AppRoutes />
      </HashRouter>
    </DataVersionContext.Provider>
  );
}
