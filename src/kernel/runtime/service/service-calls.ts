import type { Observable } from 'rxjs';
import type { ServiceCallTarget } from './service-call-target.js';
import type { ServiceCaller } from './service-caller.js';

/**
 * The three ways to call a service of the job, shared by every context that can call services (a function's
 * `TaskContext`, a service's `ServiceContext`). The channel of a service is looked up on the first call only.
 *
 * @example
 * ```ts
 * const six = await ctx.callService<number>('calc', 2);
 * const sum = await ctx.callServiceAsync<number>({ service: 'calc', method: 'add', timeout: 500 }, 2, 100);
 * ctx.callService$<number>('calc', 2).subscribe((v) => console.log(v));
 * ```
 */
export abstract class ServiceCalls {
  constructor(protected readonly caller: ServiceCaller) {}

  /**
   * Calls a service (method `process` unless named; default timeout 10 s) and resolves with its reply;
   * rejects with ServiceCallError, ServiceTimeoutError, ServiceNotFoundError or ServiceStoppedError.
   */
  callService<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.caller.call(target, args) as Promise<R>;
  }

  /** The same as `callService`: a Promise of the reply. */
  callServiceAsync<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Promise<R> {
    return this.caller.call(target, args) as Promise<R>;
  }

  /**
   * Calls a service as a cold, cancellable Observable that emits the reply once; its timeout runs on the
   * job's scheduler (RxJS `timeout`), so it works in virtual time; unsubscribing cancels the wait.
   */
  callService$<R = unknown>(target: ServiceCallTarget, ...args: unknown[]): Observable<R> {
    return this.caller.call$(target, args) as Observable<R>;
  }
}
