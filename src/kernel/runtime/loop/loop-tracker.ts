/**
 * Decides when a feedback loop is finished: when every input entering the loop from outside has ended and no
 * record is left inside it (none queued, none being processed, no async call pending). It counts records
 * instead of waiting for a quiet period, so it is exact and needs no timer.
 *
 * Records are counted when an instance of the loop receives them and uncounted when that instance has
 * finished them; outputs sent to the next instance of the loop are counted before their producer is
 * uncounted, so the count never drops to zero while a record circulates.
 *
 * @example
 * ```ts
 * const loop = new LoopTracker(outsideEnds, () => heads.forEach((h) => h.releaseLoop()));
 * loop.entered(); loop.finished();  // per record inside the loop
 * loop.outsideEnded(3);              // an outside producer ended towards 3 loop instances
 * ```
 */
export class LoopTracker {
  private inFlight = 0;
  private released = false;

  constructor(
    private outsideOpen: number,
    private readonly onQuiescent: () => void,
  ) {}

  /** A loop instance received a record. */
  entered(): void {
    this.inFlight++;
  }

  /** A loop instance finished a record (and everything it emitted has been received). */
  finished(): void {
    if (--this.inFlight === 0) this.check();
  }

  /** `count` end-of-stream signals from outside producers reached loop instances. */
  outsideEnded(count: number): void {
    this.outsideOpen -= count;
    this.check();
  }

  /** Releases the loop if it is already quiescent. */
  check(): void {
    if (this.released || this.inFlight !== 0 || this.outsideOpen > 0) return;
    this.released = true;
    this.onQuiescent();
  }

  /** True once the loop was released. */
  get done(): boolean {
    return this.released;
  }
}
