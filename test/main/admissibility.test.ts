import { describe, expect, it } from 'vitest';
import { assessAdmissibility, classifyLegalForm, type AdmissibilityInput } from '../../main/core/admissibility';
import { DEFAULT_GRID } from '../../main/core/grid';

const campaign = { regionCode: '27', deadline: '2021-06-23T22:00:00.000Z' };
const base: AdmissibilityInput = {
  identification: {
    projectName: 'P', structureName: 'S', structureAddress: 'A', legalForm: 'Association loi 1901',
    contactName: 'N', contactFunction: 'F', contactEmail: 'e@x', contactPhone: '06',
  },
  rubrics: { structure: 's', objectifs: 'o', acteurs: 'a', gouvernance: 'g', perimetre: 'p', financement: 'f' },
  depositedAt: '2021-06-23T21:59:59.000Z',
  regionCode: '27',
  legalForm: 'Association loi 1901',
  esus: '',
  communeRegionCode: '27',
};

describe('admissibility', () => {
  it('complete and on time → recevable, no flags', () => {
    expect(assessAdmissibility(base, DEFAULT_GRID, campaign)).toMatchObject({ complete: true, onTime: true, status: 'recevable', flags: [] });
  });
  it('the deadline instant itself is on time; one second later is au fil de l’eau', () => {
    expect(assessAdmissibility({ ...base, depositedAt: '2021-06-23T22:00:00.000Z' }, DEFAULT_GRID, campaign).status).toBe('recevable');
    const late = assessAdmissibility({ ...base, depositedAt: '2021-06-23T22:00:01.000Z' }, DEFAULT_GRID, campaign);
    expect(late).toMatchObject({ status: 'au_fil_de_l_eau', flags: ['late'] });
  });
  it('a whitespace-only required rubric makes the dossier irrecevable, late or not', () => {
    const r = assessAdmissibility({ ...base, rubrics: { ...base.rubrics, gouvernance: ' \n\t ' } }, DEFAULT_GRID, campaign);
    expect(r.status).toBe('irrecevable');
    expect(r.flags).toEqual(['incomplete', 'missing:rubric:gouvernance']);
    const both = assessAdmissibility({ ...base, depositedAt: null, identification: { ...base.identification, contactPhone: '' } }, DEFAULT_GRID, campaign);
    expect(both.status).toBe('irrecevable');
    expect(both.flags).toEqual(expect.arrayContaining(['incomplete', 'late', 'missing:contactPhone']));
  });
  it('an optional rubric may be blank', () => {
    expect(assessAdmissibility({ ...base, rubrics: { ...base.rubrics, plan_action: '' } }, DEFAULT_GRID, campaign).complete).toBe(true);
  });
  it('flags another region, by the declared region or by the commune', () => {
    expect(assessAdmissibility({ ...base, regionCode: '32' }, DEFAULT_GRID, campaign).flags).toContain('other_region');
    expect(assessAdmissibility({ ...base, communeRegionCode: '32' }, DEFAULT_GRID, campaign).flags).toContain('other_region');
  });
  it('legal forms: association, coopérative, société commerciale only with ESUS', () => {
    expect(classifyLegalForm(DEFAULT_GRID, 'Société coopérative d’intérêt collectif (SCIC)')?.key).toBe('cooperative');
    expect(classifyLegalForm(DEFAULT_GRID, 'SAS, société par actions simplifiée')?.key).toBe('societe_commerciale_esus');
    const noEsus = { ...base, legalForm: 'Société commerciale agréée ESUS', esus: 'non' };
    expect(assessAdmissibility(noEsus, DEFAULT_GRID, campaign).flags).toEqual(['esus_missing']);
    expect(assessAdmissibility({ ...noEsus, esus: 'oui' }, DEFAULT_GRID, campaign).flags).toEqual([]);
    expect(assessAdmissibility({ ...base, legalForm: 'Fondation' }, DEFAULT_GRID, campaign).flags).toEqual(['legal_form_unknown']);
  });
  it('flags a rubric over its limit in characters (gouvernance: 15 lines × 80)', () => {
    const r = assessAdmissibility({ ...base, rubrics: { ...base.rubrics, gouvernance: 'x'.repeat(1201) } }, DEFAULT_GRID, campaign);
    expect(r.flags).toEqual(['over_length:gouvernance']);
    expect(assessAdmissibility({ ...base, rubrics: { ...base.rubrics, gouvernance: 'x'.repeat(1200) } }, DEFAULT_GRID, campaign).flags).toEqual([]);
  });
  it('the grid states the 7 eligibility criteria, 10 selection criteria in 3 sections, the scale and the threshold', () => {
    expect(DEFAULT_GRID.eligibility?.criteria).toHaveLength(7);
    expect(DEFAULT_GRID.selection?.sections.map((s) => s.criteria.map((c) => c.key))).toEqual([
      ['V1', 'V2', 'V3', 'V4', 'V5'], ['O1', 'O2', 'O3'], ['E1', 'E2'],
    ]);
    expect(DEFAULT_GRID.scale).toMatchObject({ min: 0, max: 3 });
    expect(DEFAULT_GRID.divergenceThreshold).toBe(2);
    expect(DEFAULT_GRID.targets?.map((t) => t.key)).toEqual(['a', 'b', 'c']);
  });
});
