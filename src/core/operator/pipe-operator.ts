import {
  Observable,
  Subscription,
  type Observer,
  type OperatorFunction,
  type SchedulerAction,
  type SchedulerLike,
  type Subscriber,
} from 'rxjs';
import { normalizeKey, type NormalizedKey } from '../../kernel/runtime/key/key-encoding.js';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { PipeTransformation } from '../transformation/pipe-transformation.js';

/**
 * One running operator chain (of the whole instance, or of one key) and its end: the object the last operator
 * pushes into. It is an `Observer` and a `Subscription` at once, which RxJS takes as a subscriber as it is, so
 * each value goes from the last operator straight to the next step (no safe-subscriber wrapper, no closure).
 * Its children are the operators' subscribers: unsubscribing it tears the chain down.
 */
class Chain extends Subscription implements Observer<unknown> {
  /** The chain's input: the subscriber of its source Observable (set when the chain is subscribed). */
  input: Subscriber<unknown> | undefined = undefined;
  /** Scheduler time of the chain's latest record (kept only with an idle timeout). */
  last = 0;
  timer: Subscription | undefined = undefined;
  /** True once the chain completed or failed. */
  ended = false;
  /** The latest event time the chain has seen: its outputs carry it (`undefined` while it saw none). */
  timestamp: number | undefined = undefined;
  private readonly metrics: OperatorMetrics;
  private readonly gate: JobGate;
  private readonly out: Step<unknown>;

  constructor(
    private readonly step: PipeStep,
    /** The key of the chain's records (`undefined` on an unkeyed stream), given to everything it emits. */
    readonly key: unknown,
    /** The key as the step's map holds it. */
    readonly normalized: NormalizedKey,
  ) {
    super();
    this.metrics = step.metrics;
    this.gate = step.gate;
    this.out = step.out;
  }

  next(value: unknown): void {
    // An operator may emit after it completed (a hand-written one that does not guard itself, as RxJS's own
    // safe subscriber would have): nothing reaches the next step once the chain ended.
    if (this.ended) return;
    this.metrics.out++;
    if (!this.gate.halted) {
      this.out.next(value, this.key, this.timestamp);
      return;
    }
    const { out, key, timestamp } = this;
    this.gate.whenRunning(() => {
      out.next(value, key, timestamp);
    });
  }

  error(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.step.release(this);
    this.step.rt.error(error);
  }

  complete(): void {
    if (this.ended) return;
    this.ended = true;
    this.step.release(this);
  }
}

/**
 * Runs an RxJS operator chain inside one instance: each record is one `next` into the chain of the
 * instance (unkeyed) or of the record's key (hash-keyed); what the chain emits goes on with that key, held back
 * while the job is paused. A chain that errors is dropped under the error policy and rebuilt at the next record;
 * a chain that completes is released. At the end of input every chain's input completes, and the instance
 * completes after the last chain did. The two subclasses differ only in how a record finds its chain.
 */
abstract class PipeStep implements Step<unknown> {
  readonly metrics: OperatorMetrics;
  readonly gate: JobGate;
  protected readonly scheduler: SchedulerLike;
  protected open = 0;
  protected ending = false;
  private held = false;
  private done = false;

  constructor(
    readonly rt: OperatorRuntime,
    readonly out: Step<unknown>,
    private readonly operators: readonly OperatorFunction<unknown, unknown>[],
    protected readonly idleMs: number | undefined,
  ) {
    this.metrics = rt.metrics;
    this.gate = rt.gate;
    this.scheduler = rt.ctx.scheduler;
    rt.subscription.add(() => {
      this.disposeAll();
    });
  }

  abstract next(value: unknown, key: unknown, timestamp: number | undefined): void;

  complete(): void {
    this.ending = true;
    for (const chain of this.live()) chain.input?.complete();
    if (this.open === 0) {
      this.finish();
      return;
    }
    this.held = true;
    this.rt.hold();
  }

  /** A chain completed or failed: forget it; the last one to end after the end of input completes the step. */
  release(chain: Chain): void {
    chain.timer?.unsubscribe();
    chain.unsubscribe();
    this.forget(chain);
    this.open--;
    if (this.ending && this.open === 0) this.finish();
  }

  /** The chains that are running. */
  protected abstract live(): Chain[];

  /** Drops `chain` from the step's bookkeeping (it ended). */
  protected abstract forget(chain: Chain): void;

  /** Drops every chain (the job stopped). */
  protected abstract forgetAll(): void;

