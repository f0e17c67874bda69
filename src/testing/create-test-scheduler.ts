import { deepStrictEqual } from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';

/** How a TestScheduler compares the frames it recorded with the frames a test expected. */
export type FrameAssertion = (actual: unknown, expected: unknown) => void;

/**
 * A TestScheduler whose assertions are deep, strict equality (`node:assert`), so it works with any test
 * runner; pass your own assertion (chai's `expect(a).to.deep.equal(b)`, jest's `toEqual`) to get its diffs.
 *
 * @example
 * ```ts
 * const scheduler = createTestScheduler();
 * scheduler.run(({ cold, expectObservable }) => {
 *   const env = new TestEnvironment(scheduler);
 *   expectObservable(env.fromObservable(cold('-a|')).toObservable()).toBe('-a|');
 * });
 * ```
 */
export function createTestScheduler(assertEqual: FrameAssertion = deepStrictEqual): TestScheduler {
  return new TestScheduler((actual, expected) => {
    assertEqual(actual, expected);
  });
}
