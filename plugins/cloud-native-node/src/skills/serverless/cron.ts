import {
  isCronWildcard as isWildcard,
  parseCron,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * Converts the spec's 5-field cron schedule (minute hour day-of-month month
 * day-of-week, as Kubernetes CronJobs read it; read by the common package's
 * `parseCron`) to the forms the serverless platforms want.
 */

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];

/** The 5-field form with macros expanded (Cloud Scheduler, PingSource). */
export function standardCron(schedule: string): string {
  const f = parseCron(schedule).fields;
  return [f.minute, f.hour, f.dayOfMonth, f.month, f.dayOfWeek].join(' ');
}

/** Compresses a set of days into runs: `{1,2,3,4,5}` → `[[1,5]]`. */
function dayRuns(days: ReadonlySet<number>): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let day = 0; day <= 6; day++) {
    if (!days.has(day)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === day - 1) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

/** A step on a wildcard becomes `0/15`: AWS wants a start value. */
function awsStepField(field: string, start: number): string {
  return field
    .split(',')
    .map(item => (item.startsWith('*/') ? `${start}${item.slice(1)}` : item))
    .join(',');
}

function awsMonthField(field: string): string {
  return awsStepField(field, 1).replace(/[a-z]{3}/gi, name => {
    const index = MONTH_NAMES.indexOf(name.toUpperCase());
    return index >= 0 ? MONTH_NAMES[index] : name;
  });
}

/**
 * AWS cron (EventBridge Scheduler, EventBridge rules): 6 fields, minutes
 * hours day-of-month month day-of-week year, where exactly one of
 * day-of-month and day-of-week is `?` and days of week are 1-7 or SUN-SAT.
 *
 * Standard cron runs when either day field matches if both are restricted;
 * AWS cannot say that in one expression, so that case gives two.
 */
export function awsCronExpressions(schedule: string): string[] {
  const { fields: f, daysOfWeek: days } = parseCron(schedule);
  const minute = awsStepField(f.minute, 0);
  const hour = awsStepField(f.hour, 0);
  const month = awsMonthField(f.month);
  const dom = isWildcard(f.dayOfMonth) ? '*' : awsStepField(f.dayOfMonth, 1);
  const dowRestricted = !isWildcard(f.dayOfWeek) && days.size < 7;
  const dow = dayRuns(days)
    .map(([a, b]) =>
      a === b ? DAY_NAMES[a] : `${DAY_NAMES[a]}-${DAY_NAMES[b]}`,
    )
    .join(',');
  const cron = (d: string, w: string) =>
    `cron(${minute} ${hour} ${d} ${month} ${w} *)`;
  if (!dowRestricted) return [cron(dom, '?')];
  if (isWildcard(f.dayOfMonth)) return [cron('?', dow)];
  return [cron(dom, '?'), cron('?', dow)];
}

/**
 * Azure Functions NCRONTAB: 6 fields with seconds first, day of week 0-6
 * (Sunday = 0).
 */
export function ncrontab(schedule: string): string {
  const { fields: f, daysOfWeek: days } = parseCron(schedule);
  const dow =
    isWildcard(f.dayOfWeek) || days.size === 7
      ? '*'
      : dayRuns(days)
          .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
          .join(',');
  const dom = isWildcard(f.dayOfMonth) ? '*' : f.dayOfMonth;
  return ['0', f.minute, f.hour, dom, f.month, dow].join(' ');
}
