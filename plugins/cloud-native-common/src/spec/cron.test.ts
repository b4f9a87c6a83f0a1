import { explainInvalidCron, parseCron } from './cron';

const sorted = (values: ReadonlySet<number>) =>
  [...values].sort((a, b) => a - b);

describe('parseCron', () => {
  it('expands macros into the five fields', () => {
    expect(parseCron('@yearly').fields).toEqual({
      minute: '0',
      hour: '0',
      dayOfMonth: '1',
      month: '1',
      dayOfWeek: '*',
    });
    expect(parseCron(' @daily ').fields.hour).toBe('0');
  });

  it.each([
    ['*/15', [0, 15, 30, 45]],
    ['5', [5]],
    ['50/5', [50, 55]],
    ['10-12,58', [10, 11, 12, 58]],
    ['0-20/10', [0, 10, 20]],
  ])('reads the minute field %s', (field, minutes) => {
    expect(sorted(parseCron(`${field} * * * *`).minutes)).toEqual(minutes);
  });

  it('reads month names and ranges', () => {
    expect(sorted(parseCron('0 0 1 jan,MAR-may *').months)).toEqual([
      1, 3, 4, 5,
    ]);
    expect(parseCron('0 0 * * *').months.size).toBe(12);
  });

  it.each([
    ['1-5', [1, 2, 3, 4, 5]],
    ['sat,7', [0, 6]],
    ['5-7', [0, 5, 6]],
    ['mon-fri', [1, 2, 3, 4, 5]],
    ['*', [0, 1, 2, 3, 4, 5, 6]],
    ['*/2', [0, 2, 4, 6]],
    // a step from a start runs to Saturday, as in robfig/cron: 7 is only
    // another name of Sunday (the cost copy ran to 7 and added Sunday)
    ['1/3', [1, 4]],
    ['1/2', [1, 3, 5]],
  ])('reads days of week %s (0 = Sunday)', (field, days) => {
    expect(sorted(parseCron(`0 0 * * ${field}`).daysOfWeek)).toEqual(days);
  });

  it('throws the validator explanation for what it cannot read', () => {
    expect(() => parseCron('0 6 * *')).toThrow(
      "cron schedule '0 6 * *': a cron schedule has 5 fields",
    );
    expect(() => parseCron('0 0 * * funday')).toThrow(
      "'funday' is not a valid day of week",
    );
    expect(() => parseCron('@fortnightly')).toThrow(/unknown macro/);
  });
});

describe('explainInvalidCron', () => {
  it.each([
    ['0 2 * * *', undefined],
    ['@weekly', undefined],
    [
      ' 0 2 * * *',
      'schedule must be a cron expression without surrounding spaces',
    ],
    [
      '@fortnightly',
      "unknown macro '@fortnightly' (use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)",
    ],
    [
      'CRON_TZ=UTC 0 2 * * *',
      'put the time zone in timeZone, not in the schedule',
    ],
    ['0 24 * * *', 'hour 24 is outside 0-23'],
    ['0 0 5-1 * *', 'range 5-1 in the day of month field runs backwards'],
    ['*/0 * * * *', "step '0' in the minute field must be a positive number"],
    ['0 0 * * 8', 'day of week 8 is outside 0-7'],
  ])('%s → %s', (schedule, explanation) => {
    expect(explainInvalidCron(schedule)).toBe(explanation);
  });
});
