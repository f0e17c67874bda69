import { Observable, type OperatorFunction, type SchedulerAction, type SchedulerLike } from 'rxjs';
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
    this.forget(chain);
    this.open--;
    if (this.ending && this.open === 0) this.finish();
  }

  fail(error: unknown): void {
    this.rt.error(error);
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
      chain.unsubscribe();
    }
  }
}
