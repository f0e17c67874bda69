import { expect } from 'chai';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { SageError } from '../../src/errors/sage-error.js';

describe('JobFailedError', () => {
  it('names the job and operator, keeps the original error as cause', () => {
    const original = new RangeError('out of range');
    const e = new JobFailedError('etl', 'parse', original);
    expect(e).to.be.instanceOf(SageError);
    expect(e.message).to.equal('Job etl failed in parse: out of range');
    expect(e.cause).to.equal(original);
    expect(e.jobName).to.equal('etl');
    expect(e.operator).to.equal('parse');
  });

  it('accepts a thrown non-Error', () => {
    const e = new JobFailedError('etl', 'parse', 'plain string');
    expect(e.message).to.equal('Job etl failed in parse: plain string');
    expect(e.cause).to.equal('plain string');
  });
});
