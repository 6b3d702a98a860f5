#!/usr/bin/env node
/**
 * comite-ptce — the command line over the same plain-Node modules as the app.
 *   comite-ptce --db FILE demo          create the demo campaign
 *   comite-ptce --db FILE info [--json] schema version, counts, integrity
 *   comite-ptce --db FILE campaign create --region CODE --deadline ISO [--grid FILE] [--name …] [--json]
 *   comite-ptce --db FILE import FILE... [--campaign ID] [--mapping FILE] [--json]
 *   comite-ptce --db FILE list [--json]
 *   comite-ptce --db FILE review show N [--campaign ID] [--member M] [--json]
 *   comite-ptce --db FILE search "words" [--campaign ID] [--json]
 *   comite-ptce --db FILE audit verify [--json]
 *   comite-ptce --db FILE key create|show [--member M] [--public-pem] [--json]
 *   comite-ptce --db FILE export --out FILE|FOLDER [--member M] [--campaign ID] [--dossiers ready|all] [--with-attachments]
 *                                [--p12 FILE --password-env VAR] [--json]
 *   comite-ptce --db FILE synthesis [--campaign ID] [--json] [--out FILE.xlsx]
 *   comite-ptce verify FILE [--pubkey PEM | --ca PEM] [--json]   (no database needed)
 *   comite-ptce --db FILE key register --member M --pem FILE [--json]
 *   comite-ptce --db FILE contribution export --member M --out F [--campaign ID] | import F [--member M]
 *                                      | conflicts | resolve ID --keep local|incoming   [--json]
 *   comite-ptce --db FILE grid-xlsx export --member M --out F [--campaign ID] | import F [--member M]  [--json]
 * The database defaults to $COMITE_PTCE_DB.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { AppFailure } from '../../shared/errors';
import { openRuntime } from '../core/runtime';
import { seedDemo } from '../core/demo';
import { t } from './messages';
import { campaignCreate } from './commands/campaign';
import { failureExit, importCommand } from './commands/import';
import { listCommand } from './commands/list';
import { reviewShow } from './commands/review';
import { searchCommand } from './commands/search';
import { auditCommand } from './commands/audit';
import { keyCommand } from './commands/key';
import { exportCommand } from './commands/export';
import { avisPdfStore, storedAvisPdfRenderer, storedSynthesePdfRenderer, synthesePdfStore } from '../core/package/pdf/avis-pdf-store';
import { verifyCommand } from './commands/verify';
import { contributionCommand, gridXlsxCommand, keyRegisterCommand } from './commands/contribution';
import { synthesisCommand } from './commands/synthesis';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      region: { type: 'string' },
      deadline: { type: 'string' },
      grid: { type: 'string' },
      name: { type: 'string' },
      campaign: { type: 'string' },
      mapping: { type: 'string' },
      member: { type: 'string' },
      'public-pem': { type: 'boolean', default: false },
      out: { type: 'string' },
      dossiers: { type: 'string' },
      p12: { type: 'string' },
      'password-env': { type: 'string' },
      pubkey: { type: 'string' },
      ca: { type: 'string' },
      pem: { type: 'string' },
      keep: { type: 'string' },
      'with-attachments': { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(t('cli.usage') + '\n' + t('review.cli.usage') + '\n' + t('package.cli.usage') + '\n' + t('contribution.cli.usage') + '\n' + t('synthesis.cli.usage') + '\n');
    return command || values.help ? 0 : 2;
  }
  if (command === 'verify') return verifyCommand({ file: rest[0], pubkey: values.pubkey, ca: values.ca, json: values.json });
  const dbPath = values.db ?? process.env.COMITE_PTCE_DB;
  if (!dbPath) {
    process.stderr.write(t('cli.noDb') + '\n');
    return 2;
  }
  const runtime = openRuntime({ dbPath: resolve(dbPath) });
  try {
    switch (command) {
      case 'demo': {
        const r = seedDemo(runtime.store.db, new Date());
        if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
        else process.stdout.write(t(r.created ? 'cli.demoCreated' : 'cli.demoExists', { count: r.dossiers }) + '\n');
        return 0;
      }
      case 'info': {
        const info = await runtime.handlers['app:info']({});
        if (values.json) process.stdout.write(JSON.stringify(info, null, 2) + '\n');
        else
          process.stdout.write(
            [
              `${t('cli.info.schemaVersion')}: ${info.schemaVersion}`,
              `${t('cli.info.campaigns')}: ${info.campaigns}`,
              `${t('cli.info.dossiers')}: ${info.dossiers}`,
              `${t('cli.info.integrity')}: ${info.integrity}`,
            ].join('\n') + '\n',
          );
        return info.integrity === 'ok' ? 0 : 1;
      }
      case 'campaign': {
        if (rest[0] !== 'create') {
          process.stderr.write(t('cli.unknownCommand', { command: `campaign ${rest[0] ?? ''}`.trim() }) + '\n');
          return 2;
        }
        return campaignCreate(runtime.store.db, values, new Date());
      }
      case 'import':
        return await importCommand(runtime.store.db, runtime.store.paths.filesDir, {
          files: rest,
          campaign: values.campaign,
          mapping: values.mapping,
          json: values.json,
        });
      case 'list':
        return listCommand(runtime.store.db, values.json);
      case 'review':
        if (rest[0] !== 'show') {
          process.stderr.write(t('cli.unknownCommand', { command: `review ${rest[0] ?? ''}`.trim() }) + '\n');
          return 2;
        }
        return reviewShow(runtime.store.db, { number: rest[1], campaign: values.campaign, member: values.member, json: values.json });
      case 'search':
        return searchCommand(runtime.store.db, { words: rest, campaign: values.campaign, json: values.json });
      case 'audit':
        return auditCommand(runtime.store.db, { sub: rest[0], json: values.json });
      case 'contribution':
      case 'grid-xlsx': {
        const args = { sub: rest[0], file: rest[1], member: values.member, campaign: values.campaign, out: values.out, keep: values.keep, json: values.json };
        const now = process.env.COMITE_PTCE_CLOCK ? new Date(process.env.COMITE_PTCE_CLOCK) : new Date();
        return command === 'contribution' ? await contributionCommand(runtime.store.db, args, now) : await gridXlsxCommand(runtime.store.db, args, now);
      }
      case 'key':
        if (rest[0] === 'register')
          return keyRegisterCommand(runtime.store.db, { member: values.member, pem: values.pem, json: values.json }, new Date());
        return await keyCommand(
          runtime.store.db,
          { sub: rest[0], member: values.member, publicPem: values['public-pem'], json: values.json },
          new Date(),
        );
      case 'export':
        return await exportCommand(
          runtime.store.db,
          {
            out: values.out,
            member: values.member,
            campaign: values.campaign,
            dossiers: values.dossiers,
            p12: values.p12,
            passwordEnv: values['password-env'],
            withAttachments: values['with-attachments'] ? runtime.store.paths.filesDir : undefined,
            json: values.json,
          },
          () => (process.env.COMITE_PTCE_CLOCK ? new Date(process.env.COMITE_PTCE_CLOCK) : new Date()),
          // The avis PDFs from the store's cache; the missing or stale ones rendered on the worker pool and stored.
          storedAvisPdfRenderer(
            avisPdfStore(() => runtime.store.db),
            runtime.renderAvisPdf,
          ),
          storedSynthesePdfRenderer(synthesePdfStore(() => runtime.store.db), runtime.renderSynthesePdf),
        );
      case 'synthesis':
        return await synthesisCommand(runtime.store.db, { campaign: values.campaign, json: values.json, out: values.out }, () =>
          process.env.COMITE_PTCE_CLOCK ? new Date(process.env.COMITE_PTCE_CLOCK) : new Date(),
        );
      default:
        process.stderr.write(t('cli.unknownCommand', { command }) + '\n');
        return 2;
    }
  } finally {
    runtime.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AppFailure) {
      const code = error.params?.reason ? String(error.params.reason) : '';
      const said = code && error.code === 'import_refused' ? t(`importRefused.${code}`, { ...error.params, defaultValue: '' }) : '';
      const reason = said ? ` ${said} (${code})` : code ? ` (${code})` : '';
      process.stderr.write(t(`errors.${error.code}`, error.params) + reason + '\n');
      process.exit(failureExit(error));
    }
    process.stderr.write(String(error instanceof Error ? error.message : error) + '\n');
    process.exit(1);
  },
);
