import type { TFunction } from 'i18next';
import { regionName } from '../../shared/domain/regions';

export function regionLabel(code: string, t: TFunction): string {
  return regionName(code) ?? t('home.regionUnknown', { code });
}
