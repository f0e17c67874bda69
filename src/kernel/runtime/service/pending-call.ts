import type { Subscription } from 'rxjs';

/**
 * The caller's side of one request, held by its channel under the request's correlation id until a reply, an
 * error, a timeout, a cancel or the end of the job settles it (once). While its method runs, the call holds one
 * of the service's concurrency slots (`running`), the subscription to the method's Observable if it returned
 * one, and the controller of its AbortSignal if the service asked for it; the channel releases all three as soon
 * as the caller gives up.
 *
 * @example
 * ```ts
 * const call = new PendingCall(id, 'process', [2], 500, resolve, reject, deadline, performance.now());
 * ```
 */
export class PendingCall {
  /** True once the call got its answer (or gave up); later replies for its id are dropped. */
  settled = false;
  /** True while the call's method runs and holds a concurrency slot. */
  running = false;
  /** The subscription to the Observable the method returned, while it runs. */
  subscription: Subscription | undefined = undefined;
  /** The controller of the call's AbortSignal (made only when the service reads `ctx.signal`). */
  controller: AbortController | undefined = undefined;

  constructor(
    readonly id: number,
    readonly method: string,
    /** The call's arguments. */
    readonly args: readonly unknown[],
    /** The call's timeout in ms, `Infinity` when it has none. */
    readonly timeout: number,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: Error) => void,
    /** Scheduler time at which the call times out. */
    readonly deadline: number,
    /** Wall-clock start (performance.now()), for the latency metric. */
    readonly started: number,
  ) {}
}
