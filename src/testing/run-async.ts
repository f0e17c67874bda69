import { VirtualTimeScheduler } from 'rxjs';
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import { animationFrameProvider } from 'rxjs/internal/scheduler/animationFrameProvider';
import { dateTimestampProvider } from 'rxjs/internal/scheduler/dateTimestampProvider';
import { immediateProvider } from 'rxjs/internal/scheduler/immediateProvider';
import { intervalProvider } from 'rxjs/internal/scheduler/intervalProvider';
import { performanceTimestampProvider } from 'rxjs/internal/scheduler/performanceTimestampProvider';
import { timeoutProvider } from 'rxjs/internal/scheduler/timeoutProvider';

/** The providers `TestScheduler.run` points at virtual time while it runs. */
const providers = [
  animationFrameProvider,
  dateTimestampProvider,
  immediateProvider,
  intervalProvider,
  performanceTimestampProvider,
  timeoutProvider,
] as { delegate: unknown }[];

/** Lets every pending microtask (and the macrotasks queued before this call) run. */
function drain(): Promise<void> {
  return new Promise((resolve) => {
    // A real macrotask on purpose: it runs after every microtask queued so far (test helper, not runtime).
    // eslint-disable-next-line no-restricted-globals
    setImmediate(resolve);
  });
}

/**
 * `TestScheduler.run`, with an async-aware flush: the callback runs in run mode as usual, then virtual time
 * advances one frame at a time, and between frames the pending microtasks are drained. A Promise settled by
 * work of frame *n* therefore delivers its result in frame *n*. The default RxJS schedulers stay patched to
 * virtual time until the run ends, and the expectations are checked at the end, as `run` does. Purely
 * synchronous tests see exactly what `run` would give them.
 *
 * @example
 * ```ts
 * await runAsync(scheduler, ({ cold, expectObservable }) => {
 *   expectObservable(cold('-a|').pipe(mergeMap((x) => Promise.resolve(x)))).toBe('-a|');
 * });
 * ```
 */
export async function runAsync<T>(
  scheduler: TestScheduler,
  callback: (helpers: RunHelpers) => T,
): Promise<T> {
  const syncFlush = (): void => {
    TestScheduler.prototype.flush.call(scheduler);
  };
  let delegates: unknown[] = [];
  // `run` flushes synchronously when the callback returns: that flush is deferred to the frame loop below.
  scheduler.flush = () => undefined;
  let result: T;
  try {
    result = scheduler.run((helpers) => {
      const value = callback({ ...helpers, flush: syncFlush });
      delegates = providers.map((p) => p.delegate);
      return value;
    });
  } finally {
    Reflect.deleteProperty(scheduler, 'flush');
  }
  providers.forEach((p, i) => {
    p.delegate = delegates[i];
  });
  const previousMaxFrames = scheduler.maxFrames;
  try {
    // What TestScheduler.flush does first; its own flush would also check the expectations before the end.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const hot = scheduler.hotObservables;
    while (hot.length > 0) hot.shift()?.setup();
    await drain();
    for (let next = scheduler.actions[0]; next !== undefined; next = scheduler.actions[0]) {
      scheduler.maxFrames = next.delay;
      VirtualTimeScheduler.prototype.flush.call(scheduler);
      await drain();
    }
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
    scheduler.flush();
  } finally {
    scheduler.maxFrames = previousMaxFrames;
    for (const p of providers) p.delegate = undefined;
  }
  return result;
}
