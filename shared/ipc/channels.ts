import type { Channel, EventName } from './contract';

/**
 * The channel and event names alone, for the preload: importing the contract there would bundle
 * zod into the sandboxed script. The checks below fail to compile if a name is missing or extra.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'prefs:get',
  'prefs:set',
  'campaign:list',
  'campaign:get',
  'dossier:list',
  'dossier:get',
  'backup:list',
  'backup:now',
  'backup:saveAs',
  'backup:restore',
  'campaign:create',
  'import:pickFiles',
  'import:stagePaths',
  'import:preview',
  'import:run',
  'import:cancel',
  'dossier:findings',
  'member:list',
  'member:create',
  'member:getActive',
  'member:setActive',
  'review:get',
  'review:save',
  'review:submit',
  'review:reopen',
  'audit:history',
  'dossier:table',
  'dossier:extras',
  'attachment:read',
  'committee:overview',
  'committee:updateMember',
  'committee:assign',
  'committee:unassign',
  'committee:distribute',
  'committee:declareLink',
  'committee:detect',
  'committee:decide',
  'committee:dossierConflict',
  'meeting:list',
  'meeting:create',
  'meeting:get',
  'meeting:update',
  'meeting:attendance',
  'meeting:propose',
  'meeting:setOrder',
  'meeting:enter',
  'meeting:dossier',
  'meeting:consensus',
  'meeting:decision',
  'meeting:end',
  'meeting:savePv',
  'dossier:snippets',
  'package:plan',
  'package:export',
  'package:verify',
] as const satisfies readonly Channel[];

export const EVENT_NAME_LIST = ['backup:progress', 'store:changed', 'import:progress', 'import:done', 'package:progress'] as const satisfies readonly EventName[];

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const channelListIsComplete: Missing<Channel, (typeof CHANNEL_NAMES)[number]> = true;
export const eventListIsComplete: Missing<EventName, (typeof EVENT_NAME_LIST)[number]> = true;
