import { expect } from 'chai';
import fc from 'fast-check';
import { hashKey } from '../../../../src/kernel/runtime/key/hash-key.js';

describe('hashKey', () => {
  const keys = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.array(fc.oneof(fc.integer(), fc.string())),
    fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())),
  );

  it('gives the same unsigned 32-bit hash for the same value, and for an equal copy of it', () => {
    fc.assert(
      fc.property(keys, (key) => {
        const h = hashKey(key);
        expect(h).to.equal(hashKey(key));
        expect(h).to.equal(hashKey(structuredClone(key)));
        expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).to.equal(true);
      }),
    );
  });

  it('ignores the insertion order of object keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(hashKey(reversed)).to.equal(hashKey(obj));
      }),
    );
  });

  it('gives the falsy keys 0, "", false, null and undefined hashes of their own', () => {
    const hashes = [0, '', false, null, undefined].map((k) => hashKey(k));
    expect(new Set(hashes).size).to.equal(5);
  });

  it('spreads keys reasonably over 4 buckets', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.integer(), fc.string({ minLength: 1 })), {
          minLength: 400,
          maxLength: 400,
        }),
        (unique) => {
          const buckets = [0, 0, 0, 0];
          for (const k of unique) buckets[hashKey(k) % 4]!++;
          for (const b of buckets) expect(b).to.be.within(50, 150);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('spreads consecutive integers and short strings evenly', () => {
    const ints = [0, 0, 0, 0];
    const strings = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      ints[hashKey(i) % 4]!++;
      strings[hashKey(`user-${i}`) % 4]!++;
    }
    for (const b of [...ints, ...strings]) expect(b).to.be.within(800, 1200);
  });
});
