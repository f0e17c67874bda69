import type { Logger } from 'loglevel';
import type { TaskContext } from '../../../kernel/runtime/context/task-context.js';
import { ServiceClient } from '../service/service-client.js';
import { captureFields, restoreFields } from '../../../kernel/runtime/state/field-state.js';

/**
 * Base of every user function: gives it `ctx` (injected by the runtime after construction), `logger`,
 * `name`, the service calls (`callService`, `callServiceAsync`, `callService$`) and `getState` /
 * `restoreState` for snapshots. Each parallel instance gets its own object, so fields are per-instance state.
 *
 * @example
 * ```ts
 * class Tag extends MapFunction<string, string> {
 *   execute(s: string) { this.logger.debug('tagging', s); return `${this.name}:${s}`; }
 * }
 * ```
 */
export abstract class BaseFunction extends ServiceClient {
  /** The instance's context; set by the runtime before the first record (not available in the constructor). */
  ctx!: TaskContext;

  /** The instance's logger (loglevel), at the environment's level. */
  get logger(): Logger {
    return this.ctx.logger;
  }

  /** The instance name, `<operator>_<parallelIndex>`. */
  get name(): string {
    return this.ctx.name;
  }

  protected serviceCalls(): TaskContext {
    return this.ctx;
  }

  /**
   * The function's own state for checkpoints and savepoints: by default its plain-data fields (primitives,
   * plain objects, arrays, Map, Set, Date; not `ctx`, not names starting with `_`, never class instances or
   * functions). Override it, together with `restoreState`, to save something else.
   *
   * @example
   * ```ts
   * class Count extends MapFunction<string, number> {
   *   total = 0;
   *   execute() { return ++this.total; }
   * }
   * // a snapshot holds { total: 3 } for an instance that saw three records
   * ```
   */
  snapshotState(): unknown {
    return captureFields(this);
  }

  /**
   * Restores what `snapshotState()` saved (called before the first record of a restored job). By default it
   * writes the saved plain-data fields back; fields holding class instances or functions are left alone.
   *
   * @example
   * ```ts
   * restoreState(state: unknown) { this.total = (state as { total: number }).total; }
   * ```
   */
  restoreState(state: unknown): void {
    restoreFields(this, state);
  }
}
