import { normalizeKey } from '../../../../kernel/runtime/key/key-encoding.js';
import { BaseJoinFunction } from '../join-function.js';
import { appendToList } from './append-to-list.js';

/** Builds one output of a join from a left record, a right record and their key. */
export type JoinCombiner<L, R, O> = (left: L, right: R, key: unknown) => O;

/**
 * An inner equi-join of two keyed inputs: every left record (input 0) meets every right record (input 1) with
 * the same key, whatever the order of arrival. Each side is kept per key for the whole job, so use it on
 * bounded streams, or use `WindowedJoin` on endless ones.
 *
 * @example
 * ```ts
 * users.keyBy((u) => u.id)
 *   .connect(orders.keyBy((o) => o.userId))
 *   .join(InnerHashJoin, { args: [(u: User, o: Order) => ({ name: u.name, item: o.item })] });
 * ```
 */
export class InnerHashJoin<L = unknown, R = unknown, O = [L, R]> extends BaseJoinFunction<L | R, O> {
  private readonly left = new Map<unknown, L[]>();
  private readonly right = new Map<unknown, R[]>();

  constructor(private readonly combine: JoinCombiner<L, R, O> = (l, r) => [l, r] as O) {
    super();
  }

  execute(payload: L | R, key: unknown, tag: number): O[] | undefined {
    const k = normalizeKey(key);
    if (tag === 0) {
      const l = payload as L;
      appendToList(this.left, k, l);
      const rights = this.right.get(k);
      return rights === undefined ? undefined : rights.map((r) => this.combine(l, r, key));
    }
    const r = payload as R;
    appendToList(this.right, k, r);
    const lefts = this.left.get(k);
    return lefts === undefined ? undefined : lefts.map((l) => this.combine(l, r, key));
  }
}
