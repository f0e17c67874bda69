import {
  concatMap,
  defer,
  EMPTY,
  filter,
  finalize,
  from,
  isObservable,
  map,
  of,
  type MonoTypeOperatorFunction,
  type Observable,
  type OperatorFunction,
} from 'rxjs';
import { InvalidFunctionError } from '../../errors/invalid-function-error.js';
import { isPromiseLike } from '../../kernel/runtime/is-promise-like.js';
import type { ClassOptionsArg, Constructor } from './chain-options.js';
import { DetachedContext } from './detached-context.js';
import { FilterFunction } from './function/filter-function.js';
import { FlatMapFunction, type FlatMapResult } from './function/flat-map-function.js';
import { MapFunction, type MapResult } from './function/map-function.js';
import { isClass } from './function/to-factory.js';

/** The function object `asOperator` drives (a user class instance, or a wrapper of a plain function). */
interface Driven {
  ctx: DetachedContext;
  execute(data: unknown): unknown;
  takeCollected?: () => readonly unknown[] | undefined;
  close?: () => unknown;
}

type Kind = 'map' | 'filter' | 'flatMap';

const EXPECTED = 'a function or a MapFunction, FilterFunction or FlatMapFunction class';

/**
 * Runs a `map`, `filter` or `flatMap` function class (or a plain map function) as an RxJS operator, outside any
 * job, so one class serves both worlds. Each subscription builds its own function object (`options.args` go to
 * the constructor) and calls it for every value, in order, with the same result rules as in a pipeline
 * (`undefined` drops, Promises are awaited, Observables flattened; a flatMap's returned items come before the
 * collected ones). Its `close()`, if any, runs when the subscription ends. `ctx` is a {@link DetachedContext}:
 * `name`, `parallelIndex` 0, `parallelism` 1, `logger`, `config` `{}`, `getKey()` `undefined`; keyed state
 * and service calls throw a `UsageError`. A function that throws errors the Observable.
 *
 * @example
 * ```ts
 * class Celsius extends MapFunction<number, number> {
 *   execute(f: number) { return ((f - 32) * 5) / 9; }
 * }
 * of(212, 32).pipe(asOperator(Celsius)).subscribe(console.log); // 100, 0
 * ```
 */
export function asOperator<I, O, A extends unknown[]>(
  fn: Constructor<FlatMapFunction<I, O>, A> | Constructor<MapFunction<I, O>, A>,
  ...options: ClassOptionsArg<A>
): OperatorFunction<I, O>;
export function asOperator<T, A extends unknown[]>(
  fn: Constructor<FilterFunction<T>, A>,
  ...options: ClassOptionsArg<A>
): MonoTypeOperatorFunction<T>;
export function asOperator<I, O>(fn: (data: I) => MapResult<O>): OperatorFunction<I, O>;
export function asOperator(fn: unknown, options?: { args?: unknown[] }): OperatorFunction<unknown, unknown> {
  if (typeof fn !== 'function') throw new InvalidFunctionError('asOperator', EXPECTED, fn);
  const args = options?.args ?? [];
  if (!Array.isArray(args)) {
    throw new InvalidFunctionError(
      'asOperator',
      'options.args to be an array of constructor arguments',
      args,
    );
  }
  const kind = kindOf(fn);
  const name = fn.name !== '' ? fn.name : 'asOperator';
  const create = (): Driven => {
    const ctx = new DetachedContext(name);
    if (!isClass(fn)) return { ctx, execute: fn as (data: unknown) => unknown };
    const obj = new fn(...args) as Driven;
    obj.ctx = ctx;
    return obj;
  };
  return (source) =>
    defer(() => {
      const obj = create();
      return source.pipe(
        concatMap((value) => settle(kind, obj, value)),
        finalize(() => {
          if (typeof obj.close === 'function')
            void Promise.resolve(obj.close.call(obj)).catch(() => undefined);
        }),
      );
    });
}

function kindOf(fn: object): Kind {
  if (!isClass(fn)) return 'map';
  const proto: unknown = fn.prototype;
  if (proto instanceof FlatMapFunction) return 'flatMap';
  if (proto instanceof FilterFunction) return 'filter';
  if (proto instanceof MapFunction) return 'map';
  throw new InvalidFunctionError('asOperator', EXPECTED, fn);
}

/** The values one call produces, under the rules of its kind. */
function settle(kind: Kind, obj: Driven, value: unknown): Observable<unknown> {
  const result = obj.execute(value);
  if (kind === 'filter') {
    if (isPromiseLike(result)) {
      return from(result).pipe(
        filter(Boolean),
        map(() => value),
      );
    }
    return result ? of(value) : EMPTY;
  }
  if (kind === 'flatMap') {
    const items = (list: FlatMapResult<unknown>): unknown[] => [
      ...((list as Iterable<unknown> | undefined) ?? []),
      ...(obj.takeCollected?.() ?? []),
    ];
    if (isPromiseLike(result)) {
      return from(result).pipe(concatMap((list) => from(items(list as FlatMapResult<unknown>))));
    }
    return from(items(result as FlatMapResult<unknown>));
  }
  if (result === undefined) return EMPTY;
  if (isObservable(result) || isPromiseLike(result)) {
    return from(result).pipe(filter((r) => r !== undefined));
  }
  return of(result);
}
