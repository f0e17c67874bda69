import { SnapshotMismatchError } from '../../../errors/snapshot-mismatch-error.js';
import { decodeJson, type JsonData } from './json-codec.js';
import type { KeyGroupColumn } from './keyed-snapshot.js';

/**
 * The saved column of keyed state `name` of `operator`, checked to be a `{ keys, values }` pair of equal-length
 * arrays; a `SnapshotMismatchError` otherwise (what restoring and the key-group check both refuse).
 *
 * @example
 * ```ts
 * const { keys, values } = savedColumn('count', 'n', group.n);
 * ```
 */
export function savedColumn(operator: string, name: string, column: unknown): KeyGroupColumn {
  const { keys, values } = (column ?? {}) as Partial<KeyGroupColumn>;
  if (!Array.isArray(keys) || !Array.isArray(values) || keys.length !== values.length) {
    throw new SnapshotMismatchError(
      `${operator}: the saved keyed state '${name}' is not a { keys, values } pair of equal-length arrays: ` +
        'this snapshot was not written by this version of sage-kernel; take a new one',
    );
  }
  return { keys, values };
}

/**
 * A saved key as the function saw it: a structured key (saved as JSON data with type tags) is decoded, a
 * primitive one is itself.
 *
 * @example
 * ```ts
 * const key = savedKey(column.keys[0]);
 * ```
 */
export function savedKey(saved: JsonData): unknown {
  return typeof saved === 'object' && saved !== null ? decodeJson(saved) : saved;
}
