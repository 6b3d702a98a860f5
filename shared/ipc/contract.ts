import { z } from 'zod';
import type {
  BackupEntry,
  CampaignSummary,
  DossierDetail,
  DossierSummary,
  Preferences,
  StoreInfo,
} from '../domain/types';
import { LANGUAGES } from '../domain/types';
import { REGIONS } from '../domain/regions';
import type { DossierFindings, ImportOutcome, StagedFile } from '../domain/import';
import { ADMISSIBILITY_STATUS_LIST } from '../domain/import';
import {
  ELIGIBILITY_SUMMARY_LIST,
  LIST_AVIS_LIST,
  LIST_SORT_COLUMNS,
  MY_STATUS_LIST,
  type AttachmentBytes,
  type DossierExtras,
  type DossierSnippet,
  type DossierTable,
} from '../domain/list';
import type { AppError } from '../result';
import type { ContributionConflict, ContributionExported, ContributionReport, ContributionSigning, RegisteredKeyInfo } from '../domain/contribution';
import type { SynthesisView } from '../domain/synthesis';
import {
  ADMISSIBILITY_DECISION_LIST,
  AVIS_LIST,
  ELIGIBILITY_ANSWER_LIST,
  MATURITY_LIST,
  MEMBER_ROLE_LIST,
  type ActiveMembers,
  type HistoryItem,
  type MemberInfo,
  type ReviewState,
  type SubmitOutcome,
} from '../domain/review';
import {
  LINK_KIND_LIST,
  type CommitteeMember,
  type CommitteeOverview,
  type ConflictView,
  type DossierConflictState,
  type MemberLinkView,
} from '../domain/committee';
import {
  DIVERGENT_PLACEMENT_LIST,
  QUORUM_RULE_LIST,
  type MeetingDossierView,
  type MeetingSummary,
  type MeetingView,
  type ProposedOrder,
} from '../domain/meeting';
import { PACKAGE_SELECTIONS, type PackageExportResult, type PackagePlan, type PackageVerifyView } from '../domain/package';

/**
 * The IPC contract: every channel is `feature:verb`, with the zod schema main validates the
 * payload against and the type of the value it answers. The preload, main's registration,
 * the HTTP bridge and the renderer's client are all derived from this one object.
 */
interface ChannelDef<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type only. */
  output?: O;
}
const channel =
  <O>() =>
  <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input });

const id = z.number().int().positive();
const none = z.object({}).strict();
/** target (`projectName`, `rubric:<key>`…) → the file's column header. */
const columnMapping = z
  .record(z.string().regex(/^[a-zA-Z]+(?::[a-zA-Z]+)?$/).max(64), z.string().min(1).max(500))
  .refine((m) => Object.keys(m).length <= 64);
