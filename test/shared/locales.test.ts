import { describe, expect, it } from 'vitest';
import fr from '../../shared/locales/fr.json';
import en from '../../shared/locales/en.json';
import { ERROR_CODES } from '../../shared/errors';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}

function placeholders(tree: Tree): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (t: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(t)) {
      if (typeof v === 'string') out.set(prefix + k, [...v.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort().join(','));
      else walk(v, `${prefix}${k}.`);
    }
  };
  walk(tree, '');
  return out;
}

describe('locale files', () => {
  it('French and English have exactly the same keys', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(fr as Tree).sort());
  });

  it('every error code has a message in both languages', () => {
    for (const code of ERROR_CODES) {
      expect((fr as Tree & { errors: Record<string, string> }).errors[code], `fr errors.${code}`).toBeTruthy();
      expect((en as Tree & { errors: Record<string, string> }).errors[code], `en errors.${code}`).toBeTruthy();
    }
  });

  it('each message uses the same interpolation parameters in both languages', () => {
    const a = placeholders(fr as Tree);
    const b = placeholders(en as Tree);
    for (const [key, params] of a) expect(b.get(key), key).toBe(params);
  });
});
