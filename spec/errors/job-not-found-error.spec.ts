import { expect } from 'chai';
import { JobNotFoundError } from '../../src/errors/job-not-found-error.js';

describe('JobNotFoundError', () => {
  it('carries the uuid and says how to find the known ones', () => {
    const e = new JobNotFoundError('abc');
    expect(e.uuid).to.equal('abc');
    expect(e.message).to.include('abc').and.include('listJobs()');
  });
});
