/** The state of one key: its original key value and its named state values. */
export interface KeyedEntry {
  readonly key: unknown;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * The keyed state of one operator instance, as frozen, JSON-compatible data: shards of entries indexed by
 * encoded key. Taking it is O(1): it is never mutated, only replaced (copy-on-write of one shard per update).
 */
export type StateRoot = Readonly<Record<string, Readonly<Record<string, KeyedEntry>>>>;