/** Part of a member's review; main checks the keys against the grid and the dossier's findings. */
const nullableBool = z.boolean().nullable().optional();
const reviewPatch = z
  .object({
    scores: z
      .record(z.string().max(64), z.object({ score: z.number().int().nullable().optional(), justification: z.string().max(20_000).optional() }).strict())
      .optional(),
    eligibility: z
      .record(z.string().max(64), z.object({ answer: z.enum(ELIGIBILITY_ANSWER_LIST).nullable().optional(), note: z.string().max(10_000).optional() }).strict())
      .optional(),
    admissibility: z
      .record(
        z.string().max(200),
        z.object({ decision: z.enum(ADMISSIBILITY_DECISION_LIST).nullable().optional(), reason: z.string().max(10_000).optional() }).strict(),
      )
      .optional(),
    details: z
      .object({
        maturity: z.enum(MATURITY_LIST).nullable().optional(),
        targets: z.object({ a: nullableBool, b: nullableBool, c: nullableBool }).strict().optional(),
        fragile: z.object({ qpv: nullableBool, zrr: nullableBool, deindustrialised: nullableBool }).strict().optional(),
        avis: z.enum(AVIS_LIST).nullable().optional(),
        motivation: z.string().max(50_000).optional(),
        phase2: z.boolean().optional(),
        support: z.array(z.string().max(500)).max(50).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const reviewTarget = z
  .object({
    dossierId: id.optional(),
    campaignId: id.optional(),
    number: z.number().int().positive().optional(),
    memberId: id,
  })
  .strict()
  .refine((v) => v.dossierId !== undefined || (v.campaignId !== undefined && v.number !== undefined));
const reviewAction = z
  .object({ dossierId: id, memberId: id, keyboardMemberId: id.nullable().optional(), baseRevision: z.number().int().nonnegative().optional() })
  .strict();
const importRequest = z
  .object({
    campaignId: id,
    fileIds: z.array(z.string().regex(/^[0-9a-f]{32}$/)).min(1).max(20),
    mapping: columnMapping.optional(),
  })
  .strict();

const meetingRef = z.object({ meetingId: id }).strict();
const meetingDossierRef = z.object({ meetingId: id, dossierId: id }).strict();
const meetingSetup = z
  .object({
    heldOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    place: z.string().trim().max(300).optional(),
    quorumRule: z.enum(QUORUM_RULE_LIST).optional(),
    quorumValue: z.number().int().min(1).max(500).nullable().optional(),
    chairMemberId: id.nullable().optional(),
    keyboardMemberId: id.nullable().optional(),
  })
  .strict();

export const contract = {
  'app:info': channel<StoreInfo>()(none),
  'prefs:get': channel<Preferences>()(none),
  'prefs:set': channel<Preferences>()(z.object({ language: z.enum(LANGUAGES) }).strict()),
  'campaign:list': channel<CampaignSummary[]>()(none),
  'campaign:get': channel<CampaignSummary>()(z.object({ campaignId: id }).strict()),
  'dossier:list': channel<DossierSummary[]>()(z.object({ campaignId: id }).strict()),
  'dossier:get': channel<DossierDetail>()(
    z.object({ campaignId: id, number: z.number().int().positive() }).strict(),
  ),
  'backup:list': channel<BackupEntry[]>()(none),
  'backup:now': channel<BackupEntry>()(none),
  /** Asks where to save (a dialog in main), then writes one archive file. null = cancelled. */
  'backup:saveAs': channel<{ file: string; size: number } | null>()(none),
  /** Asks which archive to restore (a dialog in main), checks it, then replaces the store. */
  'backup:restore': channel<{ restoredFrom: string } | null>()(none),
  /** A new campaign on the default grid or an imported one; `deadline` is an ISO instant (the UI converts Paris time). */
  'campaign:create': channel<CampaignSummary>()(
    z
      .object({
        name: z.string().trim().min(1).max(200).optional(),
        ami: z.string().trim().min(1).max(200).optional(),
        wave: z.number().int().min(1).max(99),
        phase: z.number().int().min(1).max(9),
        regionCode: z.enum(REGIONS.map((r) => r.code) as [string, ...string[]]),
        deadline: z.iso.datetime({ offset: true }),
        /** Another grid file's text (validated in main with the grid schema); the default grid when absent. */
        grid: z.string().min(2).max(1_000_000).optional(),
      })
      .strict(),
  ),
  /** Opens main's file dialog; the chosen files are checked and held by id. null = cancelled. */
  'import:pickFiles': channel<StagedFile[] | null>()(none),
  /** Files dropped on the window (paths given by the preload), checked and held by id like picked ones. */
  'import:stagePaths': channel<StagedFile[]>()(
    z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(20) }).strict(),
  ),
  /** What an import would do, computed and rolled back: nothing is written. */
  'import:preview': channel<ImportOutcome>()(importRequest),
  /** Starts an import; progress and the outcome come as `import:progress` and `import:done` events. */
  'import:run': channel<{ runId: string }>()(importRequest),
  'import:cancel': channel<{ cancelled: boolean }>()(z.object({ runId: z.string().min(1).max(64) }).strict()),
  /** The admissibility findings of a campaign's dossiers, by DS number. */
  'dossier:findings': channel<Record<number, DossierFindings>>()(z.object({ campaignId: id }).strict()),
  'member:list': channel<MemberInfo[]>()(none),
  /** Creates a member; `activate` also makes them the active member (first launch). */
  'member:create': channel<MemberInfo>()(
    z
      .object({
        name: z.string().trim().min(1).max(200),
        role: z.enum(MEMBER_ROLE_LIST),
        organisation: z.string().trim().max(200).default(''),
        activate: z.boolean().optional(),
        keyboardMemberId: id.nullable().optional(),
      })
      .strict(),
  ),
  'member:getActive': channel<ActiveMembers>()(none),
  /** The member whose reviews are edited, and the person at the keyboard when different. */
  'member:setActive': channel<ActiveMembers>()(
    z.object({ memberId: id, keyboardMemberId: id.nullable().optional() }).strict(),
  ),
  /** A member's review of a dossier (an empty draft when they have none yet), with totals and what is missing. */
  'review:get': channel<ReviewState>()(reviewTarget),
  /** Saves a patch in one transaction; `review_conflict` when `baseRevision` is stale, `review_locked` once submitted. */
  'review:save': channel<ReviewState>()(
    z
      .object({
        dossierId: id,
        memberId: id,
        keyboardMemberId: id.nullable().optional(),
        patch: reviewPatch,
        baseRevision: z.number().int().nonnegative().optional(),
      })
      .strict(),
  ),
  /** « Soumettre »: what is missing, or the locked review. */
  'review:submit': channel<SubmitOutcome>()(reviewAction),
  /** « Rouvrir »: unlocks a submitted review (journaled). */
  'review:reopen': channel<ReviewState>()(reviewAction),
  /** The audit journal entries of one dossier, oldest first. */
  'audit:history': channel<HistoryItem[]>()(z.object({ dossierId: id }).strict()),
  /** The dossier list: filters, search and sort computed in main (one SQL query + the FTS index). */
  'dossier:table': channel<DossierTable>()(
    z
      .object({
        campaignId: id,
        memberId: id.optional(),
        filters: z
          .object({
            status: z.enum(MY_STATUS_LIST).optional(),
            admissibility: z.enum(ADMISSIBILITY_STATUS_LIST).optional(),
            eligibility: z.enum([...ELIGIBILITY_SUMMARY_LIST, 'none']).optional(),
            avis: z.enum([...LIST_AVIS_LIST, 'none']).optional(),
            fragile: z.boolean().optional(),
            reviewer: id.optional(),
          })
          .strict()
          .default({}),
        query: z.string().max(500).optional(),
        sort: z.object({ column: z.enum(LIST_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) }).strict().optional(),
      })
      .strict(),
  ),
  /** What the reader shows beside the dossier: partners and the avis asked on DS. */
  'dossier:extras': channel<DossierExtras>()(z.object({ campaignId: id, number: z.number().int().positive() }).strict()),
  /** A PDF attachment's bytes (checked: at most 30 MB, starts with %PDF-); any other file is refused. */
  'attachment:read': channel<AttachmentBytes>()(z.object({ attachmentId: id }).strict()),
  /** The « Comité » page: members (with SIREN, active flag, load), dossiers, assignments, links and conflicts of a campaign. */
  'committee:overview': channel<CommitteeOverview>()(z.object({ campaignId: id }).strict()),
  /** Edits a member (journaled); the SIREN/SIRET is checked (9 or 14 digits, Luhn). */
  'committee:updateMember': channel<CommitteeMember>()(
    z
      .object({
        memberId: id,
        name: z.string().trim().min(1).max(200).optional(),
        role: z.enum(MEMBER_ROLE_LIST).optional(),
        organisation: z.string().trim().max(200).optional(),
        organisationSiren: z.string().max(40).optional(),
        active: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Assigns every dossier to every member given (one transaction); `conflict_of_interest` for a recused pair. */
  'committee:assign': channel<{ added: number }>()(
    z.object({ dossierIds: z.array(id).min(1).max(5000), memberIds: z.array(id).min(1).max(200) }).strict(),
  ),
  'committee:unassign': channel<{ removed: number }>()(
    z.object({ dossierIds: z.array(id).min(1).max(5000), memberIds: z.array(id).min(1).max(200) }).strict(),
  ),
  /** « Répartir »: N reviewers per dossier, least-loaded first, never a conflicted member. */
  'committee:distribute': channel<{ added: number; short: number[] }>()(
    z
      .object({
        campaignId: id,
        perDossier: z.number().int().min(1).max(20),
        memberIds: z.array(id).min(1).max(200).optional(),
        dossierIds: z.array(id).min(1).max(5000).optional(),
      })
      .strict(),
  ),
  /** A member declares a link with a structure (name and/or SIREN) or a dossier → confirmed conflicts. */
  'committee:declareLink': channel<{ link: MemberLinkView; conflicts: ConflictView[] }>()(
    z
      .object({
        memberId: id,
        kind: z.enum(LINK_KIND_LIST),
        structureName: z.string().trim().max(300).optional(),
        siren: z.string().max(40).optional(),
        dossierId: id.nullable().optional(),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
  ),
  /** Detects likely conflicts from the data (organisation name / SIREN vs porteur and partners) → proposals. */
  'committee:detect': channel<{ added: number }>()(z.object({ campaignId: id }).strict()),
  /** Confirms (recusal) or dismisses (reason required) a conflict. */
  'committee:decide': channel<ConflictView>()(
    z
      .object({ memberId: id, dossierId: id, decision: z.enum(['confirmed', 'dismissed']), reason: z.string().max(2000).optional() })
      .strict(),
  ),
  /** The member's open conflict on a dossier (the dossier page's banner). */
  'committee:dossierConflict': channel<DossierConflictState>()(z.object({ dossierId: id, memberId: id }).strict()),
  /** Meeting mode (séance): the campaign's séances, date order. */
  'meeting:list': channel<MeetingSummary[]>()(z.object({ campaignId: id }).strict()),
  /** A new séance; its order starts as the proposed one (dossiers grouped by recusals). */
  'meeting:create': channel<MeetingView>()(z.object({ campaignId: id, setup: meetingSetup }).strict()),
  'meeting:get': channel<MeetingView>()(meetingRef),
  'meeting:update': channel<MeetingView>()(z.object({ meetingId: id, setup: meetingSetup.partial() }).strict()),
  /** Marks a member present (arrival time) or gone (departure time). */
  'meeting:attendance': channel<MeetingView>()(z.object({ meetingId: id, memberId: id, present: z.boolean() }).strict()),
  /** The proposed order (recusals grouped; the most divergent first, last, or by number). */
  'meeting:propose': channel<ProposedOrder>()(z.object({ meetingId: id, divergent: z.enum(DIVERGENT_PLACEMENT_LIST) }).strict()),
  'meeting:setOrder': channel<MeetingView>()(z.object({ meetingId: id, dossierIds: z.array(id).max(5000) }).strict()),
  /** Puts a dossier on screen (recused members present leave the room); null = none. */
  'meeting:enter': channel<MeetingView>()(z.object({ meetingId: id, dossierId: id.nullable() }).strict()),
  'meeting:dossier': channel<MeetingDossierView>()(meetingDossierRef),
  /** Consensus scores; `consensus_note_required` where the individual scores diverged. */
  'meeting:consensus': channel<MeetingDossierView>()(
    z
      .object({
        meetingId: id,
        dossierId: id,
        scores: z.record(z.string().max(64), z.object({ score: z.number().int(), note: z.string().max(20_000) }).strict()),
      })
      .strict(),
  ),
  'meeting:decision': channel<MeetingDossierView>()(
    z
      .object({
        meetingId: id,
        dossierId: id,
        decision: z
          .object({
            avis: z.enum(AVIS_LIST).nullable().optional(),
            motivation: z.string().max(50_000).optional(),
            phase2: z.boolean().optional(),
            votes: z.string().max(20_000).optional(),
            /** The committee's own view of targets b and c (null = not recorded). */
            targetB: z.boolean().nullable().optional(),
            targetC: z.boolean().nullable().optional(),
          })
          .strict(),
      })
      .strict(),
  ),
  'meeting:end': channel<MeetingView>()(meetingRef),
  /** Asks where to save (a dialog in main), then writes the procès-verbal PDF in `lang` (default: the UI language preference). null = cancelled. */
  'meeting:savePv': channel<{ file: string; size: number } | null>()(meetingRef.extend({ lang: z.enum(LANGUAGES).optional() })),
  /** Search snippets of the listed dossiers of a campaign (the list's rows on screen beyond its first ones). */
  'dossier:snippets': channel<DossierSnippet[]>()(
    z.object({ campaignId: id, query: z.string().max(500), dossierIds: z.array(id).min(1).max(200) }).strict(),
  ),
  /** What « Exporter le paquet » would include: every dossier with its state (and why it is not ready), the signer. */
  'package:plan': channel<PackagePlan>()(z.object({ campaignId: id }).strict()),
  /** Asks where to save (a dialog in main), builds and writes the signed package; progress as `package:progress`. null = cancelled. */
  'package:export': channel<PackageExportResult | null>()(
    z.object({ campaignId: id, dossiers: z.enum(PACKAGE_SELECTIONS).default('ready'), withAttachments: z.boolean().optional() }).strict(),
  ),
  /** Verifies a package: the dropped file's path, or (without one) the file chosen in main's dialog. null = cancelled. */
  'package:verify': channel<PackageVerifyView | null>()(z.object({ path: z.string().min(1).max(4096).optional() }).strict()),
  /** Members' public keys: registered by the correspondent, and the local signing keys. */
  'contribution:keys': channel<RegisteredKeyInfo[]>()(none),
  /** Registers a member's Ed25519 public key (PEM); `contribution_key_other_member` when it is someone else's. */
  'contribution:registerKey': channel<RegisteredKeyInfo>()(
    z.object({ memberId: id, pem: z.string().min(1).max(10_000), keyboardMemberId: id.nullable().optional() }).strict(),
  ),
  /**
   * « Exporter mes évaluations »: signs with the member's key — sealed by the app's key protector
   * (created on first use, like the package export), or unlocked with `passphrase` when it was
   * sealed with one — and saves where the user chooses; null when cancelled.
   */
  'contribution:export': channel<ContributionExported | null>()(
    z.object({ memberId: id, campaignId: id, passphrase: z.string().min(1).max(1000).optional() }).strict(),
  ),
  /** The pre-filled XLSX grid for a member without the app; null when cancelled. */
  'contribution:exportGrid': channel<ContributionExported | null>()(z.object({ memberId: id, campaignId: id }).strict()),
  /** Chooses a contribution (.zip) or a filled grid (.xlsx) to import; null when cancelled. */
  'contribution:pickFile': channel<string | null>()(none),
  /** Verifies and merges a contribution file or a filled XLSX grid (by extension); refusals carry the reason. */
  'contribution:import': channel<ContributionReport>()(
    z.object({ path: z.string().min(1).max(4096), expectedMemberId: id.optional(), keyboardMemberId: id.nullable().optional() }).strict(),
  ),
  /** Open merge conflicts, oldest first. */
  'contribution:conflicts': channel<ContributionConflict[]>()(z.object({ campaignId: id.optional() }).strict()),
  /** « Garder la valeur locale » / « Prendre la valeur reçue ». */
  'contribution:resolve': channel<{ resolved: true }>()(
    z.object({ conflictId: id, choice: z.enum(['local', 'incoming']), keyboardMemberId: id.nullable().optional() }).strict(),
  ),
  /** The campaign's regional synthesis: ranking, distributions, divergences, phase-2 shortlist. */
  'synthesis:get': channel<SynthesisView>()(z.object({ campaignId: id }).strict()),
  /** Asks where to save (a dialog in main), then writes the synthesis XLSX atomically. null = cancelled. */
  'synthesis:export': channel<{ file: string; size: number } | null>()(z.object({ campaignId: id }).strict()),
  /** The committee's order of the phase-2 shortlist: exactly the shortlisted dossiers (journaled). */
  'synthesis:reorderPhase2': channel<SynthesisView>()(
    z.object({ campaignId: id, dossierIds: z.array(id).max(1000) }).strict(),
  ),
  /** Whether « Exporter mes évaluations » needs a passphrase for this member, and their key's fingerprint. */
  'contribution:signing': channel<ContributionSigning>()(z.object({ memberId: id }).strict()),
  /** Withdraws a declared link (journaled): conflicts only it gave, never decided since, are removed. */
  'committee:removeLink': channel<{ removed: number; kept: number }>()(z.object({ linkId: id }).strict()),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = Exclude<Contract[C]['output'], undefined>;

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/** Events main sends to the renderer (progress of long work, store state). */
export interface Events {
  'backup:progress': { done: number; total: number };
  'store:changed': { reason: 'restored' | 'migrated' };
  'import:progress': { runId: string; phase: 'parse' | 'write'; done: number; total: number };
  'import:done': { runId: string; result: ImportOutcome | { error: AppError } };
  /** The avis rendered (done/total dossiers), then, with attachments, the pieces written (phase 'pieces'). */
  'package:progress': { done: number; total: number; phase?: 'pieces' };
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['backup:progress', 'store:changed', 'import:progress', 'import:done', 'package:progress'];
