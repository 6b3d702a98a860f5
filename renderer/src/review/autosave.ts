import { isEmptyPatch, mergePatch, type ReviewPatch } from './patch';

export type AutosaveEvent = { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; error: unknown };

/**
 * Debounced, serialised saving of a review's unsaved edits: edits accumulate into one patch, which
 * is sent `delay` ms after the last one (or at once on `flush`); one save is in flight at a time,
 * and a failed patch is kept (merged under newer edits) for the next attempt.
 */
export function createAutosaver(options: {
  delay: number;
  save: (patch: ReviewPatch) => Promise<void>;
  onEvent: (e: AutosaveEvent) => void;
}) {
  let pending: ReviewPatch = {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;

  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  function flush(): Promise<void> {
    clear();
    if (inFlight) return inFlight.then(flush);
    if (isEmptyPatch(pending)) return Promise.resolve();
    const patch = pending;
    pending = {};
    options.onEvent({ kind: 'saving' });
    inFlight = options
      .save(patch)
      .then(
        () => options.onEvent({ kind: 'saved' }),
        (error: unknown) => {
          pending = mergePatch(patch, pending);
          options.onEvent({ kind: 'error', error });
        },
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  return {
    push(patch: ReviewPatch) {
      pending = mergePatch(pending, patch);
      clear();
      timer = setTimeout(() => void flush(), options.delay);
    },
    flush,
    hasPending: () => !isEmptyPatch(pending),
    dispose: () => clear(),
  };
}
