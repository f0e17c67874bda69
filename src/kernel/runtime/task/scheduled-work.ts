import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/**
 * One piece of work that is run later on the job's scheduler, requested as often as needed but pending at most
 * once. It reuses one scheduler action (as RxJS's own `interval` does) instead of creating one per request,
 * and its action belongs to the job's subscription, so stopping the job cancels it.
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

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly owner: Subscription,
    private readonly work: () => void,
  ) {}

  /** Runs the work once after `delay` ms, unless a run is already pending. */
  request(delay = 0): void {
    if (this.pending || this.owner.closed) return;
    this.pending = true;
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
}
