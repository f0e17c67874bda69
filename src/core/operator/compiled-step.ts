import { isObservable } from 'rxjs';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';
import { normalizeKey } from '../../kernel/runtime/key/key-encoding.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { ArrayLoop, LoopHost } from '../../kernel/runtime/source/array-loop.js';
import type { ArrayLoopStep } from '../../kernel/runtime/source/array-loop.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { AsyncStep } from './async-step.js';

/** The operator kinds whose per-record path is compiled. */
export type CompiledKind = 'map' | 'filter' | 'flatMap' | 'sink' | 'keyBy';

/** What a step calls on the operator's own function object (its `execute`, and a flatMap's `takeCollected`). */
interface StepFunction {
  execute(value: unknown): unknown;
  takeCollected?(): readonly unknown[] | undefined;
}

/** The names each step of a compiled chain is given, suffixed with its position (our own identifiers). */
const STEP_PARAMETERS = ['rt', 'gate', 'metrics', 'instance', 'fn', 'fallback', 'out'];

/** Names shared by the whole compiled chain (helpers), after the steps' own. */
const SHARED_PARAMETERS = ['isAsync', 'normalizeKey'];

/** The identifiers of one step's template that get its position as a suffix (never after a dot). */
const STEP_NAMES =
  /(?<![.\w])(rt|gate|metrics|instance|fn|fallback|out|result|next|collected|item|extra)(?!\w)/g;

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
  if (result !== null && typeof result === 'object' && (typeof result.then === 'function' || typeof result.subscribe === 'function') && isAsync(result)) { fallback.settle(result, value); return; }
  DELIVER`;

/**
 * Synchronous delivery per kind (exactly what the kind's AsyncStep `deliver` does, inlined). `PASS(v, k)` hands
 * the record on: to the next step of the compiled chain (it goes on in the same function), or through
 * `out.next` at the chain's end. Every step hands on in tail position, so a chain runs as one function.
 */
const DELIVERY: Record<Exclude<CompiledKind, 'keyBy'>, string> = {
  map: `if (result === undefined) { metrics.filtered++; return; }
  metrics.out++;
  PASS(result, key)`,
  filter: `if (!result) { metrics.filtered++; return; }
  metrics.out++;
  PASS(value, key)`,
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
    if (typeof next !== 'string' && typeof next !== 'number' && (typeof next === 'object' ? next !== null : typeof next === 'symbol' || typeof next === 'function')) normalizeKey(next);
  } catch (e) { rt.error(e); return; }
  metrics.out++;
  PASS(value, next)`;

/** Whether a step of this kind hands its record on in tail position (so the next step can run inline). */
function fusable(kind: CompiledKind): boolean {
  return kind === 'map' || kind === 'filter' || kind === 'keyBy';
}

/** One step's segment of a compiled chain: its template with its names suffixed by `i`. */
function segment(kind: CompiledKind, i: number, last: boolean): string {
  const template = kind === 'keyBy' ? KEY_BY : CALLING.replace('DELIVER', DELIVERY[kind]);
  const named = template.replace(STEP_NAMES, (name) => `${name}_${String(i)}`);
  return named.replace(/PASS\((\w+), (\w+)\)/, (_, v: string, k: string) => {
    if (last) return `out_${String(i)}.next(${v}, ${k}, timestamp);`;
    return `${v === 'value' ? '' : `value = ${v}; `}${k === 'key' ? '' : `key = ${k};`}`;
  });
}

let serial = 0;

/**
 * Array loop factories by chain shape and user code: the kinds of the chain's steps and the source text of
 * each step's `execute`. Every instance of such a chain (each run of the same pipeline, each parallel
 * instance) creates its loop from one factory, so V8 optimizes the loop once per process, not once per job
 * (a fresh job's records no longer run unoptimized code while its own copy is compiled), while the user calls
 * inside it see only functions of the same text (they stay monomorphic in a long-lived process). The chain's
 * objects are the factory's arguments, never part of the text.
 */
const loopFactories = new Map<string, (...args: unknown[]) => unknown>();

/** Loop factories kept at most (a long-lived process may run many different pipelines). */
const MAX_LOOP_FACTORIES = 256;

/** The source text of a user function, to tell apart chains whose user code differs. */
function functionText(fn: unknown): string {
  return typeof fn === 'function' ? Function.prototype.toString.call(fn) : typeof fn;
}

