import { expect } from 'chai';
import fc from 'fast-check';
import { hashKey } from '../../../../src/kernel/runtime/key/hash-key.js';
import type { JsonData } from '../../../../src/kernel/runtime/state/json-codec.js';
import type { KeyedSnapshot } from '../../../../src/kernel/runtime/state/keyed-snapshot.js';
import {
  DEFAULT_SNAPSHOT_LAYOUT,
  SnapshotBuilder,
  type SnapshotLayout,
} from '../../../../src/kernel/runtime/state/snapshot-builder.js';

type Key = number | string;

/** The plain model: every key of every table in its key group's columns, in the order given. */
function model(tables: [string, [Key, number][]][], maxParallelism: number): Record<string, unknown> {
  const out: Record<string, Record<string, { keys: Key[]; values: number[] }>> = {};
  for (const [name, entries] of tables) {
    for (const [k, v] of entries) {
      const group = String(hashKey(k) % maxParallelism);
      const column = ((out[group] ??= {})[name] ??= { keys: [], values: [] });
      column.keys.push(k);
      column.values.push(v);
    }
  }
  return out;
}

/** Builds the snapshot of `tables` as an asynchronous snapshot does, preparing with a deadline already past. */
function build(
  tables: [string, [Key, number][]][],
  maxParallelism: number,
  layout?: SnapshotLayout,
): KeyedSnapshot | undefined {
  const out = new SnapshotBuilder(maxParallelism, (k) => k as JsonData, layout);
  for (const [name, entries] of tables) {
    out.table(name, entries.length);
    while (!out.prepare(-Infinity)) {
      /* one key group per call */
    }
    for (const [k, v] of entries) out.put(k, v);
    out.endTable();
  }
  return out.result();
}

/** True when every column is a dense array (no hole left by a preallocated column). */
function dense(snapshot: KeyedSnapshot | undefined): boolean {
  for (const states of Object.values(snapshot ?? {})) {
    for (const { keys, values } of Object.values(states)) {
      if (Object.keys(keys).length !== keys.length || Object.keys(values).length !== values.length)
        return false;
    }
  }
  return true;
}

const tablesArb = fc
  .uniqueArray(
    fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 4 }).filter((s) => s.charCodeAt(0) !== 0),
    ),
    { maxLength: 80 },
  )
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fc.integer(), { minLength: keys.length, maxLength: keys.length }),
      fc.subarray(keys),
    ),
  )
  .map(([keys, values, some]): [string, [Key, number][]][] => [
    ['n', keys.map((k, i): [Key, number] => [k, values[i] as number])],
    ['m', some.map((k, i): [Key, number] => [k, i])],
  ]);

describe('SnapshotBuilder', () => {
  it('puts every key in its key group, in order, whether its columns grow or are preallocated (property)', () => {
    fc.assert(
      fc.property(
        tablesArb,
        fc.integer({ min: 1, max: 12 }),
        fc.option(
          fc.record({
            presizeFrom: fc.integer({ min: 0, max: 3 }),
            largeSlots: fc.integer({ min: 1, max: 9 }),
          }),
          { nil: undefined },
        ),
        (tables, maxParallelism, layout) => {
          const snapshot = build(tables, maxParallelism, layout);
          const expected = tables.some(([, entries]) => entries.length > 0)
            ? model(tables, maxParallelism)
            : undefined;
          expect(JSON.parse(JSON.stringify(snapshot ?? null)) as unknown).to.deep.equal(expected ?? null);
          expect(dense(snapshot)).to.equal(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('preallocates a large table one key group per call of prepare() once its slice is over', () => {
    const out = new SnapshotBuilder(5, (k) => k as JsonData, { presizeFrom: 2, largeSlots: 8 });
    out.table('n', 10);
    const calls: boolean[] = [];
    for (let done = false; !done;) {
      done = out.prepare(-Infinity);
      calls.push(done);
    }
    expect(calls).to.deep.equal([false, false, false, false, true]);
  });

  it('prepares nothing for a table below presizeFrom keys per key group (its columns grow)', () => {
    const out = new SnapshotBuilder(128, (k) => k as JsonData);
    out.table('n', 128 * DEFAULT_SNAPSHOT_LAYOUT.presizeFrom - 1);
    expect(out.prepare(-Infinity)).to.equal(true);
  });

  it('keeps every key of a key group that holds far more than its share (past its preallocated columns)', () => {
    const skewed: number[] = [];
    for (let k = 0; skewed.length < 60; k++) if (hashKey(k) % 4 === 1) skewed.push(k);
    const tables: [string, [Key, number][]][] = [['n', skewed.map((k): [Key, number] => [k, k * 2])]];
    const snapshot = build(tables, 4, { presizeFrom: 1, largeSlots: 2 });
    expect(JSON.parse(JSON.stringify(snapshot)) as unknown).to.deep.equal(model(tables, 4));
    expect(dense(snapshot)).to.equal(true);
  });

  it('gives undefined when no table holds a key', () => {
    expect(build([['n', []]], 8, { presizeFrom: 0, largeSlots: 4 })).to.equal(undefined);
  });
});
