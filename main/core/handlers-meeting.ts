import type { Handlers } from '../../shared/ipc/api';
import { AppFailure } from '../../shared/errors';
import { writeFileAtomic } from './package/zip';
import { getSetting } from './store/settings';
import {
  createMeeting,
  endMeeting,
  enterDossier,
  getMeeting,
  listMeetings,
  proposeMeetingOrder,
  setAttendance,
  setMeetingOrder,
  updateMeeting,
} from './meeting/meetings';
import { getMeetingDossier, recordConsensus, recordDecision } from './meeting/consensus';
import { collectProcesVerbal } from './meeting/pv';
import { renderPvPdf } from './meeting/pv-pdf';
import type { HandlerContext } from './handlers';

type MeetingChannel = Extract<keyof Handlers, `meeting:${string}`>;

/** Meeting mode (séance) over IPC: every write is journaled by main/core/meeting/*. */
export function createMeetingHandlers(ctx: HandlerContext): Pick<Handlers, MeetingChannel> {
  const db = () => ctx.store.db;
  return {
    'meeting:list': ({ campaignId }) => listMeetings(db(), campaignId),
    'meeting:create': ({ campaignId, setup }) => createMeeting(db(), campaignId, setup, ctx.now()),
    'meeting:get': ({ meetingId }) => getMeeting(db(), meetingId),
    'meeting:update': ({ meetingId, setup }) => updateMeeting(db(), meetingId, setup, ctx.now()),
    'meeting:attendance': ({ meetingId, memberId, present }) => setAttendance(db(), meetingId, memberId, present, ctx.now()),
    'meeting:propose': ({ meetingId, divergent }) => proposeMeetingOrder(db(), meetingId, divergent),
    'meeting:setOrder': ({ meetingId, dossierIds }) => setMeetingOrder(db(), meetingId, dossierIds, ctx.now()),
    'meeting:enter': ({ meetingId, dossierId }) => enterDossier(db(), meetingId, dossierId, ctx.now()),
    'meeting:dossier': ({ meetingId, dossierId }) => getMeetingDossier(db(), meetingId, dossierId),
    'meeting:consensus': ({ meetingId, dossierId, scores }) => recordConsensus(db(), meetingId, dossierId, scores, ctx.now()),
    'meeting:decision': ({ meetingId, dossierId, decision }) => recordDecision(db(), meetingId, dossierId, decision, ctx.now()),
    'meeting:end': ({ meetingId }) => endMeeting(db(), meetingId, ctx.now()),
    'meeting:savePv': async ({ meetingId, lang }) => {
      const pv = collectProcesVerbal(db(), meetingId);
      const defaultName = `proces-verbal_${pv.region.code}_${pv.meeting.heldOn}.pdf`;
      const choose = ctx.dialogs.chooseMinutesDestination ?? ctx.dialogs.chooseArchiveDestination;
      const file = await choose(defaultName);
      if (file === null) return null;
      // The UI language (given, else the preference); French by default, as from the CLI.
      const pref = getSetting(db(), 'language');
      const pdf = await renderPvPdf(pv, { lang: lang ?? (pref === 'en' ? 'en' : 'fr') });
      try {
        writeFileAtomic(file, pdf);
      } catch (error) {
        ctx.log.error('meeting.save_pv_failed', { error });
        throw new AppFailure('internal');
      }
      ctx.log.info('meeting.pv_saved', { meetingId, size: pdf.length });
      return { file, size: pdf.length };
    },
  };
}
