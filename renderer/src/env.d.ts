/// <reference types="vite/client" />
import type { Api } from '../../shared/ipc/api';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the HTTP bridge shim (browser tests, dev:web). */
    readonly api: Api;
  }
}
