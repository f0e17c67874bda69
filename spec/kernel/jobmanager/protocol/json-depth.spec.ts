import { expect } from 'chai';
import fc from 'fast-check';
import { jsonDeeperThan } from '../../../../src/kernel/jobmanager/protocol/json-depth.js';

/** The plain model: the nesting depth of arrays and objects, by recursion. */
function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  return 1 + Math.max(0, ...children.map(depth));
}

describe('jsonDeeperThan', () => {
  it('agrees with the recursive depth for any JSON value and limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
        expect(jsonDeeperThan(value, max)).to.equal(depth(value) > max);
      }),
    );
  });

  it('measures a value nested a million levels deep without overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(jsonDeeperThan(deep)).to.equal(true);
  });
});
