/**
 * Approximate runs per month of a 5-field cron schedule (or a macro), for
 * pricing scheduled functions and CronJobs.
 *
 * runs = firings per matching day × matching days per month, where a month
 * is 730 h = 30.42 days, rounded to a whole number (daily → 30, hourly →
 * 730, weekly → 4). Schedules firing less than once a month keep two
 * decimals (yearly → 0.08). Day of month and day of week follow cron's rule:
 * when both are restricted a day matches either.
 */

import { HOURS_PER_MONTH } from './constants';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = [
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
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  min: number;
  max: number;
  names?: string[];
  nameBase?: number;
}

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 7, names: DAYS, nameBase: 0 },
];

function value(text: string, field: Field): number {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index < 0) throw new Error(`unsupported cron value '${text}'`);
  return index + (field.nameBase ?? 0);
}

/** The set of values a field matches. */
function expand(text: string, field: Field): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new Error(`unsupported cron step '${part}'`);
    }
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      from = field.min;
      to = field.max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a, field);
      to = value(b, field);
    } else {
      from = value(range, field);
      to = stepText === undefined ? from : field.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function restricted(text: string): boolean {
  return !(text === '*' || text === '?');
}

/** Approximate number of runs per month (730 h). */
export function runsPerMonth(schedule: string): number {
  const expanded = MACROS[schedule.trim()] ?? schedule.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) {
    throw new Error(`cron schedule '${schedule}' must have 5 fields`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((p, i) =>
    expand(p, FIELDS[i]),
  );
  // 7 and 0 are both Sunday
  if (dayOfWeek.has(7)) {
    dayOfWeek.delete(7);
    dayOfWeek.add(0);
  }
  const daysPerMonth = HOURS_PER_MONTH / 24;
  const domFraction = restricted(parts[2]) ? dayOfMonth.size / daysPerMonth : 1;
  const dowFraction = restricted(parts[4]) ? dayOfWeek.size / 7 : 1;
  let dayFraction: number;
  if (restricted(parts[2]) && restricted(parts[4])) {
    dayFraction = Math.min(
      1,
      domFraction + dowFraction - domFraction * dowFraction,
    );
  } else {
    dayFraction = Math.min(1, domFraction * dowFraction);
  }
  const monthFraction = month.size / 12;
  const runs =
    minute.size * hour.size * daysPerMonth * dayFraction * monthFraction;
  return runs >= 1 ? Math.round(runs) : Math.round(runs * 100) / 100;
}
