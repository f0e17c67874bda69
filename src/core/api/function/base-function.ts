import type { Logger } from 'loglevel';
import type { TaskContext } from '../../../kernel/runtime/context/task-context.js';

/**
 * Base of every user function: gives it `ctx` (injected by the runtime after construction), `logger` and
 * `name`. Each parallel instance gets its own object, so fields are per-instance state.
 *
 * @example
 * ```ts
 * class Tag extends MapFunction<string, string> {
 *   execute(s: string) { this.logger.debug('tagging', s); return `${this.name}:${s}`; }
 * }
 * ```
 */
export abstract class BaseFunction {
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
}
