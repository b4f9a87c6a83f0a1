/**
 * The one reader of the spec's cron schedules: five fields (minute, hour,
 * day of month, month, day of week) with `*`, ranges, steps, lists and
 * names, or one of the macros Kubernetes accepts (`@yearly`, `@monthly`,
 * ...), read the way Kubernetes CronJobs read them (robfig/cron).
 * `explainInvalidCron` validates a schedule; `parseCron` gives the values
 * each field matches, which the engine turns into other clouds' forms
 * (EventBridge, NCRONTAB) and into runs per month.
 */

/**
 * The macros and the five fields each stands for.
 *
 * @public
 */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Lower-case three-letter month names, January first. */
const MONTH_NAMES = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
/** Lower-case three-letter day names, Sunday (0) first. */
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface CronField {
  name: string;
  min: number;
  max: number;
  /**
   * Where `*` and `<start>/<step>` end, when not at max: day of week ends
   * on Saturday (6), 7 being only another name of Sunday
   */
  last?: number;
  names?: string[];
  /** value of names[0] */
  nameBase?: number;
}

const FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  // 7 is accepted as Sunday, like robfig/cron used by Kubernetes
  {
    name: 'day of week',
    min: 0,
    max: 7,
    last: 6,
    names: DAY_NAMES,
    nameBase: 0,
  },
];

function parseValue(text: string, field: CronField): number | undefined {
  if (/^[0-9]+$/.test(text)) {
    return Number(text);
  }
  const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
  return index >= 0 ? index + (field.nameBase ?? 0) : undefined;
}

function checkPart(part: string, field: CronField): string | undefined {
  const [rangeText, stepText, ...extra] = part.split('/');
  if (extra.length > 0) {
    return `'${part}' has more than one '/' in the ${field.name} field`;
  }
  if (stepText !== undefined) {
    if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) {
      return `step '${stepText}' in the ${field.name} field must be a positive number`;
    }
  }
  if (rangeText === '*' || rangeText === '?') {
    return undefined;
  }
  const bounds = rangeText.split('-');
  if (bounds.length > 2) {
    return `'${rangeText}' is not a range in the ${field.name} field`;
  }
  const values: number[] = [];
  for (const bound of bounds) {
    const value = parseValue(bound, field);
    if (value === undefined) {
      return `'${bound}' is not a valid ${field.name}`;
    }
    if (value < field.min || value > field.max) {
      return `${field.name} ${value} is outside ${field.min}-${field.max}`;
    }
    values.push(value);
  }
  if (values.length === 2 && values[0] > values[1]) {
    return `range ${rangeText} in the ${field.name} field runs backwards`;
  }
  return undefined;
}

/**
 * Validates a Kubernetes CronJob schedule. Returns an explanation of the
 * first problem, or undefined when valid.
 *
 * @public
 */
export function explainInvalidCron(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (trimmed !== schedule || trimmed.length === 0) {
    return 'schedule must be a cron expression without surrounding spaces';
  }
  if (trimmed.startsWith('@')) {
    return trimmed in CRON_MACROS
      ? undefined
      : `unknown macro '${trimmed}' (use one of ${Object.keys(CRON_MACROS).join(
          ', ',
        )})`;
  }
  if (/TZ=|CRON_TZ=/.test(trimmed)) {
    return 'put the time zone in timeZone, not in the schedule';
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5) {
    return `a cron schedule has 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`;
  }
  for (let i = 0; i < FIELDS.length; i++) {
    for (const item of parts[i].split(',')) {
      const problem = checkPart(item, FIELDS[i]);
      if (problem) {
        return problem;
      }
    }
  }
  return undefined;
}

/**
 * The five fields of a schedule as written, macros expanded.
 *
 * @public
 */
export interface CronFields {
  minute: string;
  hour: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
}

/**
 * A schedule read: its fields as written and the values each matches.
 *
 * @public
 */
export interface CronSchedule {
  fields: CronFields;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 (Sunday) to 6; a 7 in the schedule reads as 0 */
  daysOfWeek: ReadonlySet<number>;
}

/**
 * `*` or `?`: the field matches every value (for the day fields, the
 * other day field alone decides).
 *
 * @public
 */
export function isCronWildcard(field: string): boolean {
  return field === '*' || field === '?';
}

/** The values one field matches (the field is valid). */
function expand(text: string, field: CronField): Set<number> {
  const values = new Set<number>();
  const last = field.last ?? field.max;
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = field.min;
    let to = last;
    if (!isCronWildcard(range)) {
      const [a, b] = range.split('-');
      from = parseValue(a, field)!;
      if (b !== undefined) to = parseValue(b, field)!;
      // `1/2` steps from 1 to the end of the field
      else if (stepText === undefined) to = from;
    }
    for (let v = from; v <= to; v += step) {
      values.add(v > last ? v - (last + 1 - field.min) : v);
    }
  }
  return values;
}

/**
 * Reads a valid schedule (or macro); surrounding spaces are ignored.
 * Throws an Error with `explainInvalidCron`'s explanation otherwise.
 *
 * @public
 */
export function parseCron(schedule: string): CronSchedule {
  const trimmed = schedule.trim();
  const expanded = CRON_MACROS[trimmed] ?? trimmed;
  const problem = explainInvalidCron(expanded);
  if (problem) throw new Error(`cron schedule '${schedule}': ${problem}`);
  const parts = expanded.split(/\s+/);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts;
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map(
    (part, i) => expand(part, FIELDS[i]),
  );
  return {
    fields: { minute, hour, dayOfMonth, month, dayOfWeek },
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
  };
}
