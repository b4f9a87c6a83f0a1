import { runsPerMonth } from './cron';

describe('runsPerMonth reads schedules like the CronJob does', () => {
  /** Runs in a month of 730 hours: 30 days, 4 weeks, 22 weekdays. */
  const RUNS_PER_MONTH: Record<string, number> = {
    '0 6 * * *': 30,
    '@daily': 30,
    '0 * * * *': 730,
    '@hourly': 730,
    '*/15 * * * *': 2920,
    '0 3 * * sun': 4,
    '@weekly': 4,
    '0 9 * * 1-5': 22,
    '@monthly': 1,
    '0 0 1,15 * *': 2,
    '@yearly': 0.08,
    '30 1 * * *': 30,
  };

  it.each(Object.entries(RUNS_PER_MONTH))('%s → %d', (schedule, runs) => {
    expect(runsPerMonth(schedule)).toBe(runs);
  });

  // `1/2` in day of week is Monday, Wednesday, Friday (robfig/cron steps to
  // Saturday); the cost copy of the parser stepped on to 7 and counted
  // Sunday too (17 runs)
  it('counts a stepped day of week to Saturday only', () => {
    expect(runsPerMonth('0 9 * * 1/2')).toBe(13);
    expect(runsPerMonth('0 9 * * 1,3,5')).toBe(13);
  });

  it('counts 7 as Sunday, once', () => {
    expect(runsPerMonth('0 9 * * 0,7')).toBe(4);
    expect(runsPerMonth('0 9 * * 5-7')).toBe(13);
  });

  it('names the problem of a schedule it cannot read', () => {
    expect(() => runsPerMonth('* * *')).toThrow(/5 fields/);
    expect(() => runsPerMonth('0 0 * * funday')).toThrow(
      "unsupported cron schedule '0 0 * * funday': 'funday' is not a valid day of week",
    );
  });
});
