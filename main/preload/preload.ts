/**
 * Sandboxed preload: exposes one frozen `api` (invoke over the contract's channels, and event
 * subscription) and never ipcRenderer itself. Built as one CommonJS file.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Channel, EventName } from '../../shared/ipc/contract';
import { CHANNEL_NAMES, EVENT_NAME_LIST } from '../../shared/ipc/channels';

const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAME_LIST);

const api = Object.freeze({
  invoke(channel: Channel, input: unknown) {
    if (!channels.has(channel)) return Promise.resolve({ ok: false, error: { code: 'unknown_channel' } });
    return ipcRenderer.invoke(channel, input);
  },
  /**
   * Paths of files dropped on the import wizard (Electron no longer exposes File.path). Main
   * re-checks each one (regular file, no symlink) before staging it for import.
   */
  pathsForFiles(files: File[]): string[] {
    return Array.from(files, (file) => {
      try {
        return webUtils.getPathForFile(file);
      } catch {
        return '';
      }
    });
  },
  on(event: EventName, listener: (payload: unknown) => void) {
    if (!events.has(event)) return () => {};
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld('api', api);
