import type { FieldError } from '../../../shared/errors';

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 24 * 60;

export interface OptionPlan {
  startsAt: Date;
  durationMinutes: number;
}

export interface TimePollPlan {
  options: OptionPlan[];
  closesAt: Date;
}

/**
 * Every problem of a poll's times at once (the input classes check each field's shape; these are the rules across
 * fields): 2–20 options, each in the future and 15–1440 minutes long, no two the same; the poll closes in the
 * future and no later than its earliest option starts (after that, a time would be chosen that is already past).
 */
export function checkTimePollPlan(plan: TimePollPlan, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const { options, closesAt } = plan;
  if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
    errors.push({ field: 'options', message: `must offer ${MIN_OPTIONS}–${MAX_OPTIONS} times` });
  }
  const seen = new Map<string, number>();
  options.forEach((option, index) => {
    const field = `options.${index}`;
    if (option.startsAt.getTime() <= now.getTime()) errors.push({ field: `${field}.startsAt`, message: 'must be in the future' });
    const minutes = option.durationMinutes;
    if (!Number.isInteger(minutes) || minutes < MIN_DURATION_MINUTES || minutes > MAX_DURATION_MINUTES) {
      errors.push({ field: `${field}.durationMinutes`, message: `must be a whole number of minutes, ${MIN_DURATION_MINUTES}–${MAX_DURATION_MINUTES}` });
    }
    const key = `${option.startsAt.getTime()}/${minutes}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ field, message: `is the same time as options.${first}` });
    else seen.set(key, index);
  });
  if (closesAt.getTime() <= now.getTime()) errors.push({ field: 'closesAt', message: 'must be in the future' });
  const earliest = Math.min(...options.map((option) => option.startsAt.getTime()));
  if (options.length && closesAt.getTime() > earliest) errors.push({ field: 'closesAt', message: 'must be no later than the earliest option starts' });
  return errors;
}
