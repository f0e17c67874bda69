import { expect } from 'chai';
import fc from 'fast-check';
import { successShapeProblem } from '../../../../src/kernel/jobmanager/client/response-shape.js';
import { ACTIONS } from '../../../../src/kernel/jobmanager/protocol/messages.js';

describe('successShapeProblem', () => {
  it('accepts the success answers the server gives, with extra fields', () => {
    expect(successShapeProblem('submit_job', { status: 'success', job_uuid: 'u', extra: 1 })).to.equal(
      undefined,
    );
    expect(successShapeProblem('list_jobs', { jobs: [], total: 0 })).to.equal(undefined);
    expect(successShapeProblem('delete_job', {})).to.equal(undefined);
    expect(successShapeProblem('trigger_savepoint', { savepoint: { operators: {} } })).to.equal(undefined);
  });

  it('names the missing or mistyped field and what it must be', () => {
    expect(successShapeProblem('submit_job', {})).to.equal(
      'field "job_uuid" is missing (it must be a string)',
    );
    expect(successShapeProblem('get_job_status', { job_status: null })).to.equal(
      'field "job_status" is null, not an object',
    );
    expect(successShapeProblem('list_jobs', { jobs: {}, total: 1 })).to.equal(
      'field "jobs" is an object, not an array',
    );
    expect(successShapeProblem('list_jobs', { jobs: [], total: '1' })).to.equal(
      'field "total" is a string, not a number',
    );
  });

  it('finds a problem in every answer but delete_job that carries none of its fields', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), fc.dictionary(fc.string(), fc.jsonValue()), (action, junk) => {
        const answer = Object.fromEntries(
          Object.entries(junk).filter(
            ([k]) =>
              ![
                'job_uuid',
                'job_status',
                'jobs',
                'total',
                'daemon_status',
                'savepoint',
                'server_info',
              ].includes(k),
          ),
        );
        const problem = successShapeProblem(action, answer);
        expect(problem === undefined).to.equal(action === 'delete_job');
      }),
    );
  });
});