/**
 * The source text of one compiled chain: the fixed templates of its steps' kinds, in order, one after the
 * other in one function, plus a serial number. It is built only from the constant strings above, the kinds
 * and integers, so no user-provided text (operator names, function sources, record values) can ever reach
 * it: user objects are passed to the generated function as parameters, never spliced into its code.
 *
 * @example
 * ```ts
 * const code = chainSource(['map', 'filter', 'sink'], 7); // "'use strict'; // compiled map filter sink chain 7 ..."
 * ```
 */
export function chainSource(kinds: readonly CompiledKind[], id: number): string {
  checkId(id);
  return `'use strict';\n// compiled ${kinds.join(' ')} chain ${String(id)}\nreturn function next(value, key, timestamp) {\n${chainBody(kinds)}\n};`;
}

/**
 * The source text of an array source's pull loop fused with one compiled chain (see {@link chainSource}): the
 * loop reads `cursor.items` from `cursor.index` up to `end`, counts the records as the source's output (each as
 * it goes with `countEachRecord`, else all when it returns) and runs
 * the chain's code inline, where a step that ends a record (a filtered record, an error, an awaited result)
 * goes on with the next one. Before each record it stops when its `host` was interrupted (an async hold,
 * downstream pressure, a queued input) or the job halted or paused; it leaves `cursor.index` past the last
 * record emitted, also when a record throws.
 *
 * @example
 * ```ts
 * const code = loopSource(['map', 'filter', 'sink'], 8); // "'use strict'; // compiled array loop … function pull(cursor, end) …"
 * ```
 */
export function loopSource(kinds: readonly CompiledKind[], id: number, countEachRecord = false): string {
  checkId(id);
  const body = chainBody(kinds, true);
  const counters = loopCounters(kinds, countEachRecord);
  const context = kinds
    .map((_, i) => {
      const n = String(i);
      return `rt_${n}.input = instance_${n}.input; rt_${n}.timestamp = undefined;${keyFixedAt(kinds, i) ? ` rt_${n}.key = undefined;` : ''}`;
    })
    .join('\n    ');
  return `'use strict';
// compiled array loop into ${kinds.join(' ')} chain ${String(id)}
return function pull(cursor, end) {
  var items = cursor.items, first = cursor.index, index = first, value, key, timestamp, ${counters.declare};
  try {
    ${context}
    records: while (index < end) {
      if (host.interrupted || gate_0.sourcesHeld) break;
      value = items[index++];
      key = undefined;${countEachRecord ? '\n      source.out++;' : ''}
${body}
    }
  } finally {
    cursor.index = index;
    ${counters.flush}
  }
};`;
}

/*
 * In an array loop a step never waits behind an awaited call (`fallback.busy`): the loop runs only while its
 * instance is ready (no hold), and a step that starts awaiting takes a hold, which interrupts the loop before
 * the next record. So the loop's steps carry no busy check. The steps of one instance share the job's gate, so
 * the loop reads it through one name (`gate_0`).
 */

/**
 * Whether the key a step of an array loop sees is the same for every record: the source's records have none
 * until a keyBy of the chain gives them one (a keyBy itself still sees the source's `undefined`).
 */
function keyFixedAt(kinds: readonly CompiledKind[], i: number): boolean {
  const keyBy = kinds.indexOf('keyBy');
  return keyBy < 0 || i <= keyBy;
}

/**
 * The loop's local counters (declared 0) and the statements that add them to the steps' and the source's
 * metrics when the loop returns. The common path counts nothing: the records read are `index - first`, a
 * record that enters a step either leaves it there (`x_<step>`: the job stopped, an error, an awaited result;
 * `c_filtered_<step>`: filtered) or is passed on, so a step's `in` is the previous step's `out` and its `out`
 * is its `in` less the records that left it; only a flatMap counts its outputs (`c_out_<step>`), as it may give
 * any number per record. Locals cost a register each (a field's increment a load and a store the loop cannot
 * hoist past a user call), so fewer live counters leave the registers to the chain. Nothing reads a chain
 * step's counters while its loop runs; the source's `out` is counted per record instead when its host reads it
 * inside a record (`countEachRecord`: a Redis stage's `ctx.recordId`). A record that throws out of the loop (an
 * engine fault: the steps catch the errors of user code) counts as passed by the steps it did not reach.
 */
