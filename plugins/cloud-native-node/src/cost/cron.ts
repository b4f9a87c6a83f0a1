/**
 * Approximate runs per month of a 5-field cron schedule (or a macro), for
 * pricing scheduled functions and CronJobs; the schedule is read by the
 * common package's `parseCron`.
 *
 * runs = firings per matching day × matching days per month, where a month
 * is 730 h = 30.42 days, rounded to a whole number (daily → 30, hourly →
 * 730, weekly → 4). Schedules firing less than once a month keep two
 * decimals (yearly → 0.08). Day of month and day of week follow cron's rule:
 * when both are restricted a day matches either.
 */

import {
  isCronWildcard,
  parseCron,
} from '@internal/backstage-plugin-cloud-native-common';
import { HOURS_PER_MONTH } from './constants';

/** Approximate number of runs per month (730 h). */
export function runsPerMonth(schedule: string): number {
  let cron;
  try {
    cron = parseCron(schedule);
  } catch (error) {
    throw new Error(`unsupported ${(error as Error).message}`);
  }
  const domRestricted = !isCronWildcard(cron.fields.dayOfMonth);
  const dowRestricted = !isCronWildcard(cron.fields.dayOfWeek);
  const daysPerMonth = HOURS_PER_MONTH / 24;
  const domFraction = domRestricted ? cron.daysOfMonth.size / daysPerMonth : 1;
  const dowFraction = dowRestricted ? cron.daysOfWeek.size / 7 : 1;
  let dayFraction: number;
  if (domRestricted && dowRestricted) {
    dayFraction = Math.min(
      1,
      domFraction + dowFraction - domFraction * dowFraction,
    );
  } else {
    dayFraction = Math.min(1, domFraction * dowFraction);
  }
  const monthFraction = cron.months.size / 12;
  const runs =
    cron.minutes.size *
    cron.hours.size *
    daysPerMonth *
    dayFraction *
    monthFraction;
  return runs >= 1 ? Math.round(runs) : Math.round(runs * 100) / 100;
}
