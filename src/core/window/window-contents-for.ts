import type { AggregateFunction } from '../../kernel/runtime/state/aggregate-function.js';
import type { Evictor } from '../api/window/evictor.js';
import { ProcessWindowFunction } from '../api/window/process-window-function.js';
import type { Window } from '../api/window/window.js';
import type { ProcessWindowFn, ReduceFunction, WindowFunction } from '../api/window/window-function.js';
import type { ProcessWindowFunctionClass, WindowFunctionSpec } from '../api/window/windowed-stream-spec.js';
import { AccumulatingContents } from './accumulating-contents.js';
import type { Accumulator } from './accumulator.js';
import type { AllRecordsFunction } from './all-records-function.js';
import { BufferingContents } from './buffering-contents.js';
import { EvictingContents } from './evicting-contents.js';
import type { WindowContents } from './window-contents.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';

/**
 * The object of a `ProcessWindowFunction` one instance runs, from the class or the object the spec holds (the
 * runtime builds a class with the step's `args` and gives an object an instance view of its own; both get `ctx`).
 */
export type InstantiateProcessFunction = <IN, OUT, K, W extends Window>(
  fn: ProcessWindowFunctionClass<IN, OUT, K, W> | ProcessWindowFunction<IN, OUT, K, W>,
) => ProcessWindowFunction<IN, OUT, K, W>;

const construct: InstantiateProcessFunction = (fn) =>
  fn instanceof ProcessWindowFunction
    ? fn
    : new (fn as new () => ProcessWindowFunction<never, never, never, never>)();

/**
 * The contents a window keeps for a window function: an accumulator for `reduce` / `aggregate`, the records
 * for `process`, timestamped records when there is an evictor.
 *
 * @example
 * ```ts
 * const contents = windowContentsFor({ kind: 'reduce', reduce: (a, b) => a + b }, undefined);
 * ```
 */
export function windowContentsFor<K, IN, OUT, W extends Window>(
  fn: WindowFunctionSpec<IN, OUT, K, W>,
  evictor: Evictor<IN, W> | undefined,
  instantiate: InstantiateProcessFunction = construct,
): WindowContents<K, IN, OUT> {
  if (evictor !== undefined) {
    return new EvictingContents<K, IN, OUT>(evictor, allRecords(fn, instantiate));
  }
  switch (fn.kind) {
    case 'reduce':
      return new AccumulatingContents(
        reduceAccumulator(fn.reduce),
        fn.windowFn as WindowFunction<IN, OUT, K>,
      );
    case 'aggregate':
      return new AccumulatingContents(
        aggregateAccumulator(fn.aggregate),
        fn.windowFn as WindowFunction<unknown, OUT, K> | undefined,
      );
    case 'process':
      return new BufferingContents(allRecords(fn, instantiate));
  }
}

function reduceAccumulator<IN>(reduce: ReduceFunction<IN>): Accumulator<IN, IN, IN> {
  return { first: (v) => v, add: reduce, merge: reduce, result: (acc) => acc };
}

function aggregateAccumulator<IN>(
  agg: AggregateFunction<IN, unknown, unknown>,
): Accumulator<IN, unknown, unknown> {
  return {
    first: (v) => agg.add(v, agg.createAccumulator()),
    add: (acc, v) => agg.add(v, acc),
    merge: (a, b) => {
      if (agg.merge === undefined)
        throw new InvalidArgumentError('the aggregate has no merge(a, b) function');
      return agg.merge(a, b);
    },
    result: (acc) => agg.getResult(acc),
  };
}

function allRecords<K, IN, OUT, W extends Window>(
  fn: WindowFunctionSpec<IN, OUT, K, W>,
  instantiate: InstantiateProcessFunction,
): AllRecordsFunction<K, IN, OUT> {
  switch (fn.kind) {
    case 'reduce': {
      const { reduce, windowFn } = fn;
      return (key, window, values, out) => {
        if (values.length === 0) return;
        const result = values.reduce(reduce);
        const value =
          windowFn === undefined ? (result as unknown as OUT) : windowFn(key, window as W, [result]);
        if (value !== undefined) out(value);
      };
    }
    case 'aggregate': {
      const { aggregate, windowFn } = fn;
      return (key, window, values, out) => {
        let acc = aggregate.createAccumulator();
        for (const v of values) acc = aggregate.add(v, acc);
        const result = aggregate.getResult(acc);
        const value = windowFn === undefined ? (result as OUT) : windowFn(key, window as W, [result]);
        if (value !== undefined) out(value);
      };
    }
    case 'process':
      return processAll(fn.process, instantiate);
  }
}

function processAll<K, IN, OUT, W extends Window>(
  process:
    | ProcessWindowFunction<IN, OUT, K, W>
    | ProcessWindowFunctionClass<IN, OUT, K, W>
    | ProcessWindowFn<IN, OUT, K, W>,
  instantiate: InstantiateProcessFunction,
): AllRecordsFunction<K, IN, OUT> {
  const target =
    process instanceof ProcessWindowFunction ||
    (process as { prototype?: unknown }).prototype instanceof ProcessWindowFunction
      ? instantiate(
          process as ProcessWindowFunctionClass<IN, OUT, K, W> | ProcessWindowFunction<IN, OUT, K, W>,
        )
      : undefined;
  if (target === undefined) {
    const plain = process as ProcessWindowFn<IN, OUT, K, W>;
    return (key, window, values, out) => {
      emitItems(plain(key, window as W, values), out);
    };
  }
  return (key, window, values, out) => {
    emitItems(target.process(key, window as W, values), out);
    const collected = target.takeCollected();
    if (collected !== undefined) for (const item of collected) out(item);
  };
}

/** Emits a process window function's items; a Promise (not allowed there) goes out as is, for the step to refuse. */
function emitItems<OUT>(items: Iterable<OUT> | undefined | void, out: (item: OUT) => void): void {
  if (items === undefined) return;
  if (isPromiseLike(items)) {
    out(items as unknown as OUT);
    return;
  }
  for (const item of items) out(item);
}
