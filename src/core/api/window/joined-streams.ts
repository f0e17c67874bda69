import { InvalidFunctionError } from '../../../errors/invalid-function-error.js';
import type { ChainOptions } from '../chain-options.js';
import type { DataStream } from '../data-stream.js';
import type { Window } from './window.js';
import type { WindowAssigner } from './window-assigner.js';

/** A record of either side of a join, tagged with its side (0: left, 1: right). */
interface Tagged {
  readonly side: 0 | 1;
  readonly value: unknown;
}

/**
 * A window join in the making (Flink's `JoinedStreams`): `a.join(b).where(fa).equalTo(fb).window(assigner)
 * .apply((x, y) => r)` pairs every record of `a` with every record of `b` that has the same key and falls in
 * the same window, when the window fires. Both sides are keyed, so it runs at the left stream's parallelism.
 *
 * @example
 * ```ts
 * orders.join(payments)
 *   .where((o) => o.id)
 *   .equalTo((p) => p.orderId)
 *   .window(TumblingEventTimeWindows.of(60_000))
 *   .apply((o, p) => ({ id: o.id, paid: p.amount }));
 * ```
 */
export class JoinedStreams<A, B, K = unknown> {
  /** Key functions, held with their types erased so streams stay assignable to `DataStream<unknown>`. */
  private leftKey: ((a: never) => unknown) | undefined;
  private rightKey: ((b: never) => unknown) | undefined;
  private assigner: WindowAssigner | undefined;

  /** @internal */
  constructor(
    private readonly left: DataStream<A>,
    private readonly right: DataStream<B>,
  ) {}

  /** The key of a left record. */
  where<K2>(fn: (a: A) => K2): JoinedStreams<A, B, K2> {
    if (typeof fn !== 'function') throw new InvalidFunctionError('join(…).where', 'a key function', fn);
    const next = this as unknown as JoinedStreams<A, B, K2>;
    next.leftKey = fn;
    return next;
  }

  /** The key of a right record (equal keys join). */
  equalTo(fn: (b: B) => K): this {
    if (typeof fn !== 'function') throw new InvalidFunctionError('join(…).equalTo', 'a key function', fn);
    this.rightKey = fn;
    return this;
  }

  /** The windows pairs must share (any `WindowAssigner`). */
  window(assigner: WindowAssigner): this {
    this.assigner = assigner;
    return this;
  }

  /** Emits `fn(left, right)` for each pair of records with equal keys in a window that fires. */
  apply<R>(fn: (left: A, right: B) => R, options?: ChainOptions): DataStream<R> {
    const leftKey = this.leftKey as ((a: A) => K) | undefined;
    const rightKey = this.rightKey as ((b: B) => K) | undefined;
    const assigner = this.assigner;
    if (leftKey === undefined || rightKey === undefined || assigner === undefined) {
      throw new InvalidFunctionError(
        'join(…).apply',
        'where(fa), equalTo(fb) and window(assigner) first',
        `${String([leftKey, rightKey, assigner].filter((x) => x === undefined).length)} missing step(s)`,
      );
    }
    if (typeof fn !== 'function')
      throw new InvalidFunctionError('join(…).apply', 'a function (left, right) => result', fn);
    const tagLeft = (value: A): Tagged => ({ side: 0, value });
    const tagRight = (value: B): Tagged => ({ side: 1, value });
    const both = this.left.map(tagLeft).union(this.right.map(tagRight));
    return both
      .keyBy((t) => (t.side === 0 ? leftKey(t.value as A) : rightKey(t.value as B)))
      .window<Window>(assigner)
      .process<R>((_key, _window, elements) => pairs(elements, fn), options);
  }
}

/** Every (left, right) pair of one window's records, in arrival order. */
function pairs<A, B, R>(elements: readonly Tagged[], fn: (left: A, right: B) => R): R[] {
  const out: R[] = [];
  for (const l of elements) {
    if (l.side !== 0) continue;
    for (const r of elements) if (r.side === 1) out.push(fn(l.value as A, r.value as B));
  }
  return out;
}
