import type { JsonData } from './json-codec.js';

/** One key's saved state: the key (encoded) and each named state's value (encoded). */
export type KeyedSnapshotEntry = readonly [key: JsonData, states: Readonly<Record<string, JsonData>>];

/**
 * The keyed state of one operator instance as JSON-compatible data, by key group (`"17": [entries…]`), so that
 * a restore at another parallelism hands each key group to the instance that owns it.
 */
export type KeyedSnapshot = Readonly<Record<string, readonly KeyedSnapshotEntry[]>>;
