import { SnapshotMismatchError } from '../../../errors/snapshot-mismatch-error.js';
import { keyGroupOf } from '../key/key-group.js';
import type { InstanceSnapshot } from './job-snapshot.js';
import type { JsonData } from './json-codec.js';
import { savedColumn, savedKey } from './saved-column.js';

/**
 * Checks the keyed state an operator saved before a job restores it: every column must be a `{ keys, values }`
 * pair of equal-length arrays, and every key must lie in the key group it was saved under, computed with the
 * restoring operator's `maxParallelism`. A snapshot taken with another `maxParallelism` splits the keys into
 * other groups, so restoring it would hand keys to the wrong instances; as in Flink, `maxParallelism` is fixed
 * for the life of the state. When `snapshotMaxParallelism` equals `maxParallelism`, the first key of each
 * column is checked (the groups then match by construction); otherwise every key is. Throws
 * `SnapshotMismatchError`.
 *
 * @example
 * ```ts
 * checkKeyGroups('count', snapshot.operators['count'] ?? [], 128, snapshot.maxParallelism);
 * ```
 */
export function checkKeyGroups(
  operator: string,
  instances: readonly InstanceSnapshot[],
  maxParallelism: number,
  snapshotMaxParallelism: number | undefined,
): void {
  const sampleOnly = snapshotMaxParallelism === maxParallelism;
  for (const instance of instances) {
    const keyed: unknown = (instance as InstanceSnapshot | null)?.keyed;
    if (keyed === undefined) continue;
    if (typeof keyed !== 'object' || keyed === null) throw notKeyedState(operator);
    for (const [group, states] of Object.entries(keyed)) {
      const g = Number(group);
      if (typeof states !== 'object' || states === null) throw notKeyedState(operator);
      for (const [name, column] of Object.entries(states as Record<string, unknown>)) {
        const { keys } = savedColumn(operator, name, column);
        const n = sampleOnly ? Math.min(1, keys.length) : keys.length;
        for (let i = 0; i < n; i++) {
          if (keyGroupOf(savedKey(keys[i] as JsonData), maxParallelism) !== g) {
            throw new SnapshotMismatchError(
              `${operator}: the snapshot's keyed state was split into key groups by another maxParallelism ` +
                `(${snapshotMaxParallelism === undefined ? 'unknown' : String(snapshotMaxParallelism)}) than this ` +
                `job's ${String(maxParallelism)}: restore with the maxParallelism the snapshot was taken with ` +
                '(it is fixed for the life of keyed state, as in Flink)',
            );
          }
        }
      }
    }
  }
}

/** A key as a snapshot holds it, decoded (structured keys are encoded JSON). */
function notKeyedState(operator: string): SnapshotMismatchError {
  return new SnapshotMismatchError(
    `${operator}: the saved keyed state is not an object of key groups: this snapshot was not written by this ` +
      'version of sage-kernel; take a new one',
  );
}
