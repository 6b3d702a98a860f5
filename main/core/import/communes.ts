import { createRequire } from 'node:module';

interface Commune {
  code: string;
  region?: string;
  type?: string;
}

let byCode: Map<string, string> | null = null;

/** The region (INSEE code) of a commune (INSEE code), from @etalab/decoupage-administratif; loaded once, lazily. */
export function communeRegion(insee: string): string | undefined {
  if (!insee) return undefined;
  if (!byCode) {
    const require = createRequire(import.meta.url);
    const communes = require('@etalab/decoupage-administratif/data/communes.json') as Commune[];
    byCode = new Map();
    for (const c of communes) if (c.region && !byCode.has(c.code)) byCode.set(c.code, c.region);
  }
  return byCode.get(insee.trim());
}
