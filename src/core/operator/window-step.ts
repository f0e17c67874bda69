import type { Subscription } from 'rxjs';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import { normalizeKey, type NormalizedKey } from '../../kernel/runtime/key/key-encoding.js';
import { decodeJson } from '../../kernel/runtime/state/json-codec.js';
import type { Step } from '../../kernel/runtime/step.js';
import { ProcessWindowFunction } from '../api/window/process-window-function.js';
import type { Window } from '../api/window/window.js';
import type { ProcessWindowFunctionClass } from '../api/window/windowed-stream-spec.js';
import type { WindowClocks, WindowHost } from '../window/window-host.js';
import type { WindowSlotSnapshot } from '../window/window-operator-snapshot.js';
import { WindowOperator } from '../window/window-operator.js';
import type { WindowTransformation } from '../transformation/window-transformation.js';
import { closeThenComplete } from './close-then-complete.js';
import { AsyncWindowResultError } from '../../errors/async-window-result-error.js';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';

/** Keyed state name of a key's open windows (a name no user state can take: it starts with a NUL character). */
const WINDOWS_STATE = '\u0000windows';

/** A side output's tag, as the spec holds it. */
interface TagLike {
  readonly id: string;
}

/**
 * One instance of a windowed step: a `WindowOperator` driven by the instance's watermark and the job
 * scheduler's time. Records go straight into the engine (nothing is allocated per record beyond what the
 * engine needs); results carry their window's `end - 1`, late records go to the late side output. The open
 * windows and their timers live in the engine and are written into keyed state (one value per key, by key
 * group) when a snapshot is taken, so checkpoints and savepoints hold them and a restore at another
 * parallelism hands each instance the keys (windows and timers) it owns.
 */
