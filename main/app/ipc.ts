/**
 * ipcMain registration (security.md §1.1 rule 17). The decision — trusted sender? payload size?
 * then the shared dispatcher (channel check + zod validation + Result) — is the pure `handleIpc`,
 * tested with fake frames; `registerIpc` only adapts Electron's event to it.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_NAMES } from '../../shared/ipc/channels';
import type { EventName } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/result';
import { isTrustedSender, MAX_PAYLOAD_BYTES, type Dispatch } from '../core/ipc/dispatch';
import type { Logger } from '../core/log';

export interface FrameInfo {
  /** `event.senderFrame?.url` (null when the frame is gone). */
  url: string | null | undefined;
  /** `event.senderFrame === event.sender.mainFrame`. */
  isMainFrame: boolean;
}

/** Byte size of the payload as JSON, or Infinity when it is not plain JSON data. */
export function payloadSize(payload: unknown): number {
  if (payload === undefined) return 0;
  try {
    const json = JSON.stringify(payload);
    return json === undefined ? Infinity : Buffer.byteLength(json, 'utf8');
  } catch {
    return Infinity; // cycles, BigInt…
  }
}

export async function handleIpc(
  dispatch: Dispatch,
  channel: string,
  frame: FrameInfo,
  payload: unknown,
  log?: Logger,
): Promise<Result<unknown>> {
  if (!isTrustedSender(frame.url, frame.isMainFrame)) {
    log?.warn('ipc.forbidden_sender', { channel, mainFrame: frame.isMainFrame });
    return fail('forbidden_sender');
  }
  if (payloadSize(payload) > MAX_PAYLOAD_BYTES) {
    log?.warn('ipc.validation', { channel, reason: 'payload_too_large' });
    return fail('validation');
  }
  return dispatch(channel, payload);
}

export function frameInfoOf(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): FrameInfo {
  const frame = event.senderFrame;
  return { url: frame?.url, isMainFrame: !!frame && frame === event.sender.mainFrame };
}

/** One `ipcMain.handle` per contract channel; returns an unregister function. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  log?: Logger,
  channels: readonly string[] = CHANNEL_NAMES,
): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) => handleIpc(dispatch, channel, frameInfoOf(event), payload, log));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The runtime's `emit`: main→renderer events to the current window, if it is still alive. */
export function createEmitter(
  target: () => Pick<WebContents, 'send' | 'isDestroyed'> | null | undefined,
): (event: EventName, payload: unknown) => void {
  return (event, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(event, payload);
  };
}
