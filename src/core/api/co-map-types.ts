import type { Observable } from 'rxjs';
import type { BaseCoMapFunction } from './function/co-map-function.js';

/** The indices of a tuple of input types (`'0' | '1' | …`), without the array's own keys. */
export type InputIndex<T extends readonly unknown[]> = Exclude<keyof T, keyof unknown[]> & `${number}`;

/**
 * What a coMap class must have for the inputs `T`: a `map{i}` handler per input that accepts that input's
 * record type.
 *
 * @example
 * ```ts
 * // CoMapHandlersOf<[number, string]> = { map0(data: number): unknown; map1(data: string): unknown }
 * class Tag extends BaseCoMapFunction implements CoMapHandlersOf<[number, string]> {
 *   map0(n: number) { return n; }
 *   map1(s: string) { return s.length; }
 * }
 * ```
 */
export type CoMapHandlersOf<T extends readonly unknown[]> = {
  [I in InputIndex<T> as `map${I}`]: (data: T[I]) => unknown;
};

/**
 * The record a handler's result stands for: a Promise is awaited, an Observable flattened, and `undefined`
 * (a dropped record) never reaches the output.
 *
 * @example
 * ```ts
 * // HandlerOutput<Promise<number | undefined>> = number; HandlerOutput<Observable<string>> = string
 * ```
 */
export type HandlerOutput<X> =
  X extends Observable<infer V>
    ? V
    : X extends PromiseLike<infer V>
      ? Exclude<V, undefined>
      : Exclude<X, undefined>;

/**
 * The output record type of a coMap: the union of what the handlers `map0` … `map{n-1}` of `C` return, for
 * the inputs `T`.
 *
 * @example
 * ```ts
 * class Tag extends BaseCoMapFunction {
 *   map0(n: number): string { return String(n); }
 *   map1(b: boolean): number { return b ? 1 : 0; }
 * }
 * // CoMapOutput<Tag, [number, boolean]> = string | number
 * ```
 */
export type CoMapOutput<C extends BaseCoMapFunction, T extends readonly unknown[]> = {
  [I in InputIndex<T>]: C extends Record<`map${I}`, (...args: never[]) => infer X> ? HandlerOutput<X> : never;
}[InputIndex<T>];

/**
 * The output record type of a coMap given as an array of handler functions: the union of what they return.
 *
 * @example
 * ```ts
 * // HandlersOutput<[(t: number) => string, (h: number) => Promise<number>]> = string | number
 * ```
 */
export type HandlersOutput<H extends readonly ((data: never) => unknown)[]> = HandlerOutput<
  ReturnType<H[number]>
>;
