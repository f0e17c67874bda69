import type { Subscription } from 'rxjs';
import type { PendingCall } from './pending-call.js';

/**
 * One `processBatch` invocation of a batching service: the calls it answers, in the order of the replies. It
 * holds one concurrency slot while it runs; calls whose callers give up leave it (their reply slot is then
 * dropped), and when none is left the batch frees its slot, is unsubscribed and its AbortSignal aborted.
 *
 * @example
 * ```ts
 * const batch = new ServiceBatch([call1, call2]);
 * batch.calls.map((c) => c.args[0]); // what processBatch receives
 * ```
 */
export class ServiceBatch {
  /** True while `processBatch` runs and holds a slot. */
  running = false;
  /** Calls of the batch still waiting for their reply from it. */
  live = 0;
  /** The subscription to the Observable `processBatch` returned, while it runs. */
  subscription: Subscription | undefined = undefined;
  /** The controller of the batch's AbortSignal (made only when the service reads `ctx.signal`). */
  controller: AbortController | undefined = undefined;

  constructor(
    /** The calls gathered, in order; `processBatch` receives their first arguments. */
    public calls: PendingCall[],
  ) {}
}