function loopCounters(
  kinds: readonly CompiledKind[],
  countEachRecord: boolean,
): { declare: string; flush: string } {
  const declare: string[] = ['passed = 0'];
  const flush: string[] = ['passed = index - first;'];
  if (!countEachRecord) flush.push('source.out += passed;');
  kinds.forEach((kind, i) => {
    const n = String(i);
    declare.push(`x_${n} = 0`, `c_filtered_${n} = 0`);
    flush.push(`metrics_${n}.in += passed;`);
    if (kind === 'flatMap') {
      declare.push(`c_out_${n} = 0`);
      flush.push(`passed = c_out_${n};`);
    } else {
      flush.push(`passed -= x_${n} + c_filtered_${n};`);
    }
    flush.push(`metrics_${n}.out += passed; metrics_${n}.filtered += c_filtered_${n};`);
  });
  return { declare: declare.join(', '), flush: flush.join(' ') };
}

function checkId(id: number): void {
  if (!Number.isSafeInteger(id)) throw new RangeError(`a compiled step id is an integer, got ${String(id)}`);
}

/** Chain bodies by the kinds of their steps (the same text for every instance of a chain's shape). */
const bodies = new Map<string, string>();

/** Shapes whose body is kept (a long-lived process may see many pipelines). */
const MAX_BODIES = 256;

/**
 * The steps' segments of a chain, one after the other; `inLoop`: in an array source's loop, where a step that
 * ends a record goes on with the next one.
 */
function chainBody(kinds: readonly CompiledKind[], inLoop = false): string {
  const shape = `${inLoop ? 'loop ' : ''}${kinds.join(' ')}`;
  let body = bodies.get(shape);
  if (body === undefined) {
    body = kinds
      .map((kind, i) => {
        const code = segment(kind, i, i === kinds.length - 1);
        return `  // ${kind}${inLoop ? loopSegment(kinds, i, code) : code}`;
      })
      .join('\n');
    if (bodies.size >= MAX_BODIES) bodies.clear();
    bodies.set(shape, body);
  }
  return body;
}

/**
 * Step `i`'s segment as it runs in an array source's loop: a step that ends a record goes on with the next one,
 * counting why it ended it (see {@link loopCounters}); the step never waits behind an awaited call; the steps
 * read the job's gate through one name; the record's input and timestamp are set once per loop, and so is the
 * key of the steps up to the chain's keyBy. The first step needs no check that the job stopped: the loop checks
 * it before each record.
 */
function loopSegment(kinds: readonly CompiledKind[], i: number, code: string): string {
  const n = String(i);
  let out = code.replace(/\n\s*if \(fallback_\d+\.busy\) \{[^}]*\}/g, '');
  if (i === 0) out = out.replace(/\n\s*if \(gate_0\.stopped\) return;/, '');
  return out
    .replace(new RegExp(`\\n\\s*metrics_${n}\\.in\\+\\+;`), '')
    .replace(
      new RegExp(`\\bmetrics_${n}\\.filtered\\+\\+; return;`, 'g'),
      `c_filtered_${n}++; continue records;`,
    )
    .replace(new RegExp(`\\bmetrics_${n}\\.out\\+\\+;`, 'g'), kinds[i] === 'flatMap' ? `c_out_${n}++;` : '')
    .replace(/\breturn;/g, `{ x_${n}++; continue records; }`)
    .replace(/\bgate_\d+\.stopped\b/g, 'gate_0.stopped')
    .replace(/\n\s*rt_\d+\.(input|timestamp) = [\w.]+;/g, '')
    .replace(/\n\s*rt_(\d+)\.key = key;/g, (store, k: string) => (keyFixedAt(kinds, Number(k)) ? '' : store));
}

/**
 * The source text of one compiled step alone (a chain of one).
 *
 * @example
 * ```ts
 * const code = stepSource('map', 7);
 * ```
 */
export function stepSource(kind: CompiledKind, id: number): string {
  return chainSource([kind], id);
}

/**
 * Whether a plain object result is to be awaited (a Promise) or flattened (an Observable). The compiled code
 * calls it only for an object with a `then` or `subscribe` function (what both need): a plain record result
 * never reaches this shared function, whose property reads turn megamorphic in a long-lived process, so the
 * engine can keep such a result unallocated (escape analysis) through the chain.
 */
function isAsync(result: object): boolean {
  return isObservable(result) || isPromiseLike(result);
}

