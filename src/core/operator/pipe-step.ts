import {
  Observable,
  type OperatorFunction,
  type SchedulerAction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { NormalizedKey } from '../../kernel/runtime/key/key-encoding.js';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import { PipeChain, type PipeChainOwner } from './pipe-chain.js';
import { joinInput } from './pipe-chain-input.js';
import { compilePipePart } from './pipe-step-source.js';

/**
 * Runs an RxJS operator chain inside one instance: each record is one `next` into the chain of the
 * instance (unkeyed) or of the record's key (hash-keyed); what the chain emits goes on with that key, held back
 * while the job is paused. A chain that errors is dropped under the error policy and rebuilt at the next record;
 * a chain that completes is released. At the end of input every chain's input completes, and the instance
 * completes after the last chain did. The two subclasses differ only in how a record finds its chain; the
 * per-record entry and the chains' end are compiled for each instance (`pipe-step-source.ts`).
 *
 * @example
 * ```ts
 * const step: PipeStep = new KeyedPipeStep(rt, out, [bufferCount(2)], undefined);
 * step.next(1, 'a', undefined);
 * ```
 */
export abstract class PipeStep implements Step<unknown>, PipeChainOwner {
  /** Handles one record (the compiled entry of this instance). */
  readonly next: (value: unknown, key: unknown, timestamp: number | undefined) => void;
  readonly metrics: OperatorMetrics;
  readonly gate: JobGate;
  readonly scheduler: SchedulerLike;
  /** True once the input ended: records that still arrive are dropped. */
  ending = false;
  /** The compiled end of this instance's chains. */
  private readonly emit: (this: PipeChain, value: unknown) => void;
  /** What the compiled parts are given (see `PIPE_PARAMETERS`). */
  protected readonly args: readonly unknown[];
  private open = 0;
  /** Chains their operators completed, kept as markers, to forget after an idle timeout (see `retire`). */
  private retired: PipeChain[] = [];
  /** The pending sweep of {@link retired}. */
  private sweeping: Subscription | undefined = undefined;
  private held = false;
  private done = false;

  protected constructor(
    readonly rt: OperatorRuntime,
    readonly out: Step<unknown>,
    private readonly operators: readonly OperatorFunction<unknown, unknown>[],
    protected readonly idleMs: number | undefined,
    part: 'instance' | 'keyed',
    indexed: readonly (PipeChain | undefined)[] | undefined,
    chains: ReadonlyMap<NormalizedKey, PipeChain> | undefined,
  ) {
    this.metrics = rt.metrics;
    this.gate = rt.gate;
    this.scheduler = rt.ctx.scheduler;
    const args = [this, this.gate, this.metrics, indexed, this.scheduler, out, chains];
    this.args = args;
    this.next = compilePipePart(idleMs === undefined ? part : `${part}-idle`, args);
    this.emit = compilePipePart('emit', args);
    rt.subscription.add(() => {
      this.disposeAll();
    });
  }

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

  release(chain: PipeChain): void {
    chain.unsubscribe();
    // The RxJS subscribers go; with no input the chain is only its key's marker from here on.
    chain.input = undefined;
    if (chain.restarts || this.ending) this.forget(chain);
    else this.retire(chain);
    this.open--;
    if (this.ending && this.open === 0) this.finish();
  }

  fail(error: unknown): void {
    this.rt.error(error);
  }

  /**
   * A chain its own operators completed stays where its key finds it, with no input, so the key's later
   * records are dropped (RxJS's `groupBy` drops a group's values once its subscriber is gone). With an idle
   * timeout the marker is forgotten once its key saw no record for that long (a sweep on the job's scheduler),
   * and the key's next record starts a fresh chain.
   */
  private retire(chain: PipeChain): void {
    const idleMs = this.idleMs;
    if (idleMs === undefined) return;
    chain.last = this.scheduler.now();
    this.retired.push(chain);
    if (this.sweeping === undefined) this.sweepRetired(idleMs);
  }

  /** Every `idleMs`, forgets the retired chains whose key saw no record for `idleMs`, while there are any. */
  private sweepRetired(idleMs: number): void {
    const scheduler = this.scheduler;
    const action = scheduler.schedule(() => {
      const now = scheduler.now();
      const kept: PipeChain[] = [];
      for (const chain of this.retired) {
        if (now - chain.last >= idleMs) this.forget(chain);
        else kept.push(chain);
      }
      this.retired = kept;
      this.rt.subscription.remove(action);
      this.sweeping = undefined;
      if (kept.length > 0 && !this.done) this.sweepRetired(idleMs);
    }, idleMs);
    this.sweeping = action;
    this.rt.subscription.add(action);
  }

  /** The chains that are running. */
  protected abstract live(): PipeChain[];

  /** Drops `chain` from the step's bookkeeping (it ended). */
  protected abstract forget(chain: PipeChain): void;

  /** Drops every chain (the job stopped). */
  protected abstract forgetAll(): void;

  /** Registers a chain that is being started. */
  protected abstract adopt(chain: PipeChain): void;

  /** Builds and subscribes a chain for `key` (`k` its normalized form). */
  protected start(key: unknown, k: NormalizedKey): PipeChain {
    const chain = new PipeChain(this, this.emit, key, k);
    const source = new Observable<unknown>((subscriber) => {
      chain.input = joinInput(chain.input, subscriber);
    });
    this.open++;
    this.adopt(chain);
    let output = source;
    for (const op of this.operators) output = op(output);
    output.subscribe(chain);
    if (!chain.ended && this.idleMs !== undefined) this.watchIdle(chain, this.idleMs);
    return chain;
  }

  /**
   * Completes the chain's input once it saw no record for `idleMs` of the job's scheduler (the timer is one of
   * the chain's teardowns, so it ends with the chain).
   */
  private watchIdle(chain: PipeChain, idleMs: number): void {
    const scheduler = this.scheduler;
    const gate = this.gate;
    chain.last = scheduler.now();
    const timer = scheduler.schedule(
      function (this: SchedulerAction<PipeChain>, c?: PipeChain) {
        if (c === undefined) return;
        const idle = scheduler.now() - c.last;
        if (idle < idleMs) {
          this.schedule(c, idleMs - idle);
          return;
        }
        gate.whenRunning(() => {
          c.restarts = true;
          c.input?.complete();
        });
      },
      idleMs,
      chain,
    );
    chain.add(timer);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.sweeping?.unsubscribe();
    this.gate.whenRunning(() => {
      this.out.complete();
      if (this.held) this.rt.release();
    });
  }

  private disposeAll(): void {
    // The instance ended (stop, failure): a chain released from here on must not complete the next step.
    this.done = true;
    const chains = this.live();
    this.forgetAll();
    for (const chain of chains) {
      chain.ended = true;
      chain.unsubscribe();
    }
  }
}
