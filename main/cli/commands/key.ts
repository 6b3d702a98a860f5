import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { getActiveMember, getMember, listMembers, type Member } from '../../core/review/members';
import { createMemberKey, formatFingerprint, getMemberKey } from '../../core/keys/keys';
import { passphraseProtector, type KeyProtector } from '../../core/keys/protector';
import { t } from '../messages';

/** `--member` as an id or a name (case-insensitive); defaults to the active member. */
export function resolveMember(db: Database, member: string | undefined): Member {
  if (member === undefined) {
    const active = getActiveMember(db);
    if (!active) throw new AppFailure('not_found', { entity: 'member' });
    return active;
  }
  const byId = /^\d+$/.test(member) ? getMember(db, Number(member)) : undefined;
  const found =
    byId ?? listMembers(db).find((m) => m.name.toLocaleLowerCase('fr') === member.toLocaleLowerCase('fr'));
  if (!found) throw new AppFailure('not_found', { entity: 'member', member });
  return found;
}

/** The passphrase from COMITE_PTCE_PASSPHRASE, else typed (not echoed) on a terminal. */
export async function passphrase(): Promise<string | null> {
  const env = process.env.COMITE_PTCE_PASSPHRASE;
  if (env) return env;
  if (!process.stdin.isTTY) return null;
  process.stderr.write(t('package.cli.passphrasePrompt'));
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

export async function cliProtector(): Promise<KeyProtector | null> {
  const p = await passphrase();
  return p ? passphraseProtector(p) : null;
}

export interface KeyArgs {
  sub?: string;
  member?: string;
  publicPem: boolean;
  json: boolean;
}

/** `key create|show [--member M] [--public-pem] [--json]`. */
export async function keyCommand(db: Database, args: KeyArgs, now: Date): Promise<number> {
  if (args.sub !== 'create' && args.sub !== 'show') {
    process.stderr.write(t('cli.unknownCommand', { command: `key ${args.sub ?? ''}`.trim() }) + '\n');
    return 2;
  }
  const member = resolveMember(db, args.member);
  if (args.sub === 'create') {
    const protector = await cliProtector();
    if (!protector) {
      process.stderr.write(t('package.cli.noPassphrase') + '\n');
      return 2;
    }
    const key = createMemberKey(db, member.id, protector, now);
    if (args.json) process.stdout.write(JSON.stringify({ memberId: member.id, fingerprint: key.fingerprint }) + '\n');
    else process.stdout.write(t('package.cli.keyCreated', { member: member.name, fingerprint: formatFingerprint(key.fingerprint) }) + '\n');
    return 0;
  }
  const key = getMemberKey(db, member.id);
  if (!key) throw new AppFailure('key_missing', { member: member.id });
  if (args.publicPem) process.stdout.write(key.publicPem);
  else if (args.json)
    process.stdout.write(
      JSON.stringify({ memberId: member.id, fingerprint: key.fingerprint, publicPem: key.publicPem, createdAt: key.createdAt }) + '\n',
    );
  else
    process.stdout.write(
      t('package.cli.keyShow', { member: member.name, fingerprint: formatFingerprint(key.fingerprint), createdAt: key.createdAt }) + '\n',
    );
  return 0;
}
