import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useTranslation } from 'react-i18next';
import type { DossierStatus } from '../../../shared/domain/import';
import '../import.css';

const SEVERITY = { recevable: 'success', au_fil_de_l_eau: 'info', irrecevable: 'error' } as const;

export function StatusBadge({ status }: { status: DossierStatus }) {
  const { t } = useTranslation();
  return (
    <Badge as="span" severity={SEVERITY[status]} small>
      {t(`admissibility.status.${status}`)}
    </Badge>
  );
}

/** The findings shown to the committee; `missing:*` details are summed up by « incomplete ». */
export function flagLabels(flags: string[], t: (key: string, o?: Record<string, unknown>) => string): string[] {
  const out: string[] = [];
  const overLength = flags.filter((f) => f.startsWith('over_length:')).length;
  for (const key of ['incomplete', 'late', 'other_region', 'esus_missing', 'legal_form_unknown'] as const) {
    if (flags.includes(key)) out.push(t(`admissibility.flags.${key}`));
  }
  if (overLength) out.push(t('admissibility.flags.over_length', { count: overLength }));
  return out;
}

export function FlagList({ flags }: { flags: string[] }) {
  const { t } = useTranslation();
  const labels = flagLabels(flags, t);
  if (labels.length === 0) return null;
  return (
    <ul className="ptce-flags">
      {labels.map((label) => (
        <li key={label}>
          <Badge as="span" severity="warning" small noIcon>
            {label}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

export function Admissibility({ status, flags }: { status: DossierStatus; flags: string[] }) {
  return (
    <div className="ptce-admissibility">
      <StatusBadge status={status} />
      <FlagList flags={flags} />
    </div>
  );
}
