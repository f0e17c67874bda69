import { BaseFunction } from './base-function.js';

/**
 * Handles connected inputs separately: a record from input *i* goes to `map{i}`. Implement one handler per
 * input (`map0`, `map1`, …); each may return a value, `undefined` (drop), a Promise or an Observable.
 *
 * @example
 * ```ts
 * class Tag extends BaseCoMapFunction {
 *   map0(t: number) { return { sensor: 'temp', t }; }
 *   map1(h: number) { return { sensor: 'humidity', h }; }
 * }
 * temp.connect(humidity).coMap(Tag);
 * ```
 */
export abstract class BaseCoMapFunction extends BaseFunction {}
