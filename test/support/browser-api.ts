import type { Api } from '../../shared/ipc/api';
import type { Channel, Input, Output } from '../../shared/ipc/contract';

/** `window.api` as the app sees it (the shim stands in for the preload). */
export const api = (): Api => (window as unknown as { api: Api }).api;

/**
 * Loads the api shim the bridge plugin serves on the dev server (real handlers, real store:
 * see test/support/bridge-plugin.ts), once per page.
 */
export async function loadApiShim(): Promise<void> {
  if ('api' in window) return;
  await new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/__api-shim.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('api shim did not load'));
    document.head.append(script);
  });
}

/** A call that must succeed: its value, or a thrown error naming the channel and the code. */
export async function invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const r = await api().invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}`);
  return r.value;
}
