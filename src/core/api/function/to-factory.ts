import { InvalidFunctionError } from '../../../errors/invalid-function-error.js';
import type { FunctionFactory } from '../../transformation/function-factory.js';
import { BaseFunction } from './base-function.js';

/** An abstract function base class (MapFunction, SinkFunction, …), as a value. */
export type FunctionBase = abstract new (...args: never[]) => BaseFunction;

/**
 * True when `fn` is an ES class (not a plain or arrow function).
 *
 * @example
 * ```ts
 * isClass(class A {}); // true
 * isClass((x: number) => x); // false
 * ```
 */
export function isClass(fn: unknown): fn is new (...args: unknown[]) => unknown {
  return typeof fn === 'function' && Function.prototype.toString.call(fn).startsWith('class');
}

/**
 * Turns what a chain method received (a class of the right kind, or a plain function) into a factory that
 * builds one fresh function object per instance. A plain function becomes the `execute` of an object of the
 * base class, so `this.ctx` and `this.collect` work inside a `function` (not an arrow).
 *
 * @example
 * ```ts
 * const factory = toFactory('map', (x: number) => x * 2, MapFunction, undefined);
 * ```
 */
export function toFactory<F extends object>(
  operator: string,
  fn: unknown,
  base: FunctionBase,
  args: readonly unknown[] | undefined,
): FunctionFactory<F> {
  const expected = `a function or a ${base.name} class`;
  if (typeof fn !== 'function') throw new InvalidFunctionError(operator, expected, fn);
  if (args !== undefined && !Array.isArray(args)) {
    throw new InvalidFunctionError(operator, 'options.args to be an array of constructor arguments', args);
  }
  if (isClass(fn)) {
    const proto: unknown = fn.prototype;
    const rightKind = proto instanceof base;
    const otherKind = !rightKind && proto instanceof BaseFunction;
    const duckTyped = !otherKind && typeof (proto as { execute?: unknown }).execute === 'function';
    if (!rightKind && !duckTyped) throw new InvalidFunctionError(operator, expected, fn);
    const ctorArgs: readonly unknown[] = args ?? [];
    return { label: fn.name, create: () => new fn(...ctorArgs) as F };
  }
  if (args !== undefined && args.length > 0) {
    throw new InvalidFunctionError(operator, 'options.args only together with a function class', fn);
  }
  const Concrete = base as unknown as new () => F & { execute: unknown };
  return {
    label: fn.name,
    create: () => {
      const object = new Concrete();
      object.execute = fn;
      return object;
    },
  };
}
