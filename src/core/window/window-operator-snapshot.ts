/**
 * One open window of a key in a snapshot: bounds, contents (absent when empty), trigger state and timers.
 *
 * @example
 * ```ts
 * const w: WindowSlotSnapshot = { start: 0, end: 10, contents: 3, eventTimers: [9], processingTimers: [] };
 * ```
 */
export interface WindowSlotSnapshot {
  /** `-Infinity` for the global window (`null` after a trip through JSON, read back as `-Infinity`). */
  readonly start: number | null;
  /** `+Infinity` for the global window (`null` after a trip through JSON, read back as `+Infinity`). */
  readonly end: number | null;
  readonly contents?: unknown;
  readonly triggerState?: unknown;
  readonly eventTimers: readonly number[];
  readonly processingTimers: readonly number[];
}

/**
 * Everything a `WindowOperator` holds, key by key (keyed state: the runtime files each key under its key group).
 *
 * @example
 * ```ts
 * const snap = operator.snapshot();
 * restored.restore(snap);
 * ```
 */
export interface WindowOperatorSnapshot<K> {
  readonly keys: readonly { readonly key: K; readonly windows: readonly WindowSlotSnapshot[] }[];
}
