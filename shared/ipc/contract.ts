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
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = NonNullable<Contract[C]['output']>;

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/** Events main sends to the renderer (progress of long work, store state). */
export interface Events {
  'backup:progress': { done: number; total: number };
  'store:changed': { reason: 'restored' | 'migrated' };
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['backup:progress', 'store:changed'];
