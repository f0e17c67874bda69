import { isObservable, Subscription, type Observable } from 'rxjs';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';

/**
 * The one helper every lowered operator is built on (as RxJS builds its operators on `operate`): it counts
 * records in, calls `invoke` (the user's function) for each one, applies the error policy when it throws,
 * and settles its result: a plain value is delivered synchronously (no Promise, no allocation); a Promise or
 * an Observable is awaited while the instance is held, so that records stay in order and one record is
 * handled at a time. By default `deliver` drops `undefined` and emits anything else.
 *
 * @example
 * ```ts
 * class DoubleStep extends AsyncStep {
 *   protected invoke(x: unknown) { return fetchDouble(x); }   // a value, a Promise or an Observable
 * }
 * ```
 */
export abstract class AsyncStep implements Step<unknown> {
  private busy = false;
  private waiting: unknown[] = [];
  private waitingHead = 0;
  /** The instance's counters (held directly: they are bumped for every record). */
  protected readonly metrics: OperatorMetrics;

  constructor(
    protected readonly rt: OperatorRuntime,
    protected readonly out: Step<unknown>,
  ) {
    this.metrics = rt.metrics;
  }

  next(value: unknown): void {
    this.metrics.in++;
    if (this.busy) {
      this.waiting.push(value, this.rt.holder.key, this.rt.holder.input);
      return;
    }
    this.apply(value);
  }

  complete(): void {
    this.out.complete();
  }

  /** Calls the user's function for one record and returns its result (it may throw). */
  protected abstract invoke(value: unknown): unknown;

  /** Receives one settled result (a plain value, or one awaited or emitted value): drops `undefined`. */
  protected deliver(result: unknown): void {
    if (result === undefined) {
      this.metrics.dropped++;
      return;
    }
    this.emit(result);
  }

  /** The user's function threw for the current record: applies the error policy. */
  protected failed(error: unknown): void {
    this.rt.error(error);
  }

  /** Calls the user's function; a plain result is delivered at once, an object may need awaiting. */
  private apply(value: unknown): void {
    let result: unknown;
    try {
      result = this.invoke(value);
    } catch (e) {
      this.failed(e);
      return;
    }
    if (result !== null && typeof result === 'object') this.settle(result);
    else this.deliver(result);
  }

  /** Emits one record downstream, counted. */
  protected emit(value: unknown): void {
    this.metrics.out++;
    this.out.next(value);
  }

  /** Awaits a Promise or an Observable while holding the instance; delivers any other object at once. */
  private settle(result: object): void {
    if (isObservable(result)) this.subscribe(result);
    else if (isPromiseLike(result)) this.await(result);
    else this.deliver(result);
  }

  /** Holds the instance and returns a function that restores the current record's key and input. */
  private holdRecord(): () => void {
    const rt = this.rt;
    const holder = rt.holder;
    const key = holder.key;
    const input = holder.input;
    this.busy = true;
    rt.hold();
    return () => {
      holder.key = key;
      holder.input = input;
    };
  }

  private await(promise: PromiseLike<unknown>): void {
    const rt = this.rt;
    const restore = this.holdRecord();
    promise.then(
      (value) => {
        rt.gate.whenRunning(() => {
          restore();
          this.deliver(value);
          this.resume();
        });
      },
      (error: unknown) => {
        rt.gate.whenRunning(() => {
          restore();
          rt.error(error);
          this.resume();
        });
      },
    );
  }

  private subscribe(source: Observable<unknown>): void {
    const rt = this.rt;
    const restore = this.holdRecord();
    const inner = new Subscription();
    rt.subscription.add(inner);
    const finish = (): void => {
      rt.subscription.remove(inner);
      this.resume();
    };
    inner.add(
      source.subscribe({
        next: (value) => {
          rt.gate.whenRunning(() => {
            restore();
            this.deliver(value);
          });
        },
        error: (error: unknown) => {
          rt.gate.whenRunning(() => {
            restore();
            rt.error(error);
            finish();
          });
        },
        complete: () => {
          rt.gate.whenRunning(() => {
            restore();
            finish();
          });
        },
      }),
    );
  }

  private isBusy(): boolean {
    return this.busy;
  }

  /** The awaited result was handled: process what queued meanwhile, then release the hold. */
  private resume(): void {
    this.busy = false;
    const q = this.waiting;
    const holder = this.rt.holder;
    while (!this.isBusy() && this.waitingHead < q.length) {
      const h = this.waitingHead;
      const value = q[h];
      holder.key = q[h + 1];
      holder.input = q[h + 2] as number;
      q[h] = q[h + 1] = undefined;
      this.waitingHead = h + 3;
      this.apply(value);
    }
    if (this.waitingHead === q.length) {
      q.length = 0;
      this.waitingHead = 0;
    }
    this.rt.release();
  }
}
