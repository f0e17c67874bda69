import { expect } from 'chai';
import { PlanMismatchError } from '../../src/errors/plan-mismatch-error.js';
import { BackendUnavailableError } from '../../src/errors/backend-unavailable-error.js';
import { SageError } from '../../src/errors/sage-error.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';

describe('PlanMismatchError and BackendUnavailableError', () => {
  it('PlanMismatchError names the worker, both fingerprints and what to do', () => {
    const e = new PlanMismatchError('worker 1', 'a'.repeat(64), 'b'.repeat(64));
    expect(e).to.be.instanceOf(SageError).and.instanceOf(JobFailedError);
    expect(e.name).to.equal('PlanMismatchError');
    expect(e.operator).to.equal('worker 1');
    expect([e.worker, e.expected, e.actual]).to.deep.equal(['worker 1', 'a'.repeat(64), 'b'.repeat(64)]);
    expect(e.message).to.include('worker 1').and.include('aaaaaaaaaaaa').and.include('Math.random()');
  });

  it('BackendUnavailableError says which backend and why', () => {
    const e = new BackendUnavailableError('threads', 'no such backend');
    expect(e).to.be.instanceOf(SageError);
    expect(e.backend).to.equal('threads');
    expect(e.message).to.equal('The threads backend cannot run this job: no such backend');
    expect(BackendUnavailableError.inline('threads', 'etl').message).to.include('job etl was built inline');
  });
});
