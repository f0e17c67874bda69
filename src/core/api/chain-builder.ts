import type { Observer } from 'rxjs';
import { InvalidFunctionError } from '../../errors/invalid-function-error.js';
import type { ExecuteLike, SinkLike } from '../transformation/function-factory.js';
import { MapTransformation } from '../transformation/map-transformation.js';
import { SinkTransformation, type SinkTarget } from '../transformation/sink-transformation.js';
import type { Transformation } from '../transformation/transformation.js';
import type { BaseEnvironment } from './base-environment.js';
import type { ChainOptions } from './chain-options.js';
import { MapFunction } from './function/map-function.js';
import { SinkFunction } from './function/sink-function.js';
import { isClass, toFactory } from './function/to-factory.js';

/** Options as chain methods receive them at run time (the typed overloads narrow them). */
export type RawOptions = (ChainOptions & { args?: unknown[] }) | undefined;

/**
 * Adds a `map` over one input or the union of several (connected) inputs and returns its transformation.
 *
 * @example
 * ```ts
 * const t = buildMap(env, [a.transformation, b.transformation], (x) => x, undefined);
 * ```
 */
export function buildMap(
  env: BaseEnvironment,
  inputs: readonly Transformation[],
  fn: unknown,
  options: RawOptions,
): MapTransformation {
  const init = env.operatorInit('map', fn, options, inputs);
  const t = new MapTransformation(init, toFactory<ExecuteLike>('map', fn, MapFunction, options?.args));
  env.addTransformation(t);
  return t;
}

/**
 * Adds a sink over one input or the union of several inputs: a function, a SinkFunction class or an RxJS
 * Observer / Subject.
 *
 * @example
 * ```ts
 * buildSink(env, [stream.transformation], subject, undefined);
 * ```
 */
export function buildSink(
  env: BaseEnvironment,
  inputs: readonly Transformation[],
  fn: unknown,
  options: RawOptions,
): SinkTransformation {
  let target: SinkTarget;
  if (typeof fn === 'function') {
    target = { kind: 'function', factory: toFactory<SinkLike>('sink', fn, SinkFunction, options?.args) };
  } else if (isObserver(fn)) {
    target = { kind: 'observer', observer: fn as Partial<Observer<unknown>> };
  } else {
    throw new InvalidFunctionError('sink', 'a function, a SinkFunction class or an RxJS Observer', fn);
  }
  const init = env.operatorInit('sink', fn, options, inputs);
  const t = new SinkTransformation(init, target);
  env.addTransformation(t);
  return t;
}

/**
 * The sink function `print(prefix)` uses: one line per record on standard output.
 *
 * @example
 * ```ts
 * buildSink(env, inputs, printer('> '), undefined); // operators print, print-2, …
 * ```
 */
export function printer(prefix: string): (data: unknown) => void {
  // Named `print`, so the operators it makes are print, print-2, … (one name each, any number per environment).
  const print = (data: unknown): void => {
    process.stdout.write(`${prefix}${typeof data === 'string' ? data : JSON.stringify(data)}\n`);
  };
  return print;
}

function isObserver(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || isClass(value)) return false;
  const o = value as Partial<Observer<unknown>>;
  return typeof o.next === 'function' || typeof o.complete === 'function' || typeof o.error === 'function';
}
