import { useCallback, useContext, useEffect, useState, createContext } from 'react';
import type { Channel, Input, Output } from '../../shared/ipc/contract';
import type { AppError } from '../../shared/result';

/** A failed IPC call, carrying the stable code (and params) the UI translates. */
export class ApiError extends Error {
  constructor(readonly error: AppError) {
    super(error.code);
    this.name = 'ApiError';
  }
}

/** Calls main through the one `window.api`; resolves with the value or throws an ApiError. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  let result;
  try {
    result = await window.api.invoke(channel, input);
  } catch {
    throw new ApiError({ code: 'internal' });
  }
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export function toAppError(e: unknown): AppError {
  return e instanceof ApiError ? e.error : { code: 'internal' };
}

/** What a user action ended with, for the live region under its buttons. */
export type ActionOutcome = { kind: 'done'; message: string } | { kind: 'cancelled' } | { kind: 'error'; error: AppError };

/** Runs one action at a time (`busy` meanwhile) and keeps its outcome; a throw becomes an error outcome. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const run = async (action: () => Promise<ActionOutcome | null>) => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await action());
    } catch (e) {
      setOutcome({ kind: 'error', error: toAppError(e) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, run };
}

/** Bumped when the whole store changed (restore, migration): every loaded view reloads. */
export const DataVersionContext = createContext<{ version: number; bump: () => void }>({
  version: 0,
  bump: () => {},
});

export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'error'; error: AppError }
  | { state: 'ready'; value: T };

/** Loads one channel's answer, reloading when the input or the data version changes. */
export function useApi<C extends Channel>(channel: C, input: Input<C>): Loadable<Output<C>> & { reload: () => void } {
  const { version } = useContext(DataVersionContext);
  const [local, setLocal] = useState(0);
  const key = JSON.stringify(input);
  const [loaded, setLoaded] = useState<{ key: string; data: Loadable<Output<C>> }>({ key: '', data: { state: 'loading' } });
  const requestKey = `${channel}|${key}|${version}|${local}`;

  useEffect(() => {
    let live = true;
    call(channel, JSON.parse(key) as Input<C>).then(
      (value) => live && setLoaded({ key: requestKey, data: { state: 'ready', value } }),
      (e: unknown) => live && setLoaded({ key: requestKey, data: { state: 'error', error: toAppError(e) } }),
    );
    return () => {
      live = false;
    };
  }, [channel, key, requestKey]);

  const reload = useCallback(() => setLocal((n) => n + 1), []);
  // A stale answer (other input) is never shown: it reads as loading until the new one arrives.
  const data: Loadable<Output<C>> = loaded.key === requestKey ? loaded.data : { state: 'loading' };
  return { ...data, reload };
}
