import type { WindowClocks, WindowHost } from '../../src/core/window/window-host.js';

/** What the window engine needs from its driver: records, and the clocks moving. */
export interface WindowDriven<K, IN> {
  processElement(key: K, value: IN, timestamp: number): void;
  advanceWatermark(watermark: number): void;
  advanceProcessingTime(now: number): void;
}

/**
 * Fake clocks: the watermark and the processing time are fields the test sets.
 *
 * @example
 * ```ts
 * const clocks = new FakeClocks();
 * clocks.now = 5;
 * ```
 */
export class FakeClocks implements WindowClocks {
  watermark = Number.NEGATIVE_INFINITY;
  now = 0;

  currentProcessingTime(): number {
    return this.now;
  }

  currentWatermark(): number {
    return this.watermark;
  }
}

/**
 * A fake host for the window engine, standing in for the window step of the runtime: it records results, late
 * records, the key context of each fired timer and the wake-ups asked for, and moves the engine's clocks (the
 * watermark never goes back).
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
  readonly clocks = new FakeClocks();
  readonly emitted: { value: OUT; timestamp: number }[] = [];
  /** The late records' values (their timestamps are in `lateTimestamps`). */
  readonly late: unknown[] = [];
  readonly lateTimestamps: number[] = [];
  /** The timers fired, in order: key and time. */
  readonly fired: { key: K; time: number }[] = [];
  /** The processing times the engine asked to be woken up at. */
  readonly wakeUps: number[] = [];
  /** The key of the running call. */
  currentKey: K | undefined = undefined;
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

  enterKey(key: unknown, time: number): void {
    this.currentKey = key as K;
    this.fired.push({ key: key as K, time });
  }

  wakeUpAt(time: number): void {
    this.wakeUps.push(time);
  }

  halted(): boolean {
    return false;
  }

  /** One record of `key` into the engine. */
  process(key: K, value: IN, timestamp: number): void {
    this.currentKey = key;
    this.driven().processElement(key, value, timestamp);
  }

  /** Raises the watermark (never lowers it): the engine fires every event-time timer at or before it. */
  advanceWatermark(watermark: number): void {
    if (watermark <= this.clocks.watermark) return;
    this.clocks.watermark = watermark;
    this.driven().advanceWatermark(watermark);
  }

  /** Moves the processing time to `now` (never back): the engine fires every processing-time timer due. */
  advanceProcessingTime(now: number): void {
    this.clocks.now = Math.max(this.clocks.now, now);
    this.driven().advanceProcessingTime(this.clocks.now);
  }

  private driven(): WindowDriven<K, IN> {
    if (this.target === undefined) throw new Error('FakeWindowHost: attach(operator) first');
    return this.target;
  }
}
