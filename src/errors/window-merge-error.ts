import { SageError } from './sage-error.js';

/**
 * Session (merging) windows were given a part that cannot merge: an aggregate without `merge`, or a trigger
 * whose `canMerge()` is false.
 *
 * @example
 * ```ts
 * keyed.window(EventTimeSessionWindows.withGap(1_000)).aggregate({ createAccumulator, add, getResult });
 * // WindowMergeError: session windows merge their accumulators: give the aggregate a merge(a, b) function
 * ```
 */
export class WindowMergeError extends SageError {}
