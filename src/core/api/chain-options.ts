import type { ErrorPolicy } from '../../kernel/runtime/error-policy.js';

/**
 * Options every chain method takes.
 *
 * @example
 * ```ts
 * stream.map(fn, { parallelism: 4, name: 'enrich', errorPolicy: 'fail' });
 * ```
 */
export interface ChainOptions {
  /** Number of parallel instances (a positive integer; default 1, or the upstream's for keyBy). */
  parallelism?: number;
  /** Operator name (instances are `<name>_<i>`); defaults to the class or function name. Unique per environment. */
  name?: string;
  /** What a throw in this operator does; defaults to the environment's `errorPolicy`. */
  errorPolicy?: ErrorPolicy;
  /** Number of key groups of this operator's keyed state (default: the environment's, else 128). */
  maxParallelism?: number;
}

/**
 * Options for a function class: `args` are passed to its constructor (each instance gets a fresh object),
 * and are required exactly when the constructor requires them.
 *
 * @example
 * ```ts
 * stream.map(Scale, { args: [10] }); // class Scale { constructor(factor: number) }
 * ```
 */
export type ClassOptions<A extends unknown[]> = ChainOptions & ([] extends A ? { args?: A } : { args: A });

/** The options parameter of a chain method called with a class: optional unless the constructor needs args. */
export type ClassOptionsArg<A extends unknown[]> = [] extends A
  ? [options?: ClassOptions<A>]
  : [options: ClassOptions<A>];

/** A constructor of `T` taking `A`. */
export type Constructor<T, A extends unknown[]> = new (...args: A) => T;
