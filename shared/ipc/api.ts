import type { Result } from '../result';
import type { Channel, EventName, Events, Input, Output } from './contract';

/** What the preload (or, in a browser, the HTTP shim) exposes as `window.api`. */
export interface Api {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** Handlers: one function per channel, taking the validated input. */
export type Handlers = {
  [C in Channel]: (input: import('./contract').ParsedInput<C>) => Promise<Output<C>> | Output<C>;
};
