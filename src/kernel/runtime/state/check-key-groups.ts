import { SnapshotMismatchError } from '../../../errors/snapshot-mismatch-error.js';
import { keyGroupOf } from '../key/key-group.js';
import type { InstanceSnapshot } from './job-snapshot.js';
import type { JsonData } from './json-codec.js';
import { savedColumn, savedKey } from './saved-column.js';

/**
 * Checks the keyed state an operator saved before a job restores it: every column must be a `{ keys, values }`
 * pair of equal-length arrays, and the state must have been split into the key groups of the restoring
 * operator's `maxParallelism`. As in Flink, `maxParallelism` is fixed for the life of keyed state: an instance
 * that recorded its number of key groups (`keyGroups`) must have exactly `maxParallelism`, whatever its keys (a
 * few keys may well fall into the same groups under both numbers). A snapshot without that record (written by
 * an older version or by hand) is checked key by key: every key must lie in the key group it was saved under,
 * computed with `maxParallelism` (only the first key of each column when `snapshotMaxParallelism` equals
 * `maxParallelism`: the groups then match by construction). Throws `SnapshotMismatchError`.
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
  for (const instance of instances) {
    const keyed: unknown = (instance as InstanceSnapshot | null)?.keyed;
    if (keyed === undefined) continue;
    if (typeof keyed !== 'object' || keyed === null) throw notKeyedState(operator);
    const recorded: unknown = instance.keyGroups;
    const saved = typeof recorded === 'number' ? recorded : snapshotMaxParallelism;
    if (typeof recorded === 'number' && recorded !== maxParallelism && Object.keys(keyed).length > 0) {
      throw otherMaxParallelism(operator, recorded, maxParallelism);
    }
    const sampleOnly = saved === maxParallelism;
    for (const [group, states] of Object.entries(keyed)) {
      const g = Number(group);
      if (typeof states !== 'object' || states === null) throw notKeyedState(operator);
      for (const [name, column] of Object.entries(states as Record<string, unknown>)) {
        const { keys } = savedColumn(operator, name, column);
        const n = sampleOnly ? Math.min(1, keys.length) : keys.length;
        for (let i = 0; i < n; i++) {
          if (keyGroupOf(savedKey(keys[i] as JsonData), maxParallelism) !== g) {
            throw otherMaxParallelism(operator, saved, maxParallelism);
          }
        }
      }
    }
  }
}

function otherMaxParallelism(
  operator: string,
  saved: number | undefined,
  maxParallelism: number,
): SnapshotMismatchError {
  return new SnapshotMismatchError(
    `${operator}: the snapshot's keyed state was split into key groups by another maxParallelism ` +
      `(${saved === undefined ? 'unknown' : String(saved)}) than this ` +
      `job's ${String(maxParallelism)}: restore with the maxParallelism the snapshot was taken with ` +
      '(it is fixed for the life of keyed state, as in Flink)',
  );
}

/** A key as a snapshot holds it, decoded (structured keys are encoded JSON). */
function notKeyedState(operator: string): SnapshotMismatchError {
  return new SnapshotMismatchError(
    `${operator}: the saved keyed state is not an object of key groups: this snapshot was not written by this ` +
      'version of sage-kernel; take a new one',
  );
}