  /** Builds and subscribes a chain for `key` (already registered by the caller through `open`). */
  protected start(key: unknown, k: NormalizedKey): Chain {
    const chain = new Chain(this, key, k);
    const source = new Observable<unknown>((subscriber) => {
      chain.input = subscriber;
    });
    this.open++;
    this.adopt(chain);
    let output = source;
    for (const op of this.operators) output = op(output);
    output.subscribe(chain);
    if (!chain.ended && this.idleMs !== undefined) this.watchIdle(chain, this.idleMs);
    return chain;
  }

  /** Registers a chain that is being started. */
  protected abstract adopt(chain: Chain): void;

  /** Completes the chain's input once it saw no record for `idleMs` of the job's scheduler. */
  private watchIdle(chain: Chain, idleMs: number): void {
    const scheduler = this.scheduler;
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

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.gate.whenRunning(() => {
      this.out.complete();
      if (this.held) this.rt.release();
    });
  }

  private disposeAll(): void {
    const chains = this.live();
    this.forgetAll();
    for (const chain of chains) {
      chain.ended = true;
      chain.timer?.unsubscribe();
      chain.unsubscribe();
    }
  }
}

/** `pipe` on an unkeyed stream: one chain for the whole instance. */
class InstancePipeStep extends PipeStep {
  private chain: Chain | undefined = undefined;

  next(value: unknown, _key: unknown, timestamp: number | undefined): void {
    this.metrics.in++;
    if (this.gate.stopped || this.ending) return;
    const chain = this.chain ?? this.start(undefined, undefined);
    if (this.idleMs !== undefined) chain.last = this.scheduler.now();
    if (timestamp !== undefined && !(timestamp <= (chain.timestamp ?? -Infinity)))
      chain.timestamp = timestamp;
    chain.input?.next(value);
  }

  protected live(): Chain[] {
    return this.chain === undefined ? [] : [this.chain];
  }

  protected adopt(chain: Chain): void {
    this.chain = chain;
  }

  protected forget(chain: Chain): void {
    if (this.chain === chain) this.chain = undefined;
  }

  protected forgetAll(): void {
    this.chain = undefined;
  }
}

/** `pipe` on a hash-keyed stream: one chain per key, found by the key's normalized form. */
class KeyedPipeStep extends PipeStep {
  private readonly chains = new Map<NormalizedKey, Chain>();
  /** The chain of the latest record's key when that key is a primitive (runs of one key skip the lookup). */
  private recent: Chain | undefined = undefined;

  next(value: unknown, key: unknown, timestamp: number | undefined): void {
    this.metrics.in++;
    if (this.gate.stopped || this.ending) return;
    const recent = this.recent;
    const chain = recent !== undefined && recent.key === key ? recent : this.chainOf(key);
    if (chain === undefined) return;
    if (this.idleMs !== undefined) chain.last = this.scheduler.now();
    if (timestamp !== undefined && !(timestamp <= (chain.timestamp ?? -Infinity)))
      chain.timestamp = timestamp;
    chain.input?.next(value);
  }

  /** The chain of `key`'s records, started on its first record; `undefined` when the key cannot be encoded. */
  private chainOf(key: unknown): Chain | undefined {
    let k: NormalizedKey;
    try {
      k = normalizeKey(key);
    } catch (e) {
      this.rt.error(e);
      return undefined;
    }
    const chain = this.chains.get(k) ?? this.start(key, k);
    // Objects are looked up every time: the same object may have changed (and so its key) since.
    if (!chain.ended && typeof key !== 'object') this.recent = chain;
    return chain;
  }

  protected live(): Chain[] {
    return [...this.chains.values()];
  }

  protected adopt(chain: Chain): void {
    this.chains.set(chain.normalized, chain);
  }

  protected forget(chain: Chain): void {
    if (this.recent === chain) this.recent = undefined;
    if (this.chains.get(chain.normalized) === chain) this.chains.delete(chain.normalized);
  }

  protected forgetAll(): void {
    this.chains.clear();
    this.recent = undefined;
  }
}

/**
 * Lowers `pipe`: the RxJS operators run once per instance (unkeyed input) or once per key (hash-keyed input),
 * their outputs keeping the key. Their internal state is not part of checkpoints: when checkpointing is on or the
 * job is restored from a snapshot, the first instance logs (warn) once that the step restarts empty.
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
      if (!warned && (rt.ctx.config.checkpointing !== undefined || rt.restored !== undefined)) {
        warned = true;
        rt.ctx.logger.warn(
          `[${t.name}] a pipe step's RxJS operators keep their state outside checkpoints: ` +
            'after a restore they start empty',
        );
      }
      return keyed
        ? new KeyedPipeStep(rt, out, t.operators, t.keyIdleTimeoutMs)
        : new InstancePipeStep(rt, out, t.operators, t.keyIdleTimeoutMs);
    },
  };
}
