import type { OperatorFunction } from 'rxjs';
import { normalizeKey, type NormalizedKey } from '../../kernel/runtime/key/key-encoding.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { PipeChain } from './pipe-chain.js';
import { INDEXED_KEYS } from './pipe-step-source.js';
import { PipeStep } from './pipe-step.js';

/** Whether `key` has a slot in the array of indexed chains (a whole number in `[0, INDEXED_KEYS)`). */
function isIndexed(key: unknown): key is number {
  return typeof key === 'number' && (key | 0) === key && key >= 0 && key < INDEXED_KEYS;
}

/**
 * `pipe` on a hash-keyed stream: one chain per key, found by the key's normalized form in a `Map`; small
 * whole-number keys also by their value in an array, and the latest other primitive key by identity (the
 * compiled entry reads these three, and looks string keys up in the `Map` itself).
 *
 * @example
 * ```ts
 * const step = new KeyedPipeStep(rt, out, [scan((n) => n + 1, 0)], undefined);
 * step.next('reading', 'sensor-1', undefined);
 * ```
 */
export class KeyedPipeStep extends PipeStep {
  /** The chain of the latest record's key when that key is a primitive without a slot (read by the compiled entry). */
  recent: PipeChain | undefined = undefined;
  private readonly chains: Map<NormalizedKey, PipeChain>;
  /** The chains of the keys that are small whole numbers, by key (they are in `chains` as well). */
  private readonly indexed: (PipeChain | undefined)[];

  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    operators: readonly OperatorFunction<unknown, unknown>[],
    idleMs: number | undefined,
  ) {
    const indexed: (PipeChain | undefined)[] = [];
    const chains = new Map<NormalizedKey, PipeChain>();
    super(rt, out, operators, idleMs, 'keyed', indexed, chains);
    this.indexed = indexed;
    this.chains = chains;
  }

  /**
   * The chain of `key`'s records, started on its first record (called by the compiled entry when the fast
   * paths miss); `undefined` when the key cannot be encoded (the error policy applies).
   */
  chainOf(key: unknown): PipeChain | undefined {
    let k: NormalizedKey;
    try {
      k = normalizeKey(key);
    } catch (e) {
      this.rt.error(e);
      return undefined;
    }
    const chain = this.chains.get(k) ?? this.start(key, k);
    if (chain.ended) return chain;
    if (isIndexed(key)) this.indexed[key] = chain;
    // Objects are looked up every time: the same object may have changed (and so its key) since.
    else if (typeof key !== 'object') this.recent = chain;
    return chain;
  }

  protected live(): PipeChain[] {
    return [...this.chains.values()];
  }

  protected adopt(chain: PipeChain): void {
    this.chains.set(chain.normalized, chain);
  }

  protected forget(chain: PipeChain): void {
    if (this.recent === chain) this.recent = undefined;
    const k = chain.normalized;
    if (isIndexed(k) && this.indexed[k] === chain) this.indexed[k] = undefined;
    if (this.chains.get(k) === chain) this.chains.delete(k);
  }

  protected forgetAll(): void {
    this.chains.clear();
    this.indexed.length = 0;
    this.recent = undefined;
  }
}