/**
 * One operator of one instance whose `next` is compiled for this instance alone, together with the compiled
 * steps after it that it hands records to in tail position (map, filter and keyBy; the chain ends at a sink,
 * a flatMap or any other step): one function per chain, whose call sites (the
 * users' `execute`, the counters, the step after the chain) see only this chain's objects, so they stay
 * monomorphic whatever other pipelines ran in the process before, and a job optimizes one function per chain
 * instead of one per step. A plain result goes on synchronously without allocation; a thrown error, a Promise
 * or an Observable goes to the operator's {@link AsyncStep}, which keeps the exact async semantics (one record
 * at a time, FIFO, the call's key recorded for `ctx`, the error policy, `finish()` and `close()` at the end of
 * input) and hands its results to the next step's own `next`.
 *
 * @example
 * ```ts
 * const step = new CompiledStep('map', rt, fn, new MapStep(rt, out, fn), out);
 * step.next(1, undefined, undefined);
 * ```
 */
export class CompiledStep implements ArrayLoopStep {
  /**
   * Handles one record (the compiled function of this step's chain, for this instance). It is compiled at its
   * first call: a chain's later steps, and the head of an array source's chain (which runs in the source's
   * loop), are then never compiled unless an async path calls them.
   */
  next: (value: unknown, key: unknown, timestamp: number | undefined) => void;
  /** The text compiled for this step's chain (from {@link chainSource}). */
  readonly source: string;
  /** The steps of this step's chain, this one first (it runs the others inline). */
  private readonly chain: readonly CompiledStep[];

  constructor(
    readonly kind: CompiledKind,
    private readonly rt: OperatorRuntime,
    private readonly fn: StepFunction,
    /**
     * The operator's uncompiled step: it takes over for thrown errors, awaited results and the end of input,
     * and (as the reference implementation) handles records the same way.
     */
    readonly fallback: Step<unknown> | AsyncStep,
    private readonly out: Step<unknown>,
  ) {
    // The steps after this one exist already (a chain is built from its end): this step's function runs them
    // inline while they hand records on in tail position. Only the chain's head's function is ever called
    // per record; V8 compiles the others' (which the async paths call) only if they run.
    const chain: CompiledStep[] = [this];
    for (let last = out; last instanceof CompiledStep && fusable((chain.at(-1) as CompiledStep).kind);) {
      chain.push(last);
      last = last.out;
    }
    this.chain = chain;
    this.source = chainSource(
      chain.map((s) => s.kind),
      ++serial,
    );
    this.next = (value, key, timestamp) => {
      const next = this.factory(this.source, [])(
        ...this.values(),
        isAsync,
        normalizeKey,
      ) as CompiledStep['next'];
      this.next = next;
      next(value, key, timestamp);
    };
  }

  /**
   * An array source's pull loop fused with this step's chain (see {@link loopSource}), for one instance: the
   * source's records then cost no call on their way into the chain.
   */
  arrayLoop(host: LoopHost, sourceMetrics: OperatorMetrics): ArrayLoop {
    const kinds = this.chain.map((s) => s.kind);
    const each = host.countsEachRecord === true;
    const key = `${each ? 'each ' : ''}${kinds.join(' ')}\n${this.chain.map((s) => functionText((s.fn as { execute?: unknown }).execute)).join('\n')}`;
    let factory = loopFactories.get(key);
    if (factory === undefined) {
      factory = this.factory(loopSource(kinds, ++serial, each), ['host', 'source']);
      if (loopFactories.size >= MAX_LOOP_FACTORIES) loopFactories.clear();
      loopFactories.set(key, factory);
    }
    return factory(...this.values(), host, sourceMetrics, isAsync, normalizeKey) as ArrayLoop;
  }

  /** The objects bound to the chain's names (see STEP_PARAMETERS), step by step. */
  private values(): unknown[] {
    return this.chain.flatMap((s) => [s.rt, s.rt.gate, s.rt.metrics, s.rt.instance, s.fn, s.fallback, s.out]);
  }

  /** Compiles `code` into a function of the chain's names, then `extra`, then the shared helpers. */
  private factory(code: string, extra: readonly string[]): (...args: unknown[]) => unknown {
    const parameters = this.chain.flatMap((_, i) => STEP_PARAMETERS.map((p) => `${p}_${String(i)}`));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function(...parameters, ...extra, ...SHARED_PARAMETERS, code) as (
      ...args: unknown[]
    ) => unknown;
  }

  complete(): void {
    this.fallback.complete();
  }
}
