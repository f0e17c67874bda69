/**
 * What a trigger decides for its window (Flink's `TriggerResult`): `'CONTINUE'` does nothing, `'FIRE'` emits the
 * window's result and keeps its contents, `'PURGE'` drops the contents, `'FIRE_AND_PURGE'` does both.
 *
 * @example
 * ```ts
 * const r: TriggerResult = count >= 10 ? 'FIRE_AND_PURGE' : 'CONTINUE';
 * ```
 */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';
