import type { RunHelpers, TestScheduler } from 'rxjs/testing';
import type { LocalEnvironmentConfig } from '../core/api/local-environment.js';
import { createTestScheduler, type FrameAssertion } from './create-test-scheduler.js';
import { runAsync } from './run-async.js';
import { TestEnvironment } from './test-environment.js';

/** What a `runMarbles` callback receives: RxJS's run helpers, the scheduler, and an environment bound to it. */
export interface MarbleHelpers extends RunHelpers {
  /** The TestScheduler running this test. */
  readonly scheduler: TestScheduler;
  /** An environment bound to `scheduler`, with a JobManager of its own. */
  readonly env: TestEnvironment;
  /** Another environment bound to `scheduler` (its jobs are stopped at the end of the run too). */
  readonly createEnvironment: (name?: string, config?: LocalEnvironmentConfig) => TestEnvironment;
}

/** Options of `runMarbles`. */
export interface RunMarblesOptions {
  /** Name of the `env` helper's environment (default `'marble'`). */
  readonly name?: string;
  /** Configuration of the `env` helper's environment (`errorPolicy`, `highWaterMark`, …). */
  readonly config?: LocalEnvironmentConfig;
  /** How recorded frames are compared with expected ones (default: `node:assert` deep strict equality). */
  readonly assertEqual?: FrameAssertion;
  /**
   * Virtual time (frames) at which jobs still running are stopped (default 60,000: one virtual minute), so that
   * an endless source cannot keep the flush looping forever.
   */
  readonly horizon?: number;
}

/** Default `horizon` of `runMarbles`: one virtual minute. */
export const DEFAULT_MARBLE_HORIZON = 60_000;

/**
 * Runs a marble test in RxJS virtual time: a fresh TestScheduler in run mode, an environment bound to it, and
 * every job still running stopped at the `horizon` (so an endless source cannot loop forever) and once the
 * callback's expectations have been flushed. Virtual time advances frame by frame and the pending microtasks
 * are drained between frames, so Promise-returning functions and service calls deliver their results in the
 * frame in which they started. Resolves with the callback's result once the expectations were checked
 * (rejects when one failed): always `await` it.
 *
 * @example
 * ```ts
 * it('doubles', async () => {
 *   await runMarbles(({ env, cold, expectObservable }) => {
 *     const out = env.fromObservable(cold('-a-b|', { a: 1, b: 2 })).map((x) => x * 2).toObservable();
 *     expectObservable(out).toBe('-a-b|', { a: 2, b: 4 });
 *   });
 * });
 * ```
 */
export async function runMarbles<T>(
  callback: (helpers: MarbleHelpers) => T,
  options: RunMarblesOptions = {},
): Promise<T> {
  const scheduler = createTestScheduler(options.assertEqual);
  const horizon = options.horizon ?? DEFAULT_MARBLE_HORIZON;
  const environments: TestEnvironment[] = [];
  const createEnvironment = (name = 'marble', config: LocalEnvironmentConfig = {}): TestEnvironment => {
    const env = new TestEnvironment(scheduler, name, config);
    environments.push(env);
    env.stopAt(horizon);
    return env;
  };
  const env = createEnvironment(options.name, options.config);
  try {
    return await runAsync(scheduler, (helpers) =>
      callback({ ...helpers, scheduler, env, createEnvironment }),
    );
  } finally {
    for (const e of environments) e.stopAll();
  }
}
