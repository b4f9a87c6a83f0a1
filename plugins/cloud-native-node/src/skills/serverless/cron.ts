/**
 * Converts the spec's 5-field cron schedule (minute hour day-of-month month
 * day-of-week, as Kubernetes CronJobs read it; validated by the common
 * package) to the forms the serverless platforms want.
 */

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

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

/** The five fields of a schedule, macros expanded. */
export interface CronFields {
  minute: string;
  hour: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
}

/** Splits a 5-field schedule (or a macro such as `@daily`) into fields. */
export function cronFields(schedule: string): CronFields {
  const expanded = MACROS[schedule.trim()] ?? schedule.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) {
    throw new Error(
      `cron schedule '${schedule}' must have 5 fields (minute hour day-of-month month day-of-week)`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts;
  return { minute, hour, dayOfMonth, month, dayOfWeek };
}

/** The 5-field form with macros expanded (Cloud Scheduler, PingSource). */
export function standardCron(schedule: string): string {
  const f = cronFields(schedule);
  return [f.minute, f.hour, f.dayOfMonth, f.month, f.dayOfWeek].join(' ');
}

function isWildcard(field: string): boolean {
  return field === '*' || field === '?';
}

function dayNumber(text: string): number {
  const index = DAY_NAMES.indexOf(text.toUpperCase());
  if (index >= 0) return index;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 7) {
    throw new Error(`'${text}' is not a day of week`);
  }
  return value % 7;
}

/** The days (0 = Sunday … 6) a day-of-week field selects. */
export function daysOfWeek(field: string): Set<number> {
  const days = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = 0;
    let to = 6;
    if (!isWildcard(range)) {
      const [a, b] = range.split('-');
      from = dayNumber(a);
      // `5-7` ends on Sunday written as 7: keep the range increasing
      if (b === undefined) {
        // `1/2` steps from 1 to the end of the week
        to = stepText === undefined ? from : 6;
      } else {
        to = Number(b) === 7 ? 7 : dayNumber(b);
      }
    }
    for (let day = from; day <= to; day += step) days.add(day % 7);
  }
  return days;
}

/** Compresses a set of days into runs: `{1,2,3,4,5}` → `[[1,5]]`. */
function dayRuns(days: Set<number>): Array<[number, number]> {
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
  const f = cronFields(schedule);
  const minute = awsStepField(f.minute, 0);
  const hour = awsStepField(f.hour, 0);
  const month = awsMonthField(f.month);
  const dom = isWildcard(f.dayOfMonth) ? '*' : awsStepField(f.dayOfMonth, 1);
  const days = daysOfWeek(f.dayOfWeek);
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
  const f = cronFields(schedule);
  const days = daysOfWeek(f.dayOfWeek);
  const dow =
    isWildcard(f.dayOfWeek) || days.size === 7
      ? '*'
      : dayRuns(days)
          .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
          .join(',');
  const dom = isWildcard(f.dayOfMonth) ? '*' : f.dayOfMonth;
  return ['0', f.minute, f.hour, dom, f.month, dow].join(' ');
}
