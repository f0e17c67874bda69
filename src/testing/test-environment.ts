import type { SchedulerLike, Subscription } from 'rxjs';
import { LocalEnvironment, type LocalEnvironmentConfig } from '../core/api/local-environment.js';
import { JobManager } from '../kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../kernel/jobmanager/job-status.js';
import { JobStateError } from '../errors/job-state-error.js';

/**
 * A local environment bound to a scheduler (a `TestScheduler` in marble tests): every timing of its jobs runs
 * on that scheduler, its jobs go to a JobManager of its own (tests never share jobs), and lifecycle calls can be
 * scheduled at a virtual time (`pauseAt`, `continueAt`, `stopAt`, `at`).
 *
 * @example
 * ```ts
 * const scheduler = createTestScheduler();
 * scheduler.run(({ hot, expectObservable }) => {
 *   const env = new TestEnvironment(scheduler);
 *   const out = env.fromObservable(hot('-a-b-c-|')).map((x) => x.toUpperCase()).toObservable();
 *   env.pauseAt(2);
 *   env.continueAt(6);
 *   expectObservable(out).toBe('-A----(BC)|');
 * });
 * ```
 */
export class TestEnvironment extends LocalEnvironment {
  constructor(
    /** The scheduler every timing of this environment's jobs runs on. */
    readonly scheduler: SchedulerLike,
    name = 'test',
    config: LocalEnvironmentConfig = {},
  ) {
    super(name, { ...config, scheduler, jobManager: config.jobManager ?? new JobManager() });
  }

  /**
   * Runs `action` on the scheduler at the absolute time `time` (a frame number under `TestScheduler.run`), or
   * at once when that time has passed.
   *
   * @example
   * ```ts
   * env.at(5, () => { queue.push('late'); });
   * ```
   */
  at(time: number, action: () => void): Subscription {
    return this.scheduler.schedule(action, Math.max(0, time - this.scheduler.now()));
  }

  /**
   * Pauses, at time `time`, every job of this environment still running then.
   *
   * @example
   * ```ts
   * env.pauseAt(4);
   * env.continueAt(9);
   * ```
   */
  pauseAt(time: number): Subscription {
    return this.at(time, () => {
      for (const uuid of this.liveJobIds()) this.jobManager.pauseJob(uuid);
    });
  }

  /**
   * Continues, at time `time`, every paused job of this environment.
   *
   * @example
   * ```ts
   * env.continueAt(9);
   * ```
   */
  continueAt(time: number): Subscription {
    return this.at(time, () => {
      for (const uuid of this.liveJobIds()) this.jobManager.continueJob(uuid);
    });
  }

  /**
   * Stops, at time `time`, every job of this environment that has not ended (use it to end unbounded sources).
   *
   * @example
   * ```ts
   * env.fromSource(() => undefined, { delay: 5 }).sink(collector);
   * env.stopAt(20);
   * ```
   */
  stopAt(time: number): Subscription {
    return this.at(time, () => {
      this.stopAll();
    });
  }

  /**
   * Stops every job of this environment that has not ended; tests call it in teardown.
   *
   * @example
   * ```ts
   * afterEach(() => { env.stopAll(); });
   * ```
   */
  stopAll(): void {
    for (const uuid of this.liveJobIds()) this.jobManager.stopJob(uuid);
  }

  /**
   * The status of every job this environment started (by `submit` or by subscribing to `toObservable()`), oldest
   * first.
   *
   * @example
   * ```ts
   * expect(env.jobs().map((j) => j.status)).to.deep.equal(['completed']);
   * ```
   */
  jobs(): JobStatus[] {
    return this.jobManager.listJobs().filter((job) => job.name === this.name);
  }

  /**
   * The status of the most recent job of this environment; throws when it has started none.
   *
   * @example
   * ```ts
   * expect(env.lastJob().operators.find((o) => o.operator === 'map')?.errors).to.equal(1);
   * ```
   */
  lastJob(): JobStatus {
    const all = this.jobs();
    const last = all[all.length - 1];
    if (last === undefined) {
      throw new JobStateError(
        `TestEnvironment ${this.name} has started no job yet: submit it or subscribe to toObservable()`,
      );
    }
    return last;
  }

  private liveJobIds(): string[] {
    return this.jobs()
      .filter((job) => job.status === 'running' || job.status === 'paused' || job.status === 'initializing')
      .map((job) => job.uuid);
  }
}
