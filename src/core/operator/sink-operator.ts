import type { Observer } from 'rxjs';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { SinkLike } from '../transformation/function-factory.js';
import type { SinkTransformation } from '../transformation/sink-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';
import { CompiledStep } from './compiled-step.js';

class FunctionSinkStep extends AsyncStep {
  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: SinkLike,
  ) {
    super(rt, out, fn);
  }

  protected invoke(value: unknown): unknown {
    return this.fn.execute(value);
  }

  override deliver(): void {
    this.metrics.out++;
  }

  protected override finishResult(): void {
    // a sink's finish() emits nothing
  }
}

/**
 * Shared by the instances of one observer sink in one job: `complete()` or `error()` goes out once, after the
 * last instance of a run ended or when the job (across restarts) ended.
 */
class ObserverState {
  done = false;
  private listening = false;
  /** Instances still open, per run of the job (a restart builds a new run). */
  private readonly open = new WeakMap<object, number>();

  constructor(
    readonly observer: Partial<Observer<unknown>>,
    private readonly parallelism: number,
    readonly completeWithJob: boolean,
  ) {}

  /** Registers the job-end listener once per job (the first instance of the first run does it). */
  listen(rt: OperatorRuntime): void {
    if (this.listening) return;
    this.listening = true;
    rt.onJobEnd((outcome) => {
      if (this.done) return;
      this.done = true;
      try {
        if (outcome.status === 'failed') this.observer.error?.(outcome.error);
        else this.observer.complete?.();
      } catch (e) {
        rt.ctx.logger.error(`[${rt.ctx.name}] the observer threw at the end of the job:`, e);
      }
    });
  }

  /** One instance of run `run` ended; true when it was the run's last. */
  instanceEnded(run: object): boolean {
    const left = (this.open.get(run) ?? this.parallelism) - 1;
    this.open.set(run, left);
    return left === 0;
  }
}

class ObserverSinkStep implements Step<unknown> {
  constructor(
    private readonly rt: OperatorRuntime,
    private readonly state: ObserverState,
  ) {
    state.listen(rt);
  }

  next(value: unknown): void {
    const m = this.rt.metrics;
    m.in++;
    if (this.state.done || this.rt.gate.stopped) return;
    try {
      this.state.observer.next?.(value);
      m.out++;
    } catch (e) {
      this.rt.error(e);
    }
  }

  complete(): void {
    const state = this.state;
    if (state.instanceEnded(this.rt.subscription) && !state.done && !state.completeWithJob) {
      state.done = true;
      try {
        state.observer.complete?.();
      } catch (e) {
        this.rt.error(e);
      }
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
      keyed: t.keyedInput,
      create: (rt) => new ObserverSinkStep(rt, state),
    };
  }
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => {
      const fn = instantiate(target.factory, rt);
      return new CompiledStep('sink', rt, fn, new FunctionSinkStep(rt, out, fn), out);
    },
  };
}
