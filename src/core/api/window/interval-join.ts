import { InvalidDurationError } from '../../../errors/invalid-duration-error.js';
import { InvalidFunctionError } from '../../../errors/invalid-function-error.js';
import { MissingTimestampError } from '../../../errors/missing-timestamp-error.js';
import type { ChainOptions } from '../chain-options.js';
import type { DataStream } from '../data-stream.js';
import { OUTPUT_AT, type OutputAtContext } from './output-at.js';
import { KeyedProcessFunction } from '../function/keyed-process-function.js';

/** A record of either side, tagged with its side (0: left, 1: right). */
interface Tagged {
  readonly side: 0 | 1;
  readonly value: unknown;
}

/** A buffered record and its event time. */
interface Buffered {
  readonly ts: number;
  readonly value: unknown;
}

/**
 * An interval join in the making (Flink's `KeyedStream.intervalJoin`): `a.keyBy(fa).intervalJoin(b.keyBy(fb))
 * .between(lowerMs, upperMs).process((left, right) => r)` pairs each left record at time `t` with every right
 * record of the same key whose time is in `[t + lowerMs, t + upperMs]`; a result's event time is the later of
 * the two records' (as in Flink). Both sides buffer their records in keyed state until the watermark says no
 * partner can come any more. A record whose time is below the join's watermark is late and dropped unjoined
 * (Flink's `IntervalJoinOperator`), even when partners of it are still buffered; a record without a timestamp is
 * a `MissingTimestampError` (a record error, handled by the error policy).
 *
 * @example
 * ```ts
 * impressions.keyBy((i) => i.ad)
 *   .intervalJoin(clicks.keyBy((c) => c.ad))
 *   .between(0, 60_000)
 *   .process((imp, click) => ({ ad: imp.ad, delay: click.ts - imp.ts }));
 * ```
 */
export class IntervalJoin<A, B> {
  private lower: number | undefined;
  private upper: number | undefined;

  /** @internal */
  constructor(
    private readonly left: DataStream<A>,
    private readonly right: DataStream<B>,
  ) {}

  /** The interval, relative to the left record's time (ms, both ends included, `lowerMs ≤ upperMs`). */
  between(lowerMs: number, upperMs: number): this {
    if (!Number.isFinite(lowerMs))
      throw new InvalidDurationError('intervalJoin(…).between', lowerMs, 'a finite lower bound in ms');
    if (!Number.isFinite(upperMs) || upperMs < lowerMs) {
      throw new InvalidDurationError(
        'intervalJoin(…).between',
        upperMs,
        `a finite upper bound in ms ≥ the lower bound (${String(lowerMs)})`,
      );
    }
    this.lower = lowerMs;
    this.upper = upperMs;
    return this;
  }

  /** Emits `fn(left, right)` for each pair in the interval, once both have arrived. */
  process<R>(fn: (left: A, right: B) => R, options?: ChainOptions): DataStream<R> {
    const { lower: lo, upper: hi } = this;
    if (lo === undefined || hi === undefined) {
      throw new InvalidFunctionError('intervalJoin(…).process', 'between(lowerMs, upperMs) first', undefined);
    }
    if (typeof fn !== 'function') {
      throw new InvalidFunctionError('intervalJoin(…).process', 'a function (left, right) => result', fn);
    }
    const tagLeft = (value: A): Tagged => ({ side: 0, value });
    const tagRight = (value: B): Tagged => ({ side: 1, value });
    const both = this.left.map(tagLeft).union(this.right.map(tagRight));
    const lower: number = lo;
    const upper: number = hi;
    const join = fn as (left: unknown, right: unknown) => unknown;
    class IntervalJoinFunction extends KeyedProcessFunction<unknown, Tagged, R> {
      processElement(t: Tagged): undefined {
        const ts = this.ctx.timestamp();
        if (ts === undefined) {
          throw new MissingTimestampError(
            'a record reached intervalJoin without a timestamp: call assignTimestampsAndWatermarks(...) on both ' +
              'inputs before intervalJoin',
          );
        }
        // A late record (below the watermark) joins nothing, as in Flink.
        if (ts < this.ctx.timerService.currentWatermark()) return undefined;
        const mine = this.ctx.state.value<Buffered[] | undefined>(t.side === 0 ? 'left' : 'right');
        const other =
          this.ctx.state.value<Buffered[] | undefined>(t.side === 0 ? 'right' : 'left').get() ?? [];
        const emitAt = (this.ctx as unknown as OutputAtContext)[OUTPUT_AT];
        for (const o of other) {
          const leftTs = t.side === 0 ? ts : o.ts;
          const rightTs = t.side === 0 ? o.ts : ts;
          if (rightTs < leftTs + lower || rightTs > leftTs + upper) continue;
          // As Flink's IntervalJoinOperator: a result carries the later of its two records' timestamps.
          emitAt(t.side === 0 ? join(t.value, o.value) : join(o.value, t.value), Math.max(leftTs, rightTs));
        }
        // A left record may meet right records up to ts + upper, a right one left records up to ts - lower; a
        // partner not late has a time ≥ the watermark, so the record is kept while `until` has not fallen below it
        // (its timer at `until` fires on a later watermark, as Flink's clean-up timer does).
        const until = t.side === 0 ? ts + upper : ts - lower;
        if (until < this.ctx.timerService.currentWatermark()) return undefined;
        mine.set([...(mine.get() ?? []), { ts, value: t.value }]);
        this.ctx.timerService.registerEventTimeTimer(until);
        return undefined;
      }

      override onTimer(time: number): undefined {
        const left = this.ctx.state.value<Buffered[] | undefined>('left');
        const right = this.ctx.state.value<Buffered[] | undefined>('right');
        const keptLeft = (left.get() ?? []).filter((b) => b.ts + upper > time);
        const keptRight = (right.get() ?? []).filter((b) => b.ts - lower > time);
        left.set(keptLeft.length === 0 ? undefined : keptLeft);
        right.set(keptRight.length === 0 ? undefined : keptRight);
        return undefined;
      }
    }
    Object.defineProperty(IntervalJoinFunction, 'name', { value: 'intervalJoin' });
    return both.process<R, []>(IntervalJoinFunction, options ?? {});
  }
}