class WindowStep implements Step<unknown>, WindowHost<unknown> {
  readonly clocks: WindowClocks;
  private readonly engine: WindowOperator<unknown, unknown, unknown>;
  private readonly eventTime: boolean;
  private readonly lateTag: string | undefined;
  /**
   * The engine's windows are found by key in a `Map`, which compares objects by identity: a structured key (an
   * array, a Date, a plain object) goes in as its normalized form (the one keyed state uses), and its value as
   * given is kept here while it has open windows, for keyed state and snapshots. Primitives go in as they are
   * (a `Map` already treats NaN as NaN and -0 as 0, as the key encoding does).
   */
  private readonly originals = new Map<NormalizedKey, unknown>();
  /** The keys whose windows the last snapshot wrote into keyed state (engine key → key as given). */
  private written = new Map<unknown, unknown>();
  /** The pending scheduler action for the earliest processing-time timer, and its time. */
  private wakeUp: Subscription | undefined;
  private wakeUpTime = Number.POSITIVE_INFINITY;
  /** The engine key of the last timer fired (to let a structured key go once its windows closed). */
  private firedKey: unknown = undefined;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly out: Step<unknown>,
    t: WindowTransformation,
  ) {
    const spec = t.spec;
    this.eventTime = spec.assigner.isEventTime();
    const tag = spec.lateTag as TagLike | undefined;
    this.lateTag = tag !== undefined && t.sideOutputs.has(tag.id) ? tag.id : undefined;
    // Before the engine, which reads its host's clocks when it is built.
    this.clocks = {
      currentWatermark: () => rt.watermark,
      currentProcessingTime: () => rt.ctx.scheduler.now(),
    };
    this.engine = new WindowOperator(spec, this, {
      instantiate: <IN, OUT, K, W extends Window>(
        given: ProcessWindowFunctionClass<IN, OUT, K, W> | ProcessWindowFunction<IN, OUT, K, W>,
      ) => {
        // A class is built per instance; an object shared by the instances is seen through an instance view of
        // its own (its fields read through, writes and ctx stay per instance), so each gets its own ctx.
        const fn =
          given instanceof ProcessWindowFunction
            ? (Object.create(given) as ProcessWindowFunction<IN, OUT, K, W>)
            : new (given as new () => ProcessWindowFunction<IN, OUT, K, W>)();
        fn.ctx = rt.ctx;
        return fn;
      },
      keyOf: (key) => this.originalKey(key),
    });
    rt.registerFunction(this);
    rt.watermarkHandler = (watermark) => {
      this.advance(watermark, true);
      return true;
    };
    this.restoreWindows();
  }

  next(value: unknown, key: unknown, timestamp: number | undefined): void {
    const rt = this.rt;
    rt.metrics.in++;
    rt.key = key;
    rt.timestamp = timestamp;
    const time = timestamp ?? (this.eventTime ? Number.NEGATIVE_INFINITY : rt.ctx.scheduler.now());
    try {
      this.engine.processElement(this.engineKey(key), value, time);
    } catch (e) {
      rt.error(e);
    }
  }

  /** The key the engine files `key`'s windows under (see {@link originals}). */
  private engineKey(key: unknown): unknown {
    if (typeof key !== 'object' || key === null) return key;
    const n = normalizeKey(key);
    if (!this.originals.has(n)) this.originals.set(n, key);
    return n;
  }

  /** The key as given of an engine key. */
  private originalKey(engineKey: unknown): unknown {
    return typeof engineKey === 'string' && this.originals.has(engineKey)
      ? this.originals.get(engineKey)
      : engineKey;
  }

  complete(): void {
    closeThenComplete(this.rt, this.out);
  }

  emit(value: unknown, timestamp: number): void {
    if (isPromiseLike(value)) {
      value.then(undefined, () => undefined);
      this.rt.error(new AsyncWindowResultError(this.rt.ctx.operator));
      return;
    }
    this.rt.metrics.out++;
    this.out.next(value, this.rt.key, timestamp);
  }

  emitLate(value: unknown, timestamp: number): void {
    const tag = this.lateTag;
    if (tag === undefined) return;
    this.rt.metrics.out++;
    this.rt.emitSide(tag, value, this.rt.key, timestamp);
  }

  enterKey(key: unknown, time: number): void {
    this.release();
    this.firedKey = key;
    const rt = this.rt;
    rt.key = this.originalKey(key);
    rt.timestamp = time;
    rt.input = 0;
  }

  wakeUpAt(time: number): void {
    if (time >= this.wakeUpTime) return;
    this.wakeUp?.unsubscribe();
    const rt = this.rt;
    const scheduler = rt.ctx.scheduler;
    this.wakeUpTime = time;
    const action = scheduler.schedule(
      () => {
        rt.subscription.remove(action);
        this.wakeUp = undefined;
        this.wakeUpTime = Number.POSITIVE_INFINITY;
        rt.runBetweenRecords(() => {
          this.advance(scheduler.now(), false);
        });
      },
      Math.max(0, time - scheduler.now()),
    );
    this.wakeUp = action;
    rt.subscription.add(action);
  }

  halted(): boolean {
    return this.rt.gate.stopped;
  }

  /** Fires the engine's timers due at `time` (a watermark, or the scheduler's time); a failing timer is reported and the rest fire. */
  private advance(time: number, event: boolean): void {
    for (;;) {
      try {
        if (event) this.engine.advanceWatermark(time);
        else this.engine.advanceProcessingTime(time);
        break;
      } catch (e) {
        this.rt.error(e);
      }
    }
    this.release();
  }

  /** A structured key whose last window closed is let go (unless the last snapshot still lists it). */
  private release(): void {
    const key = this.firedKey;
    this.firedKey = undefined;
    if (
      typeof key === 'string' &&
      this.originals.has(key) &&
      !this.engine.hasKey(key) &&
      !this.written.has(key)
    )
      this.originals.delete(key);
  }

  /**
   * Called by the runtime just before it copies the keyed state: writes each key's open windows into it (and
   * clears the keys whose windows closed since the last snapshot). The step has no other state of its own.
   */
  snapshotState(): undefined {
    const rt = this.rt;
    const saved = rt.key;
    const state = rt.ctx.state;
    const now = new Map<unknown, unknown>();
    for (const key of this.engine.openKeys()) {
      const original = this.originalKey(key);
      rt.key = original;
      state.value<readonly WindowSlotSnapshot[] | undefined>(WINDOWS_STATE).set(this.engine.snapshotKey(key));
      now.set(key, original);
    }
    for (const [key, original] of this.written) {
      if (now.has(key)) continue;
      rt.key = original;
      state.value<readonly WindowSlotSnapshot[] | undefined>(WINDOWS_STATE).set(undefined);
      if (!this.engine.hasKey(key)) this.originals.delete(key as NormalizedKey);
    }
    this.written = now;
    rt.key = saved;
    return undefined;
  }

  restoreState(): void {
    // Nothing: the windows come back from keyed state (restoreWindows).
  }

  /** A restored instance: the open windows of its key groups go back into the engine, with their timers. */
  private restoreWindows(): void {
    const groups = this.rt.restored?.keyed;
    if (groups === undefined) return;
    for (const states of Object.values(groups)) {
      const column = states[WINDOWS_STATE];
      if (column === undefined) continue;
      const { keys, values } = column;
      for (let i = 0; i < keys.length; i++) {
        const key = decodeJson(keys[i]);
        const engineKey = this.engineKey(key);
        this.engine.restoreKey(engineKey, decodeJson(values[i]) as WindowSlotSnapshot[]);
        this.written.set(engineKey, key);
      }
    }
  }
}

/**
 * Lowers a windowed step: one {@link WindowStep} per instance, keyed (window contents and timers are keyed
 * state, in checkpoints by key group).
 *
 * @example
 * ```ts
 * const spec = lowerWindow(new WindowTransformation(init, windowSpec));
 * ```
 */
export function lowerWindow(t: WindowTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: true,
    create: (rt, out) => new WindowStep(rt, out, t),
  };
}
