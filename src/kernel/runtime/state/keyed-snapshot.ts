import type { JsonData } from './json-codec.js';

/**
 * One named state's saved values in one key group, as two columns: `values[i]` is the value of key `keys[i]`
 * (both encoded with the JSON codec). Columns cost no allocation per key when a snapshot is taken.
 */
export interface KeyGroupColumn {
  readonly keys: readonly JsonData[];
  readonly values: readonly JsonData[];
}

/**
 * The keyed state of one operator instance as JSON-compatible data, by key group then by state name
 * (`{ "17": { count: { keys: [...], values: [...] } } }`), so that a restore at another parallelism hands each
 * key group to the instance that owns it.
 */
export type KeyedSnapshot = Readonly<Record<string, Readonly<Record<string, KeyGroupColumn>>>>;
