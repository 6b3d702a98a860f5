import { isChannel, contract, type Channel } from '../../../shared/ipc/contract';
import type { Handlers } from '../../../shared/ipc/api';
import { AppFailure } from '../../../shared/errors';
import { fail, ok, type Result } from '../../../shared/result';
import type { Logger } from '../log';

/** The origin the packaged app's pages are served from (see main/app/protocol.ts). */
export const APP_ORIGIN = 'app://comite-ptce';

/** Largest JSON payload accepted from a renderer; nothing in the contract comes close. */
export const MAX_PAYLOAD_BYTES = 1_000_000;

/**
 * Accepts only the app's own top frame: a sub-frame, another origin, `file:` or a URL that
 * does not parse is refused before any handler or validation runs.
 */
export function isTrustedSender(frameUrl: string | undefined | null, isTopFrame: boolean, appOrigin = APP_ORIGIN): boolean {
  if (!isTopFrame || !frameUrl) return false;
  try {
    // URL.origin is the opaque "null" for non-special schemes (app:, file:), so compare the
    // scheme and host themselves.
    const frame = new URL(frameUrl);
    const app = new URL(appOrigin);
    return frame.protocol === app.protocol && frame.host === app.host && frame.host !== '';
  } catch {
    return false;
  }
}

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

/**
 * One entry point for Electron's ipcMain and for the HTTP bridge: unknown channel, invalid
 * payload (zod, strict objects) and thrown failures all become a Result with a stable code.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
  return async (channel, payload) => {
    if (!isChannel(channel)) return fail('unknown_channel');
    const parsed = contract[channel].input.safeParse(payload ?? {});
    if (!parsed.success) {
      log.warn('ipc.validation', { channel, issues: parsed.error.issues.length });
      return fail('validation');
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (error) {
      if (error instanceof AppFailure) {
        log.warn('ipc.failure', { channel, code: error.code });
        return fail(error.code, error.params);
      }
      log.error('ipc.internal', { channel, error });
      return fail('internal');
    }
  };
}

export function channelOf(value: unknown): Channel | null {
  return isChannel(value) ? value : null;
}
