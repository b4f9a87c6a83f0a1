/**
 * Validates a Kubernetes CronJob schedule: five fields (minute, hour, day of
 * month, month, day of week) with `*`, ranges, steps, lists and names, or one
 * of the macros Kubernetes accepts (`@yearly`, `@monthly`, ...).
 * Returns an explanation of the first problem, or undefined when valid.
 */

const MACROS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

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
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface CronField {
  name: string;
  min: number;
  max: number;
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
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
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

/** @public */
export function explainInvalidCron(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (trimmed !== schedule || trimmed.length === 0) {
    return 'schedule must be a cron expression without surrounding spaces';
  }
  if (trimmed.startsWith('@')) {
    return MACROS.has(trimmed)
      ? undefined
      : `unknown macro '${trimmed}' (use one of ${[...MACROS].join(', ')})`;
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
