import { z } from 'zod';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import defaultGridJson from '../../resources/grids/ami-ptce-emergents-2021-phase1.json';

/** The part of a grid document the foundation reads; later issues extend the schema. */
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
});
export type Grid = z.infer<typeof gridSchema>;

export const DEFAULT_GRID: Grid = gridSchema.parse(defaultGridJson);

/** A rubric's limit in characters, from the grid's stated page/line equivalence. */
export function rubricLimitChars(grid: Grid, key: string): number | null {
  const rubric = grid.rubrics.find((r) => r.key === key);
  if (!rubric) return null;
  const eq = grid.lengthEquivalence;
  return 'pages' in rubric.limit
    ? Math.round(rubric.limit.pages * eq.charactersPerPage)
    : Math.round(rubric.limit.lines * eq.charactersPerLine);
}
