import type { TimerService, WindowHost } from '../../src/core/window/window-host.js';
import { TimerQueue } from './timer-queue.js';

/** What the window engine needs from its driver: the three calls a keyed process function would make. */
export interface WindowDriven<K, IN> {
  processElement(key: K, value: IN, timestamp: number): void;
  onEventTime(key: K, time: number): void;
  onProcessingTime(key: K, time: number): void;
}

/**
 * A fake keyed timer service: the key of the running call is `currentKey`; timers go into two `TimerQueue`s.
 *
 * @example
 * ```ts
 * const timers = new FakeTimerService<string>();
 * timers.currentKey = 'a';
 * timers.registerEventTimeTimer(9);
 * ```
 */
export class FakeTimerService<K> implements TimerService {
  currentKey!: K;
  watermark = Number.NEGATIVE_INFINITY;
  now = 0;
  readonly event = new TimerQueue<K>();
  readonly processing = new TimerQueue<K>();

  currentProcessingTime(): number {
    return this.now;
  }

  currentWatermark(): number {
    return this.watermark;
  }

  registerEventTimeTimer(time: number): void {
    this.event.register(this.currentKey, time);
  }

  registerProcessingTimeTimer(time: number): void {
    this.processing.register(this.currentKey, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.event.delete(this.currentKey, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.processing.delete(this.currentKey, time);
  }
}

/**
 * A fake host for the window engine, standing in for the keyed process function of the runtime: it records
 * results and late records, sets the key context before each call, and fires due timers (in time order) when
 * the watermark or the processing time advances, as Flink's timer service does.
 *
 * @example
 * ```ts
 * const host = new FakeWindowHost<string, number>();
 * const op = host.attach(new WindowOperator(spec, host));
 * host.process('a', 1, 3);
 * host.advanceWatermark(9); // host.emitted: [{ value: 1, timestamp: 9 }]
 * ```
 */
export class FakeWindowHost<K, OUT, IN = unknown> implements WindowHost<OUT> {
  readonly timers = new FakeTimerService<K>();
  readonly emitted: { value: OUT; timestamp: number }[] = [];
  /** The late records' values (their timestamps are in `lateTimestamps`). */
  readonly late: unknown[] = [];
  readonly lateTimestamps: number[] = [];
  private target: WindowDriven<K, IN> | undefined;

  /** Drives `operator` from now on; returns it. */
  attach<T extends WindowDriven<K, IN>>(operator: T): T {
    this.target = operator;
    return operator;
  }

  emit(value: OUT, timestamp: number): void {
    this.emitted.push({ value, timestamp });
  }

  emitLate(value: unknown, timestamp: number): void {
    this.late.push(value);
    this.lateTimestamps.push(timestamp);
  }

  /** One record of `key` into the engine. */
  process(key: K, value: IN, timestamp: number): void {
    this.timers.currentKey = key;
    this.driven().processElement(key, value, timestamp);
  }

  /** Raises the watermark (never lowers it) and fires every event-time timer at or before it. */
  advanceWatermark(watermark: number): void {
    if (watermark <= this.timers.watermark) return;
    this.timers.watermark = watermark;
    for (
      let due = this.timers.event.popDue(watermark);
      due !== undefined;
      due = this.timers.event.popDue(watermark)
    ) {
      this.timers.currentKey = due.key;
      this.driven().onEventTime(due.key, due.time);
    }
  }

  /** Moves the processing time to `now` and fires every processing-time timer at or before it. */
  advanceProcessingTime(now: number): void {
    this.timers.now = Math.max(this.timers.now, now);
    const upTo = this.timers.now;
    for (
      let due = this.timers.processing.popDue(upTo);
      due !== undefined;
      due = this.timers.processing.popDue(upTo)
    ) {
      this.timers.currentKey = due.key;
      this.driven().onProcessingTime(due.key, due.time);
    }
  }

  private driven(): WindowDriven<K, IN> {
    if (this.target === undefined) throw new Error('FakeWindowHost: attach(operator) first');
    return this.target;
  }
}
