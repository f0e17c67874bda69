import { expect } from 'chai';
import { SageError } from '../../src/errors/sage-error.js';
import { JobStateError } from '../../src/errors/job-state-error.js';
import { PipelineBuildError } from '../../src/errors/pipeline-build-error.js';

describe('SageError', () => {
  it('is an Error named after the concrete class, with an optional cause', () => {
    const cause = new Error('inner');
    const e = new PipelineBuildError('bad plan', { cause });
    expect(e).to.be.instanceOf(SageError).and.instanceOf(Error);
    expect(e.name).to.equal('PipelineBuildError');
    expect(e.message).to.equal('bad plan');
    expect(e.cause).to.equal(cause);
    expect(new JobStateError('x').name).to.equal('JobStateError');
  });
});
