import type { Observable } from 'rxjs';
import type { ServiceCallTarget } from '../../../kernel/runtime/service/service-call-target.js';
import type { ServiceCalls } from '../../../kernel/runtime/service/service-calls.js';

/**
 * What functions and services share: calling the job's services through their context. `callService` and
 * `callServiceAsync` return a Promise of the reply; `callService$` a cold, cancellable Observable whose
 * timeout runs on the job's scheduler (so it works in virtual time).
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
export abstract class ServiceClient {
  /** The context the calls go through (the injected `ctx`). */
  protected abstract serviceCalls(): ServiceCalls;

  /**
   * Calls a service of the job (method `process` unless named; default timeout 10 s) and resolves with its reply.
   *
   * @example
   * ```ts
   * const six = await this.callService<number>('calc', 2);
   * const sum = await this.callService<number>({ service: 'calc', method: 'add', timeout: 500 }, 2, 100);
   * ```
   */
  callService<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.serviceCalls().callService<R>(target, ...args);
  }

  /**
   * The same as `callService`: a Promise of the reply.
   *
   * @example
   * ```ts
   * const pending = this.callServiceAsync<number>('calc', 2);
   * ```
   */
  callServiceAsync<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.serviceCalls().callServiceAsync<R>(target, ...args);
  }

  /**
   * Calls a service as a cold, cancellable Observable of its reply.
   *
   * @example
   * ```ts
   * execute(x: number) { return this.callService$<number>('calc', x); }
   * ```
   */
  callService$<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Observable<R> {
    return this.serviceCalls().callService$<R>(target, ...args);
  }
}
