import { normalizeKey } from '../../../../kernel/runtime/key/key-encoding.js';
import { BaseJoinFunction } from '../join-function.js';
import { appendToList } from './append-to-list.js';
import type { JoinCombiner } from './inner-hash-join.js';

interface Held<V> {
  readonly at: number;
  readonly value: V;
}

interface Expiry {
  readonly at: number;
  readonly side: 0 | 1;
  readonly key: unknown;
}

/**
 * A time-bounded inner join: a record meets the records of the other input with the same key that arrived at
 * most `windowMs` earlier. Older records are evicted as time passes (time of the job's scheduler, so it is
 * exact in virtual time), which keeps memory bounded on endless streams.
 *
 * @example
 * ```ts
 * clicks.keyBy((c) => c.session)
 *   .connect(views.keyBy((v) => v.session))
 *   .join(WindowedJoin, { args: [60_000, (c: Click, v: View) => ({ c, v })] });
 * ```
 */
export class WindowedJoin<L = unknown, R = unknown, O = [L, R]> extends BaseJoinFunction<L | R, O> {
  private readonly left = new Map<unknown, Held<L>[]>();
  private readonly right = new Map<unknown, Held<R>[]>();
  private readonly expiries: Expiry[] = [];
  private expiryHead = 0;

  constructor(
    private readonly windowMs: number,
    private readonly combine: JoinCombiner<L, R, O> = (l, r) => [l, r] as O,
  ) {
    super();
    if (!Number.isFinite(windowMs) || windowMs < 0) {
      throw new RangeError(
        `WindowedJoin: windowMs must be a number of milliseconds ≥ 0, got ${String(windowMs)}`,
      );
    }
  }

  execute(payload: L | R, key: unknown, tag: number): O[] | undefined {
    const now = this.ctx.scheduler.now();
    this.evict(now - this.windowMs);
    const k = normalizeKey(key);
    this.expiries.push({ at: now, side: tag === 0 ? 0 : 1, key: k });
    if (tag === 0) {
      const l = payload as L;
      appendToList(this.left, k, { at: now, value: l });
      const rights = this.right.get(k);
      return rights === undefined ? undefined : rights.map((r) => this.combine(l, r.value, key));
    }
    const r = payload as R;
    appendToList(this.right, k, { at: now, value: r });
    const lefts = this.left.get(k);
    return lefts === undefined ? undefined : lefts.map((l) => this.combine(l.value, r, key));
  }

  /** Records currently held on both sides (what the window costs in memory). */
  get held(): number {
    return this.expiries.length - this.expiryHead;
  }

  private evict(before: number): void {
    const q = this.expiries;
    while (this.expiryHead < q.length && (q[this.expiryHead] as Expiry).at < before) {
      const e = q[this.expiryHead] as Expiry;
      this.expiryHead++;
      const side: Map<unknown, Held<unknown>[]> = e.side === 0 ? this.left : this.right;
      const list = side.get(e.key);
      if (list !== undefined) {
        list.shift();
        if (list.length === 0) side.delete(e.key);
      }
    }
    if (this.expiryHead > 1024 && this.expiryHead * 2 > q.length) {
      q.splice(0, this.expiryHead);
      this.expiryHead = 0;
    }
  }
}
