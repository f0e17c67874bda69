import { expect } from 'chai';
import fc from 'fast-check';
import {
  isSnapshotShape,
  snapshotShapeProblem,
} from '../../../../src/kernel/jobmanager/protocol/snapshot-shape.js';

/** The plain model: a non-array object whose `operators` is a non-array object of arrays of objects (or null). */
function modelAccepts(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const operators = (value as { operators?: unknown }).operators;
  if (typeof operators !== 'object' || operators === null || Array.isArray(operators)) return false;
  const entry = (i: unknown): boolean => i === null || (typeof i === 'object' && !Array.isArray(i));
  return Object.values(operators).every((v) => Array.isArray(v) && v.every(entry));
}

describe('snapshotShapeProblem', () => {
  it('accepts exactly the values the model accepts, for any JSON value, with a reason otherwise', () => {
    const instances = fc.array(fc.oneof(fc.constant({}), fc.record({ fields: fc.jsonValue() })), {
      maxLength: 3,
    });
    const operators = fc.dictionary(fc.string(), fc.oneof(instances, fc.jsonValue()), { maxKeys: 4 });
    const candidate = fc.oneof(
      fc.jsonValue(),
      fc.record({ job: fc.string(), operators }),
      fc.record({ operators: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(candidate, (value) => {
        const problem = snapshotShapeProblem(value);
        expect(problem === undefined).to.equal(modelAccepts(value));
        expect(isSnapshotShape(value)).to.equal(modelAccepts(value));
        if (problem !== undefined) expect(problem).to.be.a('string').and.not.equal('');
      }),
    );
  });

  it('says what is wrong, briefly', () => {
    expect(snapshotShapeProblem(null)).to.equal('it is null, not an object');
    expect(snapshotShapeProblem([])).to.equal('it is an array, not an object');
    expect(snapshotShapeProblem({})).to.equal('it has no field "operators"');
    expect(snapshotShapeProblem({ operators: [] })).to.contain('"operators" must be an object');
    expect(snapshotShapeProblem({ operators: { count: 'x'.repeat(500) } })).to.equal(
      'operators["count"] must be an array of instance entries, got a string of 500 characters',
    );
    expect(snapshotShapeProblem({ operators: { count: [{}, 7] } })).to.equal(
      'operators["count"] holds an instance entry that is not an object: number 7',
    );
    expect(snapshotShapeProblem({ job: 'j', takenAt: 't', operators: { count: [{}] } })).to.equal(undefined);
  });
});
