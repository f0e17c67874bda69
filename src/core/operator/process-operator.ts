import { isObservable } from 'rxjs';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { Step } from '../../kernel/runtime/step.js';
import { KeyedTimerService, type TimeDomain } from '../../kernel/runtime/time/keyed-timer-service.js';
import type { ProcessLike, ProcessTransformation } from '../transformation/process-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';
import { OUTPUT_AT } from '../api/window/output-at.js';

/** A side output's tag, as the context receives it. */
interface TagLike {
  readonly id: string;
}

class ProcessStep extends AsyncStep {
  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: ProcessLike,
  ) {
    super(rt, out, fn);
  }

  protected invoke(value: unknown): unknown {
    return this.fn.processElement(value);
  }

  override failed(error: unknown): void {
    this.fn.takeCollected?.();
    this.rt.error(error);
  }

  /** The returned output (if any), then the collected ones. */
  override deliver(result: unknown): void {
    if (result !== undefined) this.emit(result);
    const collected = this.fn.takeCollected?.();
    if (collected !== undefined) for (const item of collected) this.emit(item);
  }

  protected override finishResult(result: unknown): void {
    this.deliver(result);
  }

  /** A timer fired (`rt.key` is its key): `onTimer(time, domain)`, whose outputs carry `time` as timestamp. */
  fireTimer(time: number, domain: TimeDomain): void {
    const rt = this.rt;
    rt.timestamp = time;
    rt.input = 0;
    const fn = this.fn;
    if (typeof fn.onTimer !== 'function') return;
    let result: unknown;
    try {
      result = fn.onTimer(time, domain);
    } catch (e) {
      this.failed(e);
      return;
    }
    if (result !== null && typeof result === 'object' && (isPromiseLike(result) || isObservable(result))) {
      this.settle(result, undefined);
    } else this.deliver(result);
  }
}

/**
 * Lowers `process`: `processElement` per record (returned and collected outputs, awaited like a map's), timers
 * through a {@link KeyedTimerService} on a keyed stream (`onTimer` in the timer's key context), side outputs
 * through `ctx.output(tag, value)` (dropped when nobody consumes the tag), `finish()` at the end of input.
 *
 * @example
 * ```ts
 * const spec = lowerProcess(new ProcessTransformation(init, factory));
 * ```
 */
export function lowerProcess(t: ProcessTransformation): OperatorSpec {
  const sideOutputs = t.sideOutputs;
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => {
      const fn = instantiate(t.factory, rt);
      const step = new ProcessStep(rt, out, fn);
      const timers = new KeyedTimerService(rt, t.keyedInput, {
        onTimer: (time, domain) => {
          step.fireTimer(time, domain);
        },
        busy: () => step.busy,
      });
      Object.defineProperties(rt.ctx, {
        timerService: { value: timers, enumerable: false },
        output: {
          value: (tag: TagLike, value: unknown): void => {
            if (!sideOutputs.has(tag.id)) return;
            rt.metrics.out++;
            rt.emitSide(tag.id, value, rt.key, rt.timestamp);
          },
          enumerable: false,
        },
        [OUTPUT_AT]: {
          value: (value: unknown, timestamp: number): void => {
            rt.metrics.out++;
            out.next(value, rt.key, timestamp);
          },
          enumerable: false,
        },
      });
      return step;
    },
  };
}
