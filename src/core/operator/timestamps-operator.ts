import type { SchedulerAction, SchedulerLike } from 'rxjs';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { TimestampsTransformation, WatermarkSpec } from '../transformation/timestamps-transformation.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/**
 * One instance's watermark generator (Flink's `TimestampsAndWatermarksOperator` with a bounded-out-of-orderness
 * generator): assigns timestamps, tracks the largest, emits `max - outOfOrderness - 1` every interval of the
 * job's scheduler when it rose, and marks the instance idle after `idlenessMs` without records.
 */
class TimestampsStep implements Step<unknown> {
  private maxTimestamp = -Infinity;
  private emitted = -Infinity;
  private lastRecordAt: number;
  private idle = false;
  private done = false;
  private readonly gate: JobGate;
  private readonly scheduler: SchedulerLike;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly out: Step<unknown>,
    private readonly spec: WatermarkSpec,
    intervalMs: number,
  ) {
    this.gate = rt.gate;
    this.scheduler = rt.ctx.scheduler;
    this.lastRecordAt = this.scheduler.now();
    rt.generatesWatermarks = true;
    // Watermarks from upstream stop here; the end of input (+Infinity) goes on.
    rt.watermarkHandler = (watermark) => watermark === Infinity;
    if (spec.outOfOrdernessMs !== undefined || spec.idlenessMs !== undefined) {
      rt.subscription.add(
        this.scheduler.schedule(
          function (this: SchedulerAction<TimestampsStep>, step?: TimestampsStep) {
            if (step === undefined || step.done) return;
            step.tick();
            this.schedule(step, intervalMs);
          },
          intervalMs,
          this,
        ),
      );
    }
  }

  next(value: unknown, key: unknown, timestamp: number | undefined): void {
    const rt = this.rt;
    rt.metrics.in++;
    if (this.gate.stopped) return;
    let t = timestamp;
    const assigner = this.spec.assigner;
    if (assigner !== undefined) {
      rt.key = key;
      rt.timestamp = timestamp;
      try {
        t = assigner(value, timestamp);
        if (typeof t !== 'number' || Number.isNaN(t)) {
          throw new InvalidArgumentError(
            `${rt.ctx.name}: a timestamp assigner must return a number of ms, got ${String(t)}`,
          );
        }
      } catch (e) {
        rt.error(e);
        return;
      }
    }
    if (t !== undefined && t > this.maxTimestamp) this.maxTimestamp = t;
    if (this.spec.idlenessMs !== undefined) {
      this.lastRecordAt = this.scheduler.now();
      if (this.idle) {
        this.idle = false;
        rt.emitIdleness(false);
      }
    }
    rt.metrics.out++;
    this.out.next(value, key, t);
  }

  complete(): void {
    this.done = true;
    this.out.complete();
  }

  /** The periodic emission: idleness first, then the watermark if it rose (nothing while paused). */
  private tick(): void {
    if (this.gate.halted) return;
    const idleness = this.spec.idlenessMs;
    if (idleness !== undefined && !this.idle && this.scheduler.now() - this.lastRecordAt >= idleness) {
      this.idle = true;
      this.rt.emitIdleness(true);
      return;
    }
    const bound = this.spec.outOfOrdernessMs;
    if (bound === undefined || this.idle) return;
    const watermark = this.maxTimestamp - bound - 1;
    if (watermark > this.emitted) {
      this.emitted = watermark;
      this.rt.emitWatermark(watermark);
    }
  }
}

/**
 * Lowers `assignTimestampsAndWatermarks`: one watermark generator per instance, on the job's scheduler.
 *
 * @example
 * ```ts
 * const spec = lowerTimestamps(new TimestampsTransformation(init, { outOfOrdernessMs: 0 }, 200));
 * ```
 */
export function lowerTimestamps(t: TimestampsTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => new TimestampsStep(rt, out, t.watermarks, t.intervalMs),
  };
}
