import { explainInvalidCron } from '@internal/backstage-plugin-cloud-native-common';
import { awsCronExpressions, ncrontab, standardCron } from './cron';

/** AWS cron: 6 fields, exactly one of day-of-month/day-of-week is `?`. */
function assertAwsShape(expression: string) {
  const match = /^cron\((.+)\)$/.exec(expression);
  expect(match).not.toBeNull();
  const fields = match![1].split(' ');
  expect(fields).toHaveLength(6);
  expect(fields[5]).toBe('*');
  expect([fields[2], fields[4]].filter(f => f === '?')).toHaveLength(1);
}

describe('awsCronExpressions', () => {
  it.each([
    ['0 6 * * *', ['cron(0 6 * * ? *)']],
    ['30 2 * * 1-5', ['cron(30 2 ? * MON-FRI *)']],
    ['*/15 * * * *', ['cron(0/15 * * * ? *)']],
    ['0 */2 1 * *', ['cron(0 0/2 1 * ? *)']],
    ['0 0 1 jan *', ['cron(0 0 1 JAN ? *)']],
    ['0 9 * * 0', ['cron(0 9 ? * SUN *)']],
    ['0 9 * * 7', ['cron(0 9 ? * SUN *)']],
    ['0 9 * * 5-7', ['cron(0 9 ? * SUN,FRI-SAT *)']],
    ['0 9 * * mon,wed,fri', ['cron(0 9 ? * MON,WED,FRI *)']],
    ['0 9 * * */2', ['cron(0 9 ? * SUN,TUE,THU,SAT *)']],
    ['0 9 * * 0-6', ['cron(0 9 * * ? *)']],
    ['@daily', ['cron(0 0 * * ? *)']],
    ['@hourly', ['cron(0 * * * ? *)']],
    ['@weekly', ['cron(0 0 ? * SUN *)']],
    // standard cron runs when either day field matches: two AWS schedules
    ['0 0 1 * 1', ['cron(0 0 1 * ? *)', 'cron(0 0 ? * MON *)']],
  ])('%s → %j', (schedule, expected) => {
    expect(explainInvalidCron(schedule)).toBeUndefined();
    const result = awsCronExpressions(schedule);
    expect(result).toEqual(expected);
    result.forEach(assertAwsShape);
  });

  it('rejects a schedule that is not 5 fields', () => {
    expect(() => awsCronExpressions('0 6 * *')).toThrow(/5 fields/);
  });
});

describe('ncrontab (Azure Functions)', () => {
  it.each([
    ['0 6 * * *', '0 0 6 * * *'],
    ['*/5 * * * *', '0 */5 * * * *'],
    ['30 2 * * 1-5', '0 30 2 * * 1-5'],
    ['0 0 * * 7', '0 0 0 * * 0'],
    ['0 0 * * 5-7', '0 0 0 * * 0,5-6'],
    ['@monthly', '0 0 0 1 * *'],
  ])('%s → %s', (schedule, expected) => {
    expect(ncrontab(schedule)).toBe(expected);
    expect(ncrontab(schedule).split(' ')).toHaveLength(6);
  });
});

describe('standardCron', () => {
  it('expands macros for 5-field consumers', () => {
    expect(standardCron('@daily')).toBe('0 0 * * *');
    expect(standardCron('@yearly')).toBe('0 0 1 1 *');
    expect(standardCron('15 3 * * 1')).toBe('15 3 * * 1');
  });
});
