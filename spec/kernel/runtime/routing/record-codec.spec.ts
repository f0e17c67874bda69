import { expect } from 'chai';
import fc from 'fast-check';
import { RecordNotSerializableError } from '../../../../src/errors/record-not-serializable-error.js';
import { checkCloneable, roundTrip } from '../../../../src/kernel/runtime/routing/record-codec.js';

class Point {
  constructor(readonly x: number) {}
  norm(): number {
    return Math.abs(this.x);
  }
}

function failure(value: unknown): RecordNotSerializableError {
  try {
    checkCloneable(value, '$');
  } catch (e) {
    return e as RecordNotSerializableError;
  }
  throw new Error('expected a RecordNotSerializableError');
}

describe('record codec', () => {
  it('passes plain data, Map, Set, Date, RegExp, typed arrays, bigint, undefined and cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const v of [
      { a: [1, 'x', null, undefined, true, 2n] },
      new Map([[{ k: 1 }, new Set([new Date(0)])]]),
      /re/g,
      new Uint8Array([1, 2]),
      cyclic,
      Object.create(null) as object,
      new Error('e'),
    ]) {
      expect(() => {
        checkCloneable(v, '$');
      }).to.not.throw();
    }
  });

  it('names where a function, a symbol or a class instance is', () => {
    expect(failure({ a: { f: () => 1 } }).message).to.include('at $.a.f, a function');
    expect(failure([Symbol('s')]).path).to.equal('$.0');
    const e = failure({ p: new Point(1) });
    expect(e).to.be.instanceOf(RecordNotSerializableError);
    expect(e.message).to.include('an instance of Point').and.include('without its methods');
    expect(failure(new Map([[1, () => 0]])).path).to.equal('$.get(0)');
  });

  it('a round trip gives an equal copy of any JSON-like record and key', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
        (value, key) => {
          const [v, k] = roundTrip(value, key);
          expect(v).to.deep.equal(value);
          expect(k).to.equal(key);
          if (typeof value === 'object' && value !== null) expect(v).to.not.equal(value);
        },
      ),
    );
  });
});
