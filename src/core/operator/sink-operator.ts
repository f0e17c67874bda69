import type { Observer } from 'rxjs';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { SinkLike } from '../transformation/function-factory.js';
import type { SinkTransformation } from '../transformation/sink-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';

class FunctionSinkStep extends AsyncStep {
  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: SinkLike,
  ) {
    super(rt, out);
  }

  protected invoke(value: unknown): unknown {
    return this.fn.execute(value);
  }

  protected override deliver(): void {
    this.metrics.out++;
  }

  override complete(): void {
    const rt = this.rt;
    if (typeof this.fn.close !== 'function') return;
    let result: unknown;
    try {
      result = this.fn.close();
    } catch (e) {
      rt.error(e);
      return;
    }
    if (isPromiseLike(result)) {
      rt.hold();
      result.then(
        () => {
          rt.release();
        },
        (error: unknown) => {
          rt.error(error);
          rt.release();
        },
      );
    }
  }
}

/** Shared by the instances of one observer sink: `complete()` goes out once, after the last instance. */
class ObserverState {
  open: number;
  done = false;

  constructor(
    readonly observer: Partial<Observer<unknown>>,
    parallelism: number,
    readonly completeWithJob: boolean,
  ) {
    this.open = parallelism;
  }
}

class ObserverSinkStep implements Step<unknown> {
  constructor(
    private readonly rt: OperatorRuntime,
    private readonly state: ObserverState,
  ) {
    rt.onJobEnd((outcome) => {
      if (state.done) return;
      state.done = true;
      if (outcome.status === 'failed') state.observer.error?.(outcome.error);
      else state.observer.complete?.();
    });
  }

  next(value: unknown): void {
    const m = this.rt.metrics;
    m.in++;
    if (this.state.done) return;
    try {
      this.state.observer.next?.(value);
      m.out++;
    } catch (e) {
      this.rt.error(e);
    }
  }

  complete(): void {
    const state = this.state;
    if (--state.open === 0 && !state.done && !state.completeWithJob) {
      state.done = true;
      state.observer.complete?.();
    }
  }
}

/**
 * Lowers `sink` (once per job, so an observer's shared state belongs to one job). A sink function gets `execute` per record (a returned Promise is awaited before the next
 * record) and `close()` once per instance at end of stream. An Observer gets `next` per record, `complete()`
 * once after its last instance ended, and `error` if the job fails.
 *
 * @example
 * ```ts
 * const spec = lowerSink(new SinkTransformation(init, { kind: 'observer', observer: subject }));
 * ```
 */
export function lowerSink(t: SinkTransformation): OperatorSpec {
  const target = t.target;
  if (target.kind === 'observer') {
    const state = new ObserverState(target.observer, t.parallelism, target.completeWith === 'job');
    return {
      name: t.name,
      kind: t.kind,
      errorPolicy: t.errorPolicy,
      create: (rt) => new ObserverSinkStep(rt, state),
    };
  }
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    create: (rt, out) => new FunctionSinkStep(rt, out, instantiate(target.factory, rt)),
  };
}
