/**
 * The caller's side of one request, held by its channel under the request's correlation id until a reply, an
 * error, a timeout, a cancel or the end of the job settles it (once).
 *
 * @example
 * ```ts
 * const call = new PendingCall(id, 'process', 500, resolve, reject, deadline, performance.now());
 * ```
 */
export class PendingCall {
  /** True once the call got its answer (or gave up); later replies for its id are dropped. */
  settled = false;

  constructor(
    readonly id: number,
    readonly method: string,
    /** The call's timeout in ms, `Infinity` when it has none (or when RxJS `timeout` handles it). */
    readonly timeout: number,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: Error) => void,
    /** Scheduler time at which the call times out. */
    readonly deadline: number,
    /** Wall-clock start (performance.now()), for the latency metric. */
    readonly started: number,
  ) {}
}
