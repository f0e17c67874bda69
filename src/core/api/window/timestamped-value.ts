/**
 * A record of a window together with its timestamp, as evictors see it.
 *
 * @example
 * ```ts
 * const r: TimestampedValue<string> = { value: 'click', timestamp: 1_000 };
 * ```
 */
export interface TimestampedValue<T> {
  readonly value: T;
  readonly timestamp: number;
}
