import { isObservable } from 'rxjs';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';
import { normalizeKey } from '../../kernel/runtime/key/key-encoding.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { AsyncStep } from './async-step.js';

/** The operator kinds whose per-record path is compiled. */
export type CompiledKind = 'map' | 'filter' | 'flatMap' | 'sink' | 'keyBy';

/** What a step calls on the operator's own function object (its `execute`, and a flatMap's `takeCollected`). */
interface StepFunction {
  execute(value: unknown): unknown;
  takeCollected?(): readonly unknown[] | undefined;
}

/** The names the generated code is given, in order (our own identifiers, never user text). */
const PARAMETERS = ['rt', 'gate', 'metrics', 'instance', 'fn', 'fallback', 'out', 'isAsync', 'normalizeKey'];

/**
 * Body shared by the steps that may await: counts the record in, drops it once the job stopped, queues it
 * behind an awaited call (the AsyncStep machinery owns that queue), records the key of the call, calls the
 * user's function and hands a thrown error, a Promise or an Observable to the AsyncStep. `DELIVER` is the
 * kind's synchronous delivery of a plain result.
 */
const CALLING = `
  metrics.in++;
  if (gate.stopped) return;
  if (fallback.busy) { fallback.wait(value, key, instance.input, timestamp); return; }
  rt.key = key;
  rt.input = instance.input;
  rt.timestamp = timestamp;
  var result;
  try { result = fn.execute(value); } catch (e) { fallback.failed(e); return; }
  if (result !== null && typeof result === 'object' && isAsync(result)) { fallback.settle(result, value); return; }
  DELIVER`;

/** Synchronous delivery per kind (exactly what the kind's AsyncStep `deliver` does, inlined). */
const DELIVERY: Record<Exclude<CompiledKind, 'keyBy'>, string> = {
  map: `if (result === undefined) { metrics.filtered++; return; }
  metrics.out++;
  out.next(result, key, timestamp);`,
  filter: `if (result) { metrics.out++; out.next(value, key, timestamp); } else metrics.filtered++;`,
  sink: `metrics.out++;`,
  flatMap: `if (!Array.isArray(result)) { fallback.deliver(result); return; }
  try { for (var item of result) { metrics.out++; out.next(item, key, timestamp); } } catch (e) { fallback.failed(e); return; }
  var collected = fn.takeCollected === undefined ? undefined : fn.takeCollected();
  if (collected !== undefined) for (var extra of collected) { metrics.out++; out.next(extra, key, timestamp); }`,
};

/** keyBy never awaits: it computes the key, checks it can be encoded, and passes the record on with it. */
const KEY_BY = `
  metrics.in++;
  if (gate.stopped) return;
  rt.key = key;
  rt.timestamp = timestamp;
  var next;
  try {
    next = fn.execute(value);
    if (typeof next === 'object' ? next !== null : typeof next === 'symbol' || typeof next === 'function') normalizeKey(next);
  } catch (e) { rt.error(e); return; }
  metrics.out++;
  out.next(value, next, timestamp);`;

let serial = 0;

/**
 * The source text of one compiled step: a fixed template per kind plus a serial number. It is built only
 * from the constant strings above and an integer, so no user-provided text (operator names, function
 * sources, record values) can ever reach it: user objects are passed to the generated function as
 * parameters, never spliced into its code.
 *
 * @example
 * ```ts
 * const code = stepSource('map', 7); // "'use strict'; // compiled map step 7 ..."
 * ```
 */
export function stepSource(kind: CompiledKind, id: number): string {
  if (!Number.isSafeInteger(id)) throw new RangeError(`a compiled step id is an integer, got ${String(id)}`);
  const body = kind === 'keyBy' ? KEY_BY : CALLING.replace('DELIVER', DELIVERY[kind]);
  return `'use strict';\n// compiled ${kind} step ${id}\nreturn function next(value, key, timestamp) {${body}\n};`;
}

/** Whether a plain object result is to be awaited (a Promise) or flattened (an Observable). */
function isAsync(result: object): boolean {
  return isObservable(result) || isPromiseLike(result);
}

/**
 * One operator of one instance whose `next` is compiled for this instance alone: its call sites (the user's
 * `execute`, the next step's `next`, the counters) see only this chain's objects, so they stay monomorphic
 * (and the engine can inline the chain) whatever other pipelines ran in the process before. A plain result
 * goes on synchronously without allocation; a thrown error, a Promise or an Observable goes to the
 * operator's {@link AsyncStep}, which keeps the exact async semantics (one record at a time, FIFO, the call's
 * key recorded for `ctx`, the error policy, `finish()` and `close()` at the end of input).
 *
 * @example
 * ```ts
 * const step = new CompiledStep('map', rt, fn, new MapStep(rt, out, fn), out);
 * step.next(1, undefined, undefined);
 * ```
 */
export class CompiledStep implements Step<unknown> {
  /** Handles one record (the compiled function of this instance). */
  readonly next: (value: unknown, key: unknown, timestamp: number | undefined) => void;
  /** The text compiled for this instance (from {@link stepSource}). */
  readonly source: string;

  constructor(
    kind: CompiledKind,
    rt: OperatorRuntime,
    fn: StepFunction,
    /**
     * The operator's uncompiled step: it takes over for thrown errors, awaited results and the end of input,
     * and (as the reference implementation) handles records the same way.
     */
    readonly fallback: Step<unknown> | AsyncStep,
    out: Step<unknown>,
  ) {
    // Each instance compiles its own copy (the serial makes the text unique, so V8 does not share one
    // function, and its type feedback, between instances). The text comes from our templates only.
    this.source = stepSource(kind, ++serial);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function(...PARAMETERS, this.source) as (
      ...args: unknown[]
    ) => (value: unknown, key: unknown, timestamp: number | undefined) => void;
    this.next = factory(rt, rt.gate, rt.metrics, rt.instance, fn, fallback, out, isAsync, normalizeKey);
  }

  complete(): void {
    this.fallback.complete();
  }
}
