import type { Evictor } from '../api/window/evictor.js';
import type { EvictorContext } from '../api/window/evictor-context.js';
import type { TimestampedValue } from '../api/window/timestamped-value.js';
import type { Window } from '../api/window/window.js';
import type { AllRecordsFunction } from './all-records-function.js';
import type { WindowContents } from './window-contents.js';
import { NO_CONTENTS } from './window-slot.js';

/**
 * Contents of windows with an evictor (Flink's `EvictingWindowOperator`): the records with their timestamps.
 * Firing runs `evictBefore`, the window function over what is left, then `evictAfter`; the records left after
 * that stay in the window.
 *
 * @example
 * ```ts
 * const contents = new EvictingContents(CountEvictor.of(5), sumAll);
 * ```
 */
export class EvictingContents<K, IN, OUT> implements WindowContents<K, IN, OUT> {
  constructor(
    private readonly evictor: Evictor<IN>,
    private readonly fn: AllRecordsFunction<K, IN, OUT>,
  ) {}

  add(contents: unknown, value: IN, timestamp: number): unknown {
    const record: TimestampedValue<IN> = { value, timestamp };
    if (contents === NO_CONTENTS) return [record];
    (contents as TimestampedValue<IN>[]).push(record);
    return contents;
  }

  merge(a: unknown, b: unknown): unknown {
    const into = a as TimestampedValue<IN>[];
    for (const r of b as TimestampedValue<IN>[]) into.push(r);
    return into;
  }

  fire(
    key: K,
    window: Window,
    contents: unknown,
    clocks: EvictorContext,
    out: (value: OUT) => void,
  ): unknown {
    const records = contents as TimestampedValue<IN>[];
    this.evictor.evictBefore(records, window, clocks);
    this.fn(
      key,
      window,
      records.map((r) => r.value),
      out,
    );
    this.evictor.evictAfter(records, window, clocks);
    return records.length === 0 ? NO_CONTENTS : records;
  }

  copy(contents: unknown): unknown {
    return (contents as TimestampedValue<IN>[]).map((r) => ({ value: r.value, timestamp: r.timestamp }));
  }
}
