import { isObservable, Subscription, type Observable } from 'rxjs';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import { closeThenComplete } from './close-then-complete.js';

/** The lifecycle hooks of a user function that the runtime calls at the end of input. */
interface EndHooks {
  finish?: () => unknown;
}

/**
 * The one helper every lowered operator that calls user code is built on (as RxJS builds its operators on
 * `operate`): it counts records in, records the key and timestamp of the call it starts (so `ctx.getKey()`,
 * `ctx.state` and `ctx.timestamp()` stay right after an `await`, and outputs inherit the input's timestamp), calls `invoke` (the user's function), applies the error policy when it throws,
 * and settles its result: a plain value is delivered synchronously (no Promise, no allocation); a Promise or an
 * Observable is awaited while the instance is held, so that records stay in order and one record is handled at
 * a time. Records that reach it meanwhile (from earlier steps of the same chain) wait with their own keys. At
 * the end of input it runs the function's `finish()` (whose result is delivered like a record's), then
 * `close()`, then completes the next step. After the job stopped or failed no user code is called.
 *
 * @example
 * ```ts
 * class DoubleStep extends AsyncStep {
 *   protected invoke(x: unknown) { return fetchDouble(x); }   // a value, a Promise or an Observable
 * }
 * ```
 */
export abstract class AsyncStep implements Step<unknown> {
  /** True while a call is awaited: records wait (see {@link AsyncStep.wait}). */
  busy = false;
  private waiting: unknown[] = [];
  private waitingHead = 0;
  private ending = false;
  /** The instance's counters (held directly: they are bumped for every record). */
  protected readonly metrics: OperatorMetrics;
  protected readonly gate: JobGate;

  constructor(
    protected readonly rt: OperatorRuntime,
    protected readonly out: Step<unknown>,
    private readonly hooks: object | undefined,
  ) {
    this.metrics = rt.metrics;
    this.gate = rt.gate;
  }

  next(value: unknown, key: unknown, timestamp: number | undefined): void {
    this.metrics.in++;
    if (this.gate.stopped) return;
    const input = this.rt.instance.input;
    if (this.busy) {
      this.waiting.push(value, key, input, timestamp);
      return;
    }
    this.apply(value, key, input, timestamp);
  }

  /** Queues a record (already counted) behind the awaited call; it is handled when the call settled. */
  wait(value: unknown, key: unknown, input: number, timestamp: number | undefined): void {
    this.waiting.push(value, key, input, timestamp);
  }

  complete(): void {
    this.ending = true;
    const rt = this.rt;
    rt.key = undefined;
    rt.timestamp = undefined;
    const finish = (this.hooks as EndHooks | undefined)?.finish;
    if (typeof finish !== 'function' || this.gate.stopped) {
      this.closeAndComplete();
      return;
    }
    let result: unknown;
    try {
      result = finish.call(this.hooks);
    } catch (e) {
      rt.error(e);
      this.closeAndComplete();
      return;
    }
    if (result !== null && typeof result === 'object' && (isPromiseLike(result) || isObservable(result))) {
      this.settle(result, undefined);
      return;
    }
    this.finishResult(result);
    this.closeAndComplete();
  }

  /** Calls the user's function for one record and returns its result (it may throw). */
  protected abstract invoke(value: unknown): unknown;

  /** Receives one settled result (a plain value, or one awaited or emitted value): drops `undefined`. */
  deliver(result: unknown): void {
    if (result === undefined) {
      this.metrics.filtered++;
      return;
    }
    this.emit(result);
  }

  /** Receives what `finish()` returned (or each value it emitted): delivered like a record's result. */
  protected finishResult(result: unknown): void {
    if (result !== undefined) this.deliver(result);
  }

  /** The user's function threw for the current record: applies the error policy. */
  failed(error: unknown): void {
    this.rt.error(error);
  }

  /** Emits one record downstream with the key and the timestamp of the running call, counted. */
  protected emit(value: unknown): void {
    this.metrics.out++;
    const rt = this.rt;
    this.out.next(value, rt.key, rt.timestamp);
  }

  /** Calls the user's function; a plain result is delivered at once, an object may need awaiting. */
  private apply(value: unknown, key: unknown, input: number, timestamp: number | undefined): void {
    const rt = this.rt;
    rt.key = key;
    rt.input = input;
    rt.timestamp = timestamp;
    let result: unknown;
    try {
      result = this.invoke(value);
    } catch (e) {
      this.failed(e);
      return;
    }
    if (result !== null && typeof result === 'object') {
      if (isObservable(result) || isPromiseLike(result)) this.settle(result, value);
      else this.deliver(result);
    } else this.deliver(result);
  }

  /**
   * Awaits a Promise or subscribes to an Observable while holding the instance; `_value` is the record the
   * call was made for (`undefined` for `finish()`).
   */
  settle(result: PromiseLike<unknown> | Observable<unknown>, _value: unknown): void {
    this.busy = true;
    this.rt.hold();
    if (isObservable(result)) this.subscribe(result);
    else this.await(result);
  }

  private accept(value: unknown): void {
    if (this.ending) this.finishResult(value);
    else this.deliver(value);
  }

  private await(promise: PromiseLike<unknown>): void {
    promise.then(this.onValue, this.onError);
  }

  /** An awaited Promise resolved (one handler per step, not a closure per record). */
  private readonly onValue = (value: unknown): void => {
    const gate = this.gate;
    if (gate.stopped) return;
    if (gate.halted) {
      gate.whenRunning(() => {
        this.onValue(value);
      });
      return;
    }
    this.accept(value);
    this.resume();
  };

  /** An awaited Promise rejected. */
  private readonly onError = (error: unknown): void => {
    const gate = this.gate;
    if (gate.stopped) return;
    if (gate.halted) {
      gate.whenRunning(() => {
        this.onError(error);
      });
      return;
    }
    this.rt.error(error);
    this.resume();
  };

  private subscribe(source: Observable<unknown>): void {
    const rt = this.rt;
    const gate = this.gate;
    const inner = new Subscription();
    rt.subscription.add(inner);
    const finish = (): void => {
      rt.subscription.remove(inner);
      this.resume();
    };
    inner.add(
      source.subscribe({
        next: (value) => {
          gate.whenRunning(() => {
            this.accept(value);
          });
        },
        error: (error: unknown) => {
          gate.whenRunning(() => {
            rt.error(error);
            finish();
          });
        },
        complete: () => {
          gate.whenRunning(finish);
        },
      }),
    );
  }

  /** True while a call is awaited (a method, so the checker does not narrow it inside loops). */
  private isBusy(): boolean {
    return this.busy;
  }

  /** The awaited result was handled: process what queued meanwhile, then release the hold. */
  private resume(): void {
    this.busy = false;
    if (this.ending) {
      this.closeAndComplete();
      this.rt.release();
      return;
    }
    const q = this.waiting;
    while (!this.isBusy() && this.waitingHead < q.length && !this.gate.stopped) {
      const h = this.waitingHead;
      const value = q[h];
      const key = q[h + 1];
      const input = q[h + 2] as number;
      const timestamp = q[h + 3] as number | undefined;
      q[h] = q[h + 1] = q[h + 3] = undefined;
      this.waitingHead = h + 4;
      this.apply(value, key, input, timestamp);
    }
    if (this.waitingHead === q.length && q.length !== 0) {
      this.waiting = [];
      this.waitingHead = 0;
    }
    this.rt.release();
  }

  /** Runs `close()`, then completes downstream. */
  private closeAndComplete(): void {
    closeThenComplete(this.rt, this.out);
  }
}
