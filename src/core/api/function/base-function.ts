import type { Logger } from 'loglevel';
import type { TaskContext } from '../../../kernel/runtime/context/task-context.js';
import { ServiceClient } from '../service/service-client.js';
import { captureFields, restoreFields, type JsonValue } from './field-state.js';

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
   * The function's state for snapshots: its public fields (not `ctx`, not names starting with `_`) as frozen
   * JSON-compatible data; Maps, Sets and Dates are encoded. Override both methods for custom state.
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
  getState(): Record<string, JsonValue> {
    return captureFields(this);
  }

  /** Restores fields captured by `getState()` (called before the first record of a restored job). */
  restoreState(state: Readonly<Record<string, unknown>>): void {
    restoreFields(this, state);
  }
}
