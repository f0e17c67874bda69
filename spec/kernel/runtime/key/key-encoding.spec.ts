import { expect } from 'chai';
import fc from 'fast-check';
import { KeyEncodingError } from '../../../../src/errors/key-encoding-error.js';
import { hashKey } from '../../../../src/kernel/runtime/key/hash-key.js';
import { normalizeKey } from '../../../../src/kernel/runtime/key/key-encoding.js';
import { instanceOfKeyGroup, keyGroupOf } from '../../../../src/kernel/runtime/key/key-group.js';

/** The contract of DESIGN §7, written plainly: equality of keys by value. */
function modelEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (a !== a && b !== b);
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x: unknown, i) => modelEqual(x, b[i]))
    );
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      ka.length === kb.length &&
      ka.every(
        (k, i) =>
          k === kb[i] && modelEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return a === b;
}

const leaf = fc.oneof(
  fc.constantFrom(0, -0, NaN, 1, '', '0', '\u0000', '\u0000d0', 'd0', true, false, null, undefined, 1n),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -2, max: 2 }),
  fc.string({ maxLength: 3 }),
  fc.integer({ min: -2, max: 2 }).map((t) => new Date(t)),
);
const keyArb = fc.letrec((tie) => ({
  key: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('key'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'x y'), tie('key'), { maxKeys: 3 }),
})).key;

describe('the key encoding (one for routing, state, joins and windows)', () => {
  it('normalized keys are equal exactly when the keys are equal by value (property against a plain model)', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        const same = new Map([[normalizeKey(a), 1]]).has(normalizeKey(b));
        expect(same).to.equal(modelEqual(a, b));
        if (same) expect(hashKey(a)).to.equal(hashKey(b));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps two different Dates apart, and a Date apart from its string forms', () => {
    const a = new Date('2024-01-01T00:00:00Z');
    const b = new Date('2024-01-02T00:00:00Z');
    expect(normalizeKey(a)).to.not.equal(normalizeKey(b));
    expect(normalizeKey(a)).to.equal(normalizeKey(new Date(a.getTime())));
    expect(normalizeKey(a)).to.not.equal(normalizeKey(a.toISOString()));
    expect(normalizeKey(a)).to.not.equal(normalizeKey(`\u0000d${String(a.getTime())}`));
  });

  it('treats NaN as NaN and -0 as 0, in routing hashes too', () => {
    expect(normalizeKey(-0)).to.equal(0);
    expect(hashKey(-0)).to.equal(hashKey(0));
    expect(hashKey(NaN)).to.equal(hashKey(Number.NaN));
    expect(hashKey([-0])).to.equal(hashKey([0]));
  });

  it('refuses keys that cannot be encoded with KeyEncodingError', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    class Point {
      x = 1;
    }
    for (const bad of [() => 1, Symbol('s'), new Point(), circular, [circular], { f: () => 1 }, new Map()]) {
      expect(() => normalizeKey(bad), typeof bad).to.throw(KeyEncodingError);
    }
  });

  it('maps key groups onto instances as Flink does, covering every instance in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 128 }), (p, extra) => {
        const maxP = p + extra;
        let last = 0;
        for (let g = 0; g < maxP; g++) {
          const i = instanceOfKeyGroup(g, p, maxP);
          expect(i).to.be.within(last, p - 1);
          last = i;
        }
        expect(last).to.equal(p - 1);
      }),
    );
    expect(keyGroupOf('k', 128)).to.equal(hashKey('k') % 128);
  });
});
