import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * One piece of work that is run later on the job's scheduler, requested as often as needed but pending at most
 * once. It reuses one scheduler action (as RxJS's own `interval` does) instead of creating one per request,
 * and its action belongs to the job's subscription, so stopping the job cancels it. On the real
 * `asyncScheduler` a run without delay is a `setImmediate` (a yield to the event loop costs about a
 * microsecond, where the scheduler's `setInterval(0)` waits a millisecond); on any other scheduler (a
 * TestScheduler, virtual time) it goes through the scheduler as every other run.
 *
 * @example
 * ```ts
 * const poll = new ScheduledWork(scheduler, jobSubscription, () => source.pump());
 * poll.request(10); // pump again in 10 ms (virtual ms under TestScheduler.run)
 * ```
 */
export class ScheduledWork {
  private action: SchedulerAction<undefined> | undefined;
  private pending = false;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private cancelsImmediate = false;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly owner: Subscription,
    private readonly work: () => void,
  ) {}

  /** Runs the work once after `delay` ms, unless a run is already pending. */
  request(delay = 0): void {
    if (this.pending || this.owner.closed) return;
    this.pending = true;
    if (delay === 0 && this.scheduler === asyncScheduler) {
      this.immediately();
      return;
    }
    if (this.action !== undefined) {
      this.action.schedule(undefined, delay);
      return;
    }
    const run = (action: SchedulerAction<undefined>): void => {
      this.action = action;
      this.pending = false;
      this.work();
    };
    const sub = this.scheduler.schedule(function (this: SchedulerAction<undefined>) {
      run(this);
    }, delay);
    this.owner.add(sub);
  }

  /** Runs the work on the next turn of the event loop (the job's subscription cancels it). */
  private immediately(): void {
    if (!this.cancelsImmediate) {
      this.cancelsImmediate = true;
      this.owner.add(() => {
        if (this.immediate !== undefined) clearImmediate(this.immediate);
        this.immediate = undefined;
      });
    }
    // The job's scheduler is the real asyncScheduler here: time is not virtual, so the event loop is the clock.
    // eslint-disable-next-line no-restricted-globals
    this.immediate = setImmediate(this.runImmediate);
  }

  private readonly runImmediate = (): void => {
    this.immediate = undefined;
    this.pending = false;
    if (this.owner.closed) return;
    this.work();
  };
}
