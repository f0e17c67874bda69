import type { Logger } from 'loglevel';
import type { Observable } from 'rxjs';
import type { ServiceCallTarget } from '../../../kernel/runtime/service/service-call-target.js';
import type { ServiceContext } from '../../../kernel/runtime/service/service-context.js';

/**
 * Optional base of a service class: gives it `ctx` (injected after construction, available from `setup()` on),
 * `logger`, and the same service calls functions have, so services can call other services. Any class can be
 * a service; the method called by default is `process`, and the lifecycle hooks `setup()`, `start()`,
 * `stop()` and `cleanup()` run when present (they may return Promises).
 *
 * @example
 * ```ts
 * class Answer extends BaseService {
 *   setup() { this.logger.info('ready'); }
 *   async process(question: string) {
 *     const docs = await this.callService<string[]>('retriever', question);
 *     return `${question} → ${docs.join(', ')}`;
 *   }
 * }
 * env.registerService('answer', Answer);
 * ```
 */
export abstract class BaseService {
  /** The service's context; set by the runtime after the constructor, before `setup()`. */
  ctx!: ServiceContext;

  /** The service's logger (loglevel), at the environment's level. */
  get logger(): Logger {
    return this.ctx.logger;
  }

  /**
   * Calls another service of the job and resolves with its reply (method `process` unless named, default
   * timeout 10 s).
   *
   * @example
   * ```ts
   * const six = await this.callService<number>('calc', 2);
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
   * const pending = this.callServiceAsync({ service: 'calc', method: 'add' }, 2, 100);
   * ```
   */
  callServiceAsync<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.ctx.callServiceAsync<R>(target, ...args);
  }

  /**
   * Calls another service as a cold, cancellable Observable of its reply.
   *
   * @example
   * ```ts
   * return this.callService$<number>('calc', 2).pipe(map((six) => six + 1));
   * ```
   */
  callService$<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Observable<R> {
    return this.ctx.callService$<R>(target, ...args);
  }
}
