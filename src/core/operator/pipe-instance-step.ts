import type { OperatorFunction } from 'rxjs';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { PipeChain } from './pipe-chain.js';
import { PipeStep } from './pipe-step.js';

/**
 * `pipe` on an unkeyed stream: one chain for the whole instance, started on its first record.
 *
 * @example
 * ```ts
 * const step = new InstancePipeStep(rt, out, [bufferCount(2)], undefined);
 * step.next(1, undefined, undefined);
 * ```
 */
export class InstancePipeStep extends PipeStep {
  /** The running chain (read by the compiled entry). */
  chain: PipeChain | undefined = undefined;

  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    operators: readonly OperatorFunction<unknown, unknown>[],
    idleMs: number | undefined,
  ) {
    super(rt, out, operators, idleMs, 'instance', undefined, undefined);
  }

  /** Starts the instance's chain (called by the compiled entry on the first record, or after one ended). */
  begin(): PipeChain {
    return this.start(undefined, undefined);
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
