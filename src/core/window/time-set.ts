/**
 * A small set of timer times, stored without allocating for the usual case of one time: `undefined` (none), a
 * number (one), or an array (several).
 *
 * @example
 * ```ts
 * let s: TimeSet = undefined;
 * s = withTime(s, 9);   // 9
 * s = withTime(s, 19);  // [9, 19]
 * hasTime(s, 19);       // true
 * ```
 */
export type TimeSet = number | number[] | undefined;

/** Whether `time` is in `set`. */
export function hasTime(set: TimeSet, time: number): boolean {
  if (set === undefined) return false;
  if (typeof set === 'number') return set === time;
  return set.includes(time);
}

/** `set` with `time` added (`time` must not be in it). */
export function withTime(set: TimeSet, time: number): TimeSet {
  if (set === undefined) return time;
  if (typeof set === 'number') return [set, time];
  set.push(time);
  return set;
}

/** `set` without `time`. */
export function withoutTime(set: TimeSet, time: number): TimeSet {
  if (set === undefined || typeof set === 'number') return set === time ? undefined : set;
  const i = set.indexOf(time);
  if (i >= 0) set.splice(i, 1);
  if (set.length === 1) return set[0];
  return set.length === 0 ? undefined : set;
}

/** The times of `set`, as a new array. */
export function timesOf(set: TimeSet): number[] {
  if (set === undefined) return [];
  return typeof set === 'number' ? [set] : [...set];
}
