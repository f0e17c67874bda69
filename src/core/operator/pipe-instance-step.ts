import type { OperatorFunction } from 'rxjs';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { ArrayLoop, ArrayLoopStep, LoopHost } from '../../kernel/runtime/source/array-loop.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { PipeChain } from './pipe-chain.js';
import { compilePipePart } from './pipe-step-source.js';
import { PipeStep } from './pipe-step.js';

/**
 * `pipe` on an unkeyed stream: one chain for the whole instance, started with the instance (and again at the
 * next record after it failed).
 *
 * @example
 * ```ts
 * const step = new InstancePipeStep(rt, out, [bufferCount(2)], undefined);
 * step.next(1, undefined, undefined);
 * ```
 */
export class InstancePipeStep extends PipeStep implements ArrayLoopStep {
  /** The running chain (read by the compiled entry). */
  chain: PipeChain | undefined = undefined;

  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    operators: readonly OperatorFunction<unknown, unknown>[],
    idleMs: number | undefined,
  ) {
    super(rt, out, operators, idleMs, 'instance', undefined, undefined);
    // As `source.pipe(...ops)` subscribes its operators when it is subscribed, the chain starts with the
    // instance, not at its first record: time operators count from the start (`bufferTime`, `sampleTime`,
    // `timeout`), `startWith` emits at once, and an empty input still gets `toArray`'s `[]` or `count`'s 0.
    rt.onStart(() => {
      if (this.chain === undefined && !this.ending && !rt.gate.stopped) this.begin();
    });
  }

  /** Starts the instance's chain (when the instance starts, or from the compiled entry after one failed). */
  begin(): PipeChain {
    return this.start(undefined, undefined);
  }

  /**
   * An array source's pull loop fused with this instance's entry (when the step heads the source's chain): the
   * source's records then reach the chain's first operator without a call in between.
   */
  arrayLoop(host: LoopHost, sourceMetrics: OperatorMetrics): ArrayLoop {
    const part = this.idleMs === undefined ? 'instance-loop' : 'instance-idle-loop';
    return compilePipePart(part, [...this.args, host, sourceMetrics], host.countsEachRecord === true);
  }

  protected live(): PipeChain[] {
    return this.chain === undefined ? [] : [this.chain];
  }

  protected adopt(chain: PipeChain): void {
    this.chain = chain;
  }

  protected forget(chain: PipeChain): void {
    if (this.chain === chain) this.chain = undefined;
  }

  protected forgetAll(): void {
    this.chain = undefined;
  }
}
