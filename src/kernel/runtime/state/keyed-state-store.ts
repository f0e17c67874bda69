import { freeze } from 'immer';
import { hashKey } from '../routing/hash-key.js';
import type { KeyHolder } from '../step.js';
import { encodeKey } from './key-encoding.js';
import type { KeyedEntry, StateRoot } from './state-root.js';

const SHARDS = 64;
const EMPTY: StateRoot = Object.freeze({});

/**
 * The managed keyed state of one operator instance, scoped to the key of the record being processed.
 * Values are immutable (frozen by immer); the whole store is a frozen tree replaced copy-on-write, so a
 * snapshot is O(1) and is plain JSON-compatible data.
 *
 * @example
 * ```ts
 * const store = new KeyedStateStore(task);
 * store.set('count', (store.get('count') as number | undefined ?? 0) + 1);
 * const snapshot = store.snapshot();
 * ```
 */
export class KeyedStateStore {
  private root: StateRoot = EMPTY;

  constructor(
    private readonly holder: KeyHolder,
    restored?: StateRoot,
  ) {
    if (restored !== undefined) this.root = freeze(restored, true);
  }

  /** The value named `name` for the current key. */
  get(name: string): unknown {
    const key = this.holder.key;
    return this.root[shardOf(key)]?.[encodeKey(key)]?.values[name];
  }

  /** Sets the value named `name` for the current key (the value is deep-frozen). */
  set(name: string, value: unknown): void {
    const key = this.holder.key;
    const shard = shardOf(key);
    const encoded = encodeKey(key);
    const entries = this.root[shard];
    const entry = entries?.[encoded];
    const values = { ...entry?.values, [name]: freeze(value, true) };
    this.write(shard, encoded, Object.freeze({ key, values: Object.freeze(values) }));
  }

  /** Removes the value named `name` for the current key. */
  delete(name: string): void {
    const key = this.holder.key;
    const shard = shardOf(key);
    const encoded = encodeKey(key);
    const entry = this.root[shard]?.[encoded];
    if (entry === undefined || !(name in entry.values)) return;
    const { [name]: _removed, ...values } = entry.values;
    this.write(
      shard,
      encoded,
      Object.keys(values).length === 0 ? undefined : Object.freeze({ key, values: Object.freeze(values) }),
    );
  }

  /** The keys that hold state, in no particular order. */
  keys(): unknown[] {
    const keys: unknown[] = [];
    for (const shard of Object.values(this.root))
      for (const entry of Object.values(shard)) keys.push(entry.key);
    return keys;
  }

  /** The whole store as frozen, JSON-compatible data (O(1)). */
  snapshot(): StateRoot {
    return this.root;
  }

  private write(shard: string, encoded: string, entry: KeyedEntry | undefined): void {
    const { [encoded]: _previous, ...rest } = this.root[shard] ?? {};
    const entries: Record<string, KeyedEntry> = entry === undefined ? rest : { ...rest, [encoded]: entry };
    this.root = Object.freeze({ ...this.root, [shard]: Object.freeze(entries) });
  }
}

function shardOf(key: unknown): string {
  return String(hashKey(key) % SHARDS);
}
