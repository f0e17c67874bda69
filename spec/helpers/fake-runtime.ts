import log from 'loglevel';
import { asyncScheduler, Subscription, type SchedulerLike } from 'rxjs';
import { JobGate } from '../../src/kernel/runtime/job-gate.js';
import { OperatorMetrics } from '../../src/kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../src/kernel/runtime/operator-runtime.js';
import type { SourceControl } from '../../src/kernel/runtime/operator-spec.js';

const silentLogger = log.getLogger('fake-source-harness');
silentLogger.setLevel('silent');

/** A recording stand-in for the runtime and the instance a source driver talks to. */
export interface FakeSourceHarness {
  readonly rt: OperatorRuntime;
  readonly control: SourceControl;
  readonly emitted: unknown[];
  readonly errors: unknown[];
  readonly gate: JobGate;
  readonly subscription: Subscription;
  /** Whether the instance accepts a record now (besides holds and the gate). */
  open: boolean;
  /** Async holds outstanding. */
  holds: number;
  ended: number;
  /** Called after every release (the real Task wakes its driver here). */
  onRelease: () => void;
}

/**
 * Builds a fake runtime + source control for unit tests of source drivers: it records what the driver emits,
 * its errors, holds and end calls, and is ready while `open`, no hold is outstanding and the gate runs.
 *
 * @example
 * ```ts
 * const h = fakeSourceHarness();
 * new IterableDriver(h.rt, h.control, [1, 2]).start();
 * expect(h.emitted).to.deep.equal([1, 2]);
 * ```
 */
export function fakeSourceHarness(scheduler: SchedulerLike = asyncScheduler): FakeSourceHarness {
  const gate = new JobGate();
  const subscription = new Subscription();
  const h: FakeSourceHarness = {
    emitted: [],
    errors: [],
    gate,
    subscription,
    open: true,
    holds: 0,
    ended: 0,
    onRelease: () => undefined,
    control: {
      ready: () => h.open && h.holds === 0 && !gate.paused && !gate.stopped,
      emit: (value) => {
        h.emitted.push(value);
      },
      end: () => {
        h.ended++;
      },
    },
    rt: {
      ctx: { scheduler, operator: 'fake', name: 'fake_0', logger: silentLogger },
      metrics: new OperatorMetrics('fake'),
      holder: { key: undefined, input: 0 },
      subscription,
      gate,
      hold: () => {
        h.holds++;
      },
      release: () => {
        h.holds--;
        h.onRelease();
      },
      error: (e: unknown) => {
        h.errors.push(e);
      },
      failJob: (e: unknown) => {
        h.errors.push(e);
      },
      onStart: () => undefined,
      onJobEnd: () => undefined,
      registerFunction: () => undefined,
      closeFunction: () => undefined,
      restored: undefined,
    } as unknown as OperatorRuntime,
  };
  return h;
}
