import { z } from 'zod';
import { AppFailure } from '../../shared/errors';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import defaultGridJson from '../../resources/grids/ami-ptce-emergents-2021-phase1.json';

/**
 * A grid document: rubric limits, admissibility rules, the 7 eligibility criteria (majority rule),
 * the 10 selection criteria in 3 sections, the default scale and weights. Fields added after the
 * foundation are optional so earlier documents still parse.
 */
const localized = z.object({ fr: z.string().min(1), en: z.string().optional() });

export const admissibilitySchema = z.object({
  /** Identification fields that must be non-blank for a dossier to be complete. */
  requiredIdentification: z.array(z.string()),
  /** Eligible legal forms; `patterns` are matched against the normalised legal-form text. */
  eligibleLegalForms: z.array(
    z.object({ key: z.string(), label: localized, patterns: z.array(z.string()), requiresEsus: z.boolean() }),
  ),
});

export const gridSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  label: z.object({ fr: z.string(), en: z.string() }),
  lengthEquivalence: z.object({
    charactersPerPage: z.number().int().positive(),
    charactersPerLine: z.number().int().positive(),
  }),
  rubrics: z.array(
    z.object({
      key: z.enum(RUBRIC_KEYS),
      limit: z.union([z.object({ pages: z.number().positive() }), z.object({ lines: z.number().positive() })]),
      required: z.boolean(),
    }),
  ),
  admissibility: admissibilitySchema.optional(),
  eligibility: z
    .object({
      rule: z.literal('majority'),
      countsAsMet: z.array(z.string()),
      statuses: z.array(z.object({ key: z.string(), label: localized })),
      criteria: z.array(z.object({ key: z.string(), label: localized })).min(1),
    })
    .optional(),
  selection: z
    .object({
      sections: z.array(
        z.object({
          key: z.string(),
          label: localized,
          criteria: z.array(z.object({ key: z.string(), label: localized, weight: z.number().positive().default(1) })),
        }),
      ),
    })
    .optional(),
  scale: z
    .object({
      min: z.number().int(),
      max: z.number().int(),
      note: localized.optional(),
      levels: z.array(z.object({ value: z.number().int(), label: localized })),
    })
    .optional(),
  divergenceThreshold: z.number().positive().optional(),
  /** When a score needs a written justification: at the bottom and top of the scale (default), always, never. */
  justificationPolicy: z.enum(['extremes', 'always', 'never']).optional(),
  targets: z.array(z.object({ key: z.string(), label: localized })).optional(),
  phase2Rule: z.object({ targetsAnyOf: z.array(z.string()) }).optional(),
});
export type Grid = z.infer<typeof gridSchema>;

export const DEFAULT_GRID: Grid = gridSchema.parse(defaultGridJson);

/** Largest grid document accepted (the default one is ~20 KB). */
export const MAX_GRID_DOCUMENT_CHARS = 1_000_000;

/**
 * A grid file's text (another season's grid, e.g. issued by PESSII) → a validated grid; anything that is
 * not JSON or does not match `gridSchema` is refused with `grid_invalid` (params: the first issue's path).
 */
export function parseGridDocument(text: string): Grid {
  if (text.length > MAX_GRID_DOCUMENT_CHARS) throw new AppFailure('grid_invalid', { reason: 'too_large' });
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new AppFailure('grid_invalid', { reason: 'not_json' });
  }
  const parsed = gridSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppFailure('grid_invalid', { reason: 'schema', path: issue ? issue.path.join('.') : '' });
  }
  return parsed.data;
}

/** A rubric's limit in characters, from the grid's stated page/line equivalence. */
export function rubricLimitChars(grid: Grid, key: string): number | null {
  const rubric = grid.rubrics.find((r) => r.key === key);
  if (!rubric) return null;
  const eq = grid.lengthEquivalence;
  return 'pages' in rubric.limit
    ? Math.round(rubric.limit.pages * eq.charactersPerPage)
    : Math.round(rubric.limit.lines * eq.charactersPerLine);
}
