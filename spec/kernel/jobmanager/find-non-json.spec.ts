import { expect } from 'chai';
import fc from 'fast-check';
import { findNonJson } from '../../../src/kernel/jobmanager/find-non-json.js';

describe('findNonJson (job module args must be JSON)', () => {
  it('accepts every JSON value, and an undefined property (JSON leaves it out)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findNonJson(value, 'args')).to.equal(undefined);
      }),
    );
    expect(findNonJson({ a: undefined, b: 1 }, 'args')).to.equal(undefined);
  });

  it('names the path and kind of the first value JSON cannot carry', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cases: [unknown, string][] = [
      [{ f: () => 1 }, 'args.f is a function'],
      [{ n: [1, 2n] }, 'args.n[1] is a bigint'],
      [{ when: new Date(0) }, 'args.when is a Date'],
      [{ m: new Map() }, 'args.m is a Map'],
      [[1, undefined], 'args[1] is undefined'],
      [{ x: Number.NaN }, 'args.x is NaN'],
      [{ s: Symbol('s') }, 'args.s is a symbol'],
      [cycle, 'args.self is a circular reference'],
    ];
    for (const [value, expected] of cases) expect(findNonJson(value, 'args')).to.equal(expected);
    const shared = { k: 1 };
    expect(findNonJson({ a: shared, b: shared }, 'args')).to.equal(undefined);
  });
});
