/**
 * INTEGRATION POINT (xlsx pre-scan): `prescanXlsx(path, limits)` from ./xlsx-prescan is written by
 * another helper. Until it lands, it is loaded dynamically when present; once it is in the tree,
 * replace this body with a static `import { prescanXlsx } from './xlsx-prescan'` call.
 */
export async function runXlsxPrescan(path: string): Promise<boolean> {
  const specifier = './xlsx-prescan';
  let mod: { prescanXlsx?: (p: string) => Promise<void> } | undefined;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as typeof mod;
  } catch {
    return false;
  }
  if (!mod?.prescanXlsx) return false;
  await mod.prescanXlsx(path);
  return true;
}
