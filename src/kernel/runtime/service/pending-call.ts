import type { Subscription } from 'rxjs';
import type { ResolvedRetryOptions } from './retry-options.js';
import type { ServiceBatch } from './service-batch.js';

/**
 * The caller's side of one request, held by its channel under the request's correlation id until a reply, an
 * error, a timeout, a cancel or the end of the job settles it (once). A call makes one or more attempts (with
 * retries). While an attempt runs, the call holds one of the service's concurrency slots (`running`; or is part
 * of a running `batch`), the subscription to the method's Observable if it returned one, the controller of its
 * AbortSignal if the service asked for it, and its per-attempt timer; the channel releases them as soon as the
 * attempt ends or the caller gives up.
 *
 * @example
 * ```ts
 * const call = new PendingCall(id, 'process', [2], 500, resolve, reject, deadline, performance.now());
 * ```
 */
export class PendingCall {
  /** True once the call got its answer (or gave up); later replies for its id are dropped. */
  settled = false;
  /** True while an attempt of the call runs (alone, holding a slot, or in `batch`). */
  running = false;
  /** Attempts started so far. */
  attempts = 0;
  /** How the call is retried (undefined: never). */
  retry: ResolvedRetryOptions | undefined = undefined;
  /** The batch running the call's attempt, if it runs in one. */
  batch: ServiceBatch | undefined = undefined;
  /** The subscription to the Observable the method returned, while it runs. */
  subscription: Subscription | undefined = undefined;
  /** The controller of the attempt's AbortSignal (made only when the service reads `ctx.signal`). */
  controller: AbortController | undefined = undefined;
  /** The timer of the running attempt's `perAttemptTimeoutMs`. */
  attemptTimer: Subscription | undefined = undefined;
  /** The timer of the backoff before the next attempt. */
  backoff: Subscription | undefined = undefined;

  constructor(
    readonly id: number,
    readonly method: string,
    /** The call's arguments. */
    readonly args: readonly unknown[],
    /** The call's timeout in ms, `Infinity` when it has none. */
    readonly timeout: number,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: Error) => void,
    /** Scheduler time at which the call times out (`Infinity` until its clock starts, or when it has none). */
    public deadline: number,
    /** Wall-clock start (performance.now()) for the latency metric, or -1 when the call is not sampled. */
    readonly started: number,
  ) {}
}
