/**
 * Job-wide run state shared by every instance of one job: whether it is paused or stopped, and the work
 * deferred while it is paused (outputs of calls that were already running when the job paused).
 *
 * @example
 * ```ts
 * const gate = new JobGate();
 * gate.whenRunning(() => emit(result)); // runs now, or at resume() when paused
 * ```
 */
export class JobGate {
  paused = false;
  stopped = false;
  /**
   * True while a paused job completes a savepoint: the records already inside the job flow up to the cut
   * (sources stay paused), then the job is paused again.
   */
  draining = false;
  /** `stopped || (paused && !draining)`, kept in one field for the per-record check. */
  halted = false;
  /**
   * `stopped || paused`, kept in one field for a source's per-record check: sources emit nothing while the job
   * is paused, also while a paused job drains.
   */
  sourcesHeld = false;
  private deferred: (() => void)[] = [];

  /** Runs `work` now, or queues it (FIFO) until the job resumes; drops it once the job stopped. */
  whenRunning(work: () => void): void {
    if (this.stopped) return;
    if (this.halted) {
      this.deferred.push(work);
      return;
    }
    work();
  }

  /** Enters the paused state: work is deferred until `resume()`. */
  pause(): void {
    this.paused = true;
    this.halted = this.stopped || !this.draining;
    this.sourcesHeld = true;
  }

  /** Leaves the paused state and runs the deferred work in the order it was queued. */
  resume(): void {
    this.paused = false;
    this.halted = this.stopped;
    this.sourcesHeld = this.stopped;
    this.runDeferred();
  }

  /** Lets the records inside a paused job flow (sources stay paused) until `endDrain()`. */
  drain(): void {
    this.draining = true;
    this.halted = this.stopped;
    this.runDeferred();
  }

  /** Ends a drain: a paused job is halted again. */
  endDrain(): void {
    this.draining = false;
    this.halted = this.stopped || this.paused;
  }

  private runDeferred(): void {
    const work = this.deferred;
    this.deferred = [];
    for (const w of work) {
      if (this.halted) {
        this.deferred.push(w);
        continue;
      }
      w();
    }
  }

  /** Stops the job for good and forgets deferred work. */
  stop(): void {
    this.stopped = true;
    this.halted = true;
    this.sourcesHeld = true;
    this.deferred = [];
  }
}
