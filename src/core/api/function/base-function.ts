import type { Logger } from 'loglevel';
import type { Observable } from 'rxjs';
import type { TaskContext } from '../../../kernel/runtime/context/task-context.js';
import type { ServiceCallTarget } from '../../../kernel/runtime/service/service-call-target.js';
import { captureFields, restoreFields, type JsonValue } from './field-state.js';

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

  /**
   * Calls a service of the job (method `process` unless named, default timeout 10 s) and resolves with its
   * reply; rejects with ServiceCallError, ServiceTimeoutError or ServiceNotFoundError.
   *
   * @example
   * ```ts
   * class Enrich extends MapFunction<{ userId: string }, object> {
   *   async execute(data: { userId: string }) {
   *     return { ...data, profile: await this.callService('user_profile', data.userId) };
   *   }
   * }
   * ```
   */
  callService<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.ctx.callService<R>(target, ...args);
  }

  /**
   * The same as `callService`: a Promise of the reply.
   *
   * @example
   * ```ts
   * const sum = await this.callServiceAsync<number>({ service: 'calc', method: 'add', timeout: 500 }, x, 100);
   * ```
   */
  callServiceAsync<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.ctx.callServiceAsync<R>(target, ...args);
  }

  /**
   * Calls a service as a cold, cancellable Observable of its reply; the timeout runs on the job's scheduler,
   * so it works in virtual time. Returned from `execute`, it is awaited like any Observable result.
   *
   * @example
   * ```ts
   * execute(x: number) { return this.callService$<number>('calc', x); }
   * ```
   */
  callService$<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Observable<R> {
    return this.ctx.callService$<R>(target, ...args);
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
