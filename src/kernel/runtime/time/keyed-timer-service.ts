import type { Subscription } from 'rxjs';
import { InvalidDurationError } from '../../../errors/invalid-duration-error.js';
import { UnkeyedTimerError } from '../../../errors/unkeyed-timer-error.js';
import type { OperatorRuntime } from '../operator-runtime.js';
import { decodeJson } from '../state/json-codec.js';
import type { ValueState } from '../state/value-state.js';
import { TimerHeap } from './timer-heap.js';

/** The two clocks a timer can be set on. */
export type TimeDomain = 'event' | 'processing';

/** Keyed state names of the timers (a name no user state can take: it starts with a NUL character). */
const STATE_NAME: Readonly<Record<TimeDomain, string>> = {
  event: '\u0000timers/event',
  processing: '\u0000timers/processing',
};

/** What the service calls when a timer fires, and whether its operator can take one now. */
export interface TimerTarget {
  /** A timer fired: `rt.key` is already the timer's key. */
  onTimer(time: number, domain: TimeDomain): void;
  /** True while the operator awaits a result: firing stops until it settled. */
  busy(): boolean;
}

/**
 * The timers of one operator instance (Flink's `InternalTimerService`): event-time timers fire when the
 * watermark reaching the operator passes them, processing-time timers when the job scheduler's time reaches
 * them. Timers are keyed state: each key's timer times are kept in the operator's keyed state (so they are in
 * checkpoints and savepoints and move with their key group on restore), deduplicated per key and time, and
 * indexed in one heap per clock; a restored instance rebuilds its heaps from the key groups it owns.
 *
 * @example
 * ```ts
 * const timers = new KeyedTimerService(rt, true, { onTimer: (t) => fn.onTimer(t), busy: () => false });
 * timers.registerEventTimeTimer(1_000); // for rt.key
 * ```
 */
export class KeyedTimerService {
  private readonly heaps: Record<TimeDomain, TimerHeap> = {
    event: new TimerHeap(),
    processing: new TimerHeap(),
  };
  /** The pending scheduler action for the earliest processing-time timer, and its time. */
  private wakeUp: Subscription | undefined;
  private wakeUpAt = Infinity;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly keyed: boolean,
    private readonly target: TimerTarget,
  ) {
    if (keyed) {
      rt.watermarkHandler = (watermark) => {
        this.fire('event', watermark);
        return true;
      };
      this.restore();
    }
  }

  /** The job scheduler's time now, in ms. */
  currentProcessingTime(): number {
    return this.rt.ctx.scheduler.now();
  }

  /** The last watermark that reached the operator (`-Infinity` before the first). */
  currentWatermark(): number {
    return this.rt.watermark;
  }

  /** Calls `onTimer(time)` for the current key once the watermark reached `time` (once per key and time). */
  registerEventTimeTimer(time: number): void {
    this.register('event', time, 'registerEventTimeTimer');
  }

  /** Calls `onTimer(time)` for the current key once the scheduler's time reached `time`. */
  registerProcessingTimeTimer(time: number): void {
    this.register('processing', time, 'registerProcessingTimeTimer');
    this.schedule();
  }

  /** Forgets the current key's event-time timer at `time` (nothing happens when there is none). */
  deleteEventTimeTimer(time: number): void {
    this.remove('event', time, 'deleteEventTimeTimer');
  }

  /** Forgets the current key's processing-time timer at `time`. */
  deleteProcessingTimeTimer(time: number): void {
    this.remove('processing', time, 'deleteProcessingTimeTimer');
  }

  private state(domain: TimeDomain): ValueState<readonly number[] | undefined> {
    return this.rt.ctx.state.value<readonly number[] | undefined>(STATE_NAME[domain]);
  }

  private check(time: unknown, where: string): number {
    if (!this.keyed) {
      throw new UnkeyedTimerError(
        `${this.rt.ctx.name}: ${where} needs a keyed stream (timers are keyed state): call keyBy(...) ` +
          'before process(...) and extend KeyedProcessFunction',
      );
    }
    if (typeof time !== 'number' || Number.isNaN(time)) {
      throw new InvalidDurationError(`${this.rt.ctx.name}: ${where}`, time, 'a time in ms (a number)');
    }
    return time;
  }

  private register(domain: TimeDomain, given: number, where: string): void {
    const time = this.check(given, where);
    const state = this.state(domain);
    const times = state.get() ?? [];
    if (times.includes(time)) return;
    state.set([...times, time]);
    this.heaps[domain].push({ time, key: this.rt.key });
  }

  private remove(domain: TimeDomain, given: number, where: string): void {
    const time = this.check(given, where);
    const state = this.state(domain);
    const times = state.get();
    if (times?.includes(time) !== true) return;
    state.set(times.length === 1 ? undefined : times.filter((t) => t !== time));
  }

  /** Fires the timers of `domain` due at `upTo`, in time order, each in its key's context. */
  private fire(domain: TimeDomain, upTo: number): void {
    const heap = this.heaps[domain];
    const rt = this.rt;
    for (;;) {
      const next = heap.peek();
      if (next === undefined || next.time > upTo || this.target.busy() || rt.gate.stopped) return;
      heap.pop();
      rt.key = next.key;
      const state = this.state(domain);
      const times = state.get();
      if (times?.includes(next.time) !== true) continue;
      state.set(times.length === 1 ? undefined : times.filter((t) => t !== next.time));
      this.target.onTimer(next.time, domain);
    }
  }

  /** Keeps one scheduler action pending for the earliest processing-time timer. */
  private schedule(): void {
    const next = this.heaps.processing.peek();
    if (next === undefined || next.time >= this.wakeUpAt) return;
    this.wakeUp?.unsubscribe();
    const rt = this.rt;
    const scheduler = rt.ctx.scheduler;
    this.wakeUpAt = next.time;
    const action = scheduler.schedule(
      () => {
        rt.subscription.remove(action);
        this.wakeUp = undefined;
        this.wakeUpAt = Infinity;
        rt.runBetweenRecords(() => {
          this.fire('processing', scheduler.now());
          this.schedule();
        });
      },
      Math.max(0, next.time - scheduler.now()),
    );
    this.wakeUp = action;
    rt.subscription.add(action);
  }

  /** A restored instance: its key groups' timers go back into the heaps (overdue processing timers fire soon). */
  private restore(): void {
    const groups = this.rt.restored?.keyed;
    if (groups === undefined) return;
    for (const states of Object.values(groups)) {
      for (const domain of ['event', 'processing'] as const) {
        const column = states[STATE_NAME[domain]];
        if (column === undefined) continue;
        const { keys, values } = column;
        for (let i = 0; i < keys.length; i++) {
          const key = decodeJson(keys[i]);
          for (const time of decodeJson(values[i]) as number[]) this.heaps[domain].push({ time, key });
        }
      }
    }
    this.schedule();
  }
}
