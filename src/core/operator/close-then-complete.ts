import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';

/**
 * The end of an operator's input: runs its function's `close()` once (awaited while holding the instance when it
 * returns a Promise), then completes the next step. Shared by every step that owns a user function.
 *
 * @example
 * ```ts
 * complete(): void { closeThenComplete(this.rt, this.out); }
 * ```
 */
export function closeThenComplete(rt: OperatorRuntime, out: Step<unknown>): void {
  const closing = rt.closeFunction();
  if (closing === undefined) {
    out.complete();
    return;
  }
  rt.hold();
  closing.then(() => {
    rt.gate.whenRunning(() => {
      out.complete();
      rt.release();
    });
  });
}
