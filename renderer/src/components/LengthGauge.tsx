import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatPages } from '../format';

interface Props {
  label: string;
  length: number;
  limit: number | null;
  charactersPerPage: number;
}

/** A rubric's length against the grid's limit: a DSFR-coloured meter plus its text. */
export function LengthGauge({ label, length, limit, charactersPerPage }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const pages = formatPages(length, charactersPerPage, lang, t);
  const text =
    limit === null
      ? t('dossier.lengthNoLimit', { length: formatNumber(length, lang), pages })
      : t('dossier.lengthWithLimit', { length: formatNumber(length, lang), limit: formatNumber(limit, lang), pages });
  const over = limit !== null && length > limit;
  const ratio = limit ? Math.min(length / limit, 1) : 0;
  return (
    <div className="ptce-gauge">
      {limit !== null && (
        <div
          className={over ? 'ptce-gauge__track ptce-gauge__track--over' : 'ptce-gauge__track'}
          role="meter"
          aria-label={t('dossier.gaugeLabel', { label })}
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={Math.min(length, limit)}
          aria-valuetext={text}
        >
          <div className="ptce-gauge__bar" style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
        </div>
      )}
      <p className="ptce-gauge__text fr-text--sm fr-mb-0">
        <span>{text}</span>
        {over && (
          <Badge as="span" severity="warning" small className="fr-ml-1w">
            {t('dossier.overLimit')}
          </Badge>
        )}
      </p>
    </div>
  );
}
