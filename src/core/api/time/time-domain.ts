/**
 * The clock a timer was set on: `'event'` (fires when the watermark passes it) or `'processing'` (fires when the
 * job scheduler's time reaches it). `onTimer(timestamp, domain)` receives it.
 *
 * @example
 * ```ts
 * override onTimer(time: number, domain: TimeDomain) {
 *   return domain === 'event' ? `window ${time} closed` : `checked at ${time}`;
 * }
 * ```
 */
export type TimeDomain = 'event' | 'processing';
