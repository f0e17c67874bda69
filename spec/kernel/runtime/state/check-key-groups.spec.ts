import { expect } from 'chai';
import fc from 'fast-check';
import { SnapshotMismatchError } from '../../../../src/errors/snapshot-mismatch-error.js';
import { keyGroupOf } from '../../../../src/kernel/runtime/key/key-group.js';
import { checkKeyGroups } from '../../../../src/kernel/runtime/state/check-key-groups.js';
import type { InstanceSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';

/** One instance holding `keys` (value 1 each) in the key groups of `maxParallelism`. */
function savedUnder(keys: readonly string[], maxParallelism: number): InstanceSnapshot[] {
  const groups: Record<string, { n: { keys: string[]; values: number[] } }> = {};
  for (const k of keys) {
    const column = (groups[String(keyGroupOf(k, maxParallelism))] ??= { n: { keys: [], values: [] } }).n;
    column.keys.push(k);
    column.values.push(1);
  }
  return [{ keyed: groups }];
}

describe('checkKeyGroups', () => {
  it('accepts keyed state saved under the same maxParallelism, sampled or checked key by key', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string(), { maxLength: 50 }),
        fc.integer({ min: 1, max: 512 }),
        (keys, max) => {
          const saved = savedUnder(keys, max);
          checkKeyGroups('count', saved, max, max);
          checkKeyGroups('count', saved, max, undefined);
        },
      ),
    );
  });

  it('refuses keyed state whose keys lie in other groups under this maxParallelism', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `user-${String(i)}`);
    expect(() => {
      checkKeyGroups('count', savedUnder(keys, 4), 8, 4);
    }).to.throw(SnapshotMismatchError, /count: .*another maxParallelism \(4\) than this job's 8/);
  });

  it('refuses keyed state that is not { keys, values } columns', () => {
    const bad = [{ keyed: { 0: { n: { keys: ['a'], values: [] } } } }] as unknown as InstanceSnapshot[];
    expect(() => {
      checkKeyGroups('count', bad, 128, 128);
    }).to.throw(SnapshotMismatchError, /equal-length arrays/);
    const notGroups = [{ keyed: 'x' }] as unknown as InstanceSnapshot[];
    expect(() => {
      checkKeyGroups('count', notGroups, 128, 128);
    }).to.throw(SnapshotMismatchError, /not an object of key groups/);
  });

  it('refuses keyed state that recorded another number of key groups, even when its few keys fit both', () => {
    // 'a', 'b' and 'c' lie in the same groups under 128 and 64: only the recorded number can tell.
    const keys = ['a', 'b', 'c'];
    expect(keys.every((k) => keyGroupOf(k, 128) === keyGroupOf(k, 64))).to.equal(true);
    const saved = savedUnder(keys, 128).map((i) => ({ ...i, keyGroups: 128 }));
    expect(() => {
      checkKeyGroups('count', saved, 64, 128);
    }).to.throw(SnapshotMismatchError, /another maxParallelism \(128\) than this job's 64/);
    checkKeyGroups('count', saved, 128, 128);
    // Without the record (an older snapshot), the keys decide.
    checkKeyGroups('count', savedUnder(keys, 128), 64, 128);
  });
});
