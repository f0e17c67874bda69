/**
 * Gauges of one running instance that its metrics read when asked (never on the per-record path): the queue
 * it has now and the time it has spent pressed by a full downstream queue.
 *
 * @example
 * ```ts
 * const probe = metrics.probe;
 * if (probe !== undefined) console.log(probe.queued, probe.pressedMs(), probe.now());
 * ```
 */
export interface InstanceProbe {
  /** Records waiting in the instance's input queue now. */
  readonly queued: number;
  /** Time the instance has spent pressed so far, in ms of the job's scheduler (the current press included). */
  pressedMs(): number;
  /** The job scheduler's time now, in ms: the clock `pressedMs` counts in. */
  now(): number;
}
