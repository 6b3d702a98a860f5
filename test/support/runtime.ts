import { afterEach } from 'vitest';
import { join } from 'node:path';
import { openRuntime, type Runtime, type RuntimeOptions } from '../../main/core/runtime';
import { nullLogger } from '../../main/core/log';
import { tempDir } from './tmp';

export type TestRuntimeOptions = Omit<RuntimeOptions, 'dbPath'>;

/**
 * Runtimes (store + handlers + dispatcher) over a fresh store in a temporary folder, closed and
 * removed after each test. Call once at the top of a test file; the returned function opens one.
 * The logger is the null logger unless `log` is given (it may need `dir`, the store's folder).
 */
export function runtimeFixture(): (options?: TestRuntimeOptions | ((dir: string) => TestRuntimeOptions)) => {
  runtime: Runtime;
  dir: string;
} {
  const opened: { runtime: Runtime; cleanup: () => void }[] = [];
  afterEach(() => {
    for (const o of opened.splice(0)) {
      o.runtime.close();
      o.cleanup();
    }
  });
  return (options = {}) => {
    const t = tempDir();
    const resolved = typeof options === 'function' ? options(t.dir) : options;
    const runtime = openRuntime({ log: nullLogger, ...resolved, dbPath: join(t.dir, 'store.sqlite') });
    opened.push({ runtime, cleanup: t.cleanup });
    return { runtime, dir: t.dir };
  };
}
