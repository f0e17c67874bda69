import { createRequire } from 'node:module';
import { expect } from 'chai';
import fc from 'fast-check';
import { CLUSTER_SLOTS, hashTag, keySlot } from '../../src/redis/key-slot.js';

/** node-redis's own slot function (vendored cluster-key-slot, patched to agree with the server on `{}`). */
const calculateSlot = (
  createRequire(import.meta.url)('@redis/client/dist/lib/utils/calculate-slot.js') as {
    default: (key: string) => number;
  }
).default;

describe('keySlot', () => {
  it('agrees with the values Redis documents (CRC16/XMODEM of the hash tag, modulo 16384)', () => {
    expect(keySlot('foo')).to.equal(12182);
    expect(keySlot('123456789')).to.equal(0x31c3);
    expect(keySlot('{user1000}.following')).to.equal(keySlot('{user1000}.followers'));
  });

  it('hashes the first non-empty {…} of a key, else the whole key', () => {
    expect(hashTag('{job-1:2:0}:x:0:1')).to.equal('job-1:2:0');
    expect(hashTag('foo{bar}{zap}')).to.equal('bar');
    expect(hashTag('foo{{bar}}zap')).to.equal('{bar');
    expect(hashTag('foo{}{bar}')).to.equal('foo{}{bar}');
    expect(hashTag('counts')).to.equal('counts');
    expect(hashTag('open{only')).to.equal('open{only');
  });

  it('equals the slot node-redis routes a key by, for any key (braces and non-ASCII included)', () => {
    const key = fc.oneof(
      fc.string({ unit: fc.constantFrom('{', '}', 'a', 'b', ':', '0') }),
      fc.string({ unit: 'grapheme' }),
      fc.tuple(fc.string(), fc.string(), fc.string()).map(([a, b, c]) => `${a}{${b}}${c}`),
    );
    fc.assert(
      fc.property(key, (k) => {
        const slot = keySlot(k);
        expect(slot).to.be.within(0, CLUSTER_SLOTS - 1);
        expect(slot).to.equal(calculateSlot(k));
      }),
      { numRuns: 500 },
    );
  });
});
