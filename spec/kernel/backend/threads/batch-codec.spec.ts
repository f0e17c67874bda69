import { expect } from 'chai';
import fc from 'fast-check';
import {
  decodeBatch,
  encodeBatch,
  transferList,
} from '../../../../src/kernel/backend/threads/batch-codec.js';
import {
  BARRIER,
  END,
  ENTRY,
  IDLENESS,
  MARKER,
  RECORD,
  WATERMARK,
} from '../../../../src/kernel/backend/threads/peer-link.js';

const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, NaN, Infinity, -Infinity));
const anything = fc.oneof(number, fc.string(), fc.constant(undefined), fc.record({ a: fc.integer() }));

/** One batch entry as the Peer writes it: records with value, key, timestamp; signals with their datum. */
function entry(values: fc.Arbitrary<unknown>, keys: fc.Arbitrary<unknown>, times: fc.Arbitrary<unknown>) {
  const target = fc.tuple(fc.nat({ max: 5000 }), fc.nat({ max: 300 }));
  return fc.oneof(
    fc.tuple(target, values, keys, times).map(([[t, c], v, k, ts]) => [RECORD, t, c, v, k, ts]),
    target.map(([t, c]) => [END, t, c, undefined, undefined, undefined]),
    fc.tuple(target, fc.nat()).map(([[t, c], id]) => [BARRIER, t, c, id, undefined, undefined]),
    fc.tuple(target, number).map(([[t, c], w]) => [WATERMARK, t, c, w, undefined, undefined]),
    fc.tuple(target, fc.boolean()).map(([[t, c], idle]) => [IDLENESS, t, c, idle, undefined, undefined]),
    fc.tuple(target, fc.double()).map(([[t, c], at]) => [MARKER, t, c, at, undefined, undefined]),
  );
}

/** What the Peer reads of an entry (an end of stream's datum is never read). */
function readable(batch: readonly unknown[]): unknown[] {
  const out = batch.slice();
  for (let i = 0; i < out.length; i += ENTRY) if (out[i] === END) out[i + 3] = undefined;
  return out;
}

/** Crosses as across threads: encoded, structured-cloned with its buffers transferred, decoded. */
function cross(batch: readonly unknown[]): unknown[] {
  const encoded = encodeBatch(batch);
  return decodeBatch(structuredClone(encoded, { transfer: transferList(encoded) }));
}

describe('batch codec', () => {
  it('gives every entry back as it was (numeric columns or plain ones)', () => {
    const columns = fc.constantFrom<[fc.Arbitrary<unknown>, fc.Arbitrary<unknown>, fc.Arbitrary<unknown>]>(
      [number, number, number],
      [number, fc.constant(undefined), fc.constant(undefined)],
      [anything, anything, anything],
      [fc.string(), number, fc.oneof(number, fc.constant(undefined))],
    );
    fc.assert(
      fc.property(
        columns.chain(([v, k, t]) => fc.array(entry(v, k, t), { minLength: 1, maxLength: 40 })),
        (entries) => {
          const batch = entries.flat();
          expect(readable(cross(batch))).to.deep.equal(readable(batch));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts numeric records into transferred typed arrays', () => {
    const batch = [
      RECORD,
      1,
      0,
      1.5,
      7,
      100,
      BARRIER,
      1,
      0,
      3,
      undefined,
      undefined,
      RECORD,
      1,
      0,
      -0,
      8,
      101,
    ];
    const encoded = encodeBatch(batch);
    expect(encoded.values).to.be.instanceOf(Float64Array);
    expect(encoded.keys).to.be.instanceOf(Float64Array);
    expect(encoded.times).to.be.instanceOf(Float64Array);
    expect(transferList(encoded)).to.have.length(5);
    expect(Object.is(cross(batch)[15], -0)).to.equal(true);
  });
});
