import { describe, expect, it } from 'vitest';
import { parisDeadlineToIso } from '../../shared/domain/deadline';

describe('parisDeadlineToIso', () => {
  it('reads 24:00 as the end of the day (the AMI wave 1 « minuit »), in summer time', () => {
    expect(parisDeadlineToIso('2021-06-23', '24:00')).toBe('2021-06-23T22:00:00.000Z');
    expect(parisDeadlineToIso('2021-06-24', '00:00')).toBe('2021-06-23T22:00:00.000Z');
    expect(parisDeadlineToIso('2021-09-30', '23:59')).toBe('2021-09-30T21:59:00.000Z');
  });

  it('uses the winter offset in winter and across the changes of time', () => {
    expect(parisDeadlineToIso('2023-01-15', '12:00')).toBe('2023-01-15T11:00:00.000Z');
    expect(parisDeadlineToIso('2021-10-31', '02:30')).toBe('2021-10-31T00:30:00.000Z'); // overlap: the earlier instant
    expect(parisDeadlineToIso('2021-03-28', '02:30')).toBe('2021-03-28T01:30:00.000Z'); // gap: read in winter time
    expect(parisDeadlineToIso('2021-03-28', '03:00')).toBe('2021-03-28T01:00:00.000Z');
  });

  it('refuses what is not a date and a time', () => {
    for (const [d, t] of [['2021-02-30', '12:00'], ['2021-13-01', '12:00'], ['23/06/2021', '12:00'], ['2021-06-23', '24:01'], ['2021-06-23', '25:00'], ['2021-06-23', ''], ['', '12:00']] as const) {
      expect(parisDeadlineToIso(d, t)).toBeNull();
    }
  });
});
