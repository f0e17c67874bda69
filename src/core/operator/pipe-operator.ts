import {
  Observable,
  type OperatorFunction,
  type SchedulerAction,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import { normalizeKey, type NormalizedKey } from '../../kernel/runtime/key/key-encoding.js';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { PipeTransformation } from '../transformation/pipe-transformation.js';

/** One running operator chain: of the whole instance (unkeyed) or of one key. */
interface Chain {
  /** The chain's input: the subscriber of its source Observable (set when the chain is subscribed). */
  input: Subscriber<unknown> | undefined;
  readonly key: unknown;
  /** Scheduler time of the chain's latest record (kept only with an idle timeout). */
  last: number;
  subscription: Subscription | undefined;
  timer: Subscription | undefined;
  /** True once the chain completed or failed. */
  ended: boolean;
  /** The latest event time the chain has seen: its outputs carry it (`undefined` while it saw none). */
  timestamp: number | undefined;
}

/** Reads `ended` after callbacks may have set it (a function, so the checker does not narrow it). */
function isEnded(chain: Chain): boolean {
  return chain.ended;
}

/**
 * Runs an RxJS operator chain inside one instance: each record is one `next` into the chain of the
 * instance (unkeyed) or of the record's key (hash-keyed); what the chain emits goes on with that key, held back
 * while the job is paused. A chain that errors is dropped under the error policy and rebuilt at the next record;
 * a chain that completes is released. At the end of input every chain's input completes, and the instance
 * completes after the last chain did.
 */
class PipeStep implements Step<unknown> {
  private readonly metrics: OperatorMetrics;
  private readonly gate: JobGate;
  private single: Chain | undefined;
  private readonly chains = new Map<NormalizedKey, Chain>();
  private open = 0;
  private ending = false;
  private held = false;
  private done = false;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly out: Step<unknown>,
    private readonly operators: readonly OperatorFunction<unknown, unknown>[],
    private readonly keyed: boolean,
    private readonly idleMs: number | undefined,
  ) {
    this.metrics = rt.metrics;
    this.gate = rt.gate;
    rt.subscription.add(() => {
      this.disposeAll();
    });
  }

  next(value: unknown, key: unknown, timestamp: number | undefined): void {
    this.metrics.in++;
    if (this.gate.stopped || this.ending) return;
    let chain: Chain;
    if (this.keyed) {
      let k: NormalizedKey;
      try {
        k = normalizeKey(key);
      } catch (e) {
        this.rt.error(e);
        return;
      }
      chain = this.chains.get(k) ?? this.start(key, k);
    } else {
      chain = this.single ?? this.start(undefined, undefined);
    }
    if (this.idleMs !== undefined) chain.last = this.rt.ctx.scheduler.now();
    if (timestamp !== undefined && !(timestamp <= (chain.timestamp ?? -Infinity)))
      chain.timestamp = timestamp;
    chain.input?.next(value);
  }

  complete(): void {
    this.ending = true;
    const chains = this.keyed ? [...this.chains.values()] : this.single === undefined ? [] : [this.single];
    for (const chain of chains) chain.input?.complete();
    if (this.open === 0) {
      this.finish();
      return;
    }
    this.held = true;
    this.rt.hold();
  }

  private start(key: unknown, k: NormalizedKey): Chain {
    const chain: Chain = {
      input: undefined,
      key,
      last: 0,
      subscription: undefined,
      timer: undefined,
      ended: false,
      timestamp: undefined,
    };
    const source = new Observable<unknown>((subscriber) => {
      chain.input = subscriber;
    });
    if (this.keyed) this.chains.set(k, chain);
    else this.single = chain;
    this.open++;
    let output = source;
    for (const op of this.operators) output = op(output);
    const end = (): void => {
      if (chain.ended) return;
      chain.ended = true;
      this.release(chain, k);
    };
    const subscription = output.subscribe({
      next: (value) => {
        this.emit(value, key, chain.timestamp);
      },
      error: (error: unknown) => {
        end();
        this.rt.error(error);
      },
      complete: end,
    });
    if (isEnded(chain)) {
      subscription.unsubscribe();
      return chain;
    }
    chain.subscription = subscription;
    if (this.idleMs !== undefined) this.watchIdle(chain, this.idleMs);
    return chain;
  }

  /** Completes the chain's input once it saw no record for `idleMs` of the job's scheduler. */
  private watchIdle(chain: Chain, idleMs: number): void {
    const scheduler = this.rt.ctx.scheduler;
    const gate = this.gate;
    chain.last = scheduler.now();
    chain.timer = scheduler.schedule(
      function (this: SchedulerAction<Chain>, c?: Chain) {
        if (c === undefined) return;
        const idle = scheduler.now() - c.last;
        if (idle < idleMs) {
          this.schedule(c, idleMs - idle);
          return;
        }
        gate.whenRunning(() => {
          c.input?.complete();
        });
      },
      idleMs,
      chain,
    );
  }

  private emit(value: unknown, key: unknown, timestamp: number | undefined): void {
    this.metrics.out++;
    if (!this.gate.halted) {
      this.out.next(value, key, timestamp);
      return;
    }
    this.gate.whenRunning(() => {
      this.out.next(value, key, timestamp);
    });
  }

  /** A chain completed or failed: forget it; the last one to end after the end of input completes the step. */
  private release(chain: Chain, k: NormalizedKey): void {
    chain.timer?.unsubscribe();
    chain.subscription?.unsubscribe();
    if (this.keyed) {
      if (this.chains.get(k) === chain) this.chains.delete(k);
    } else if (this.single === chain) this.single = undefined;
    this.open--;
    if (this.ending && this.open === 0) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.gate.whenRunning(() => {
      this.out.complete();
      if (this.held) this.rt.release();
    });
  }

  private disposeAll(): void {
    const chains = this.keyed ? [...this.chains.values()] : this.single === undefined ? [] : [this.single];
    this.chains.clear();
    this.single = undefined;
    for (const chain of chains) {
      chain.timer?.unsubscribe();
      chain.subscription?.unsubscribe();
    }
  }
}

/**
 * Lowers `pipe`: the RxJS operators run once per instance (unkeyed input) or once per key (hash-keyed input),
 * their outputs keeping the key. Their internal state is not part of checkpoints: when checkpointing is on, the
 * first instance logs (warn) once that the step restarts empty after a restore.
 *
 * @example
 * ```ts
 * const spec = lowerPipe(new PipeTransformation(init, [bufferCount(2)], undefined));
 * ```
 */
export function lowerPipe(t: PipeTransformation): OperatorSpec {
  const keyed = t.keyedInput;
  let warned = false;
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed,
    create: (rt, out) => {
      if (!warned && rt.ctx.config.checkpointing !== undefined) {
        warned = true;
        rt.ctx.logger.warn(
          `[${t.name}] a pipe step's RxJS operators keep their state outside checkpoints: ` +
            'after a restore they start empty',
        );
      }
      return new PipeStep(rt, out, t.operators, keyed, t.keyIdleTimeoutMs);
    },
  };
}
