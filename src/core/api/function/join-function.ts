import { BaseFunction } from './base-function.js';

/**
 * Joins two keyed inputs: `execute(payload, key, tag)` is called per record, `tag` being the input index (0 or
 * 1). Return an item, a list of items, or `undefined`. Keep the state of the join in fields (per instance)
 * or in `this.ctx.state` (per key).
 *
 * @example
 * ```ts
 * class Pair extends BaseJoinFunction<User | Order, [User, Order]> {
 *   private users = new Map<number, User>();
 *   execute(payload: User | Order, key: unknown, tag: number) {
 *     if (tag === 0) { this.users.set(key as number, payload as User); return undefined; }
 *     const user = this.users.get(key as number);
 *     return user === undefined ? undefined : [user, payload as Order];
 *   }
 * }
 * ```
 */
export abstract class BaseJoinFunction<I = unknown, O = unknown> extends BaseFunction {
  abstract execute(
    payload: I,
    key: unknown,
    tag: number,
  ): O | O[] | undefined | PromiseLike<O | O[] | undefined>;
}
