import { expect } from 'chai';
import { AuthenticationError } from '../../../../src/errors/authentication-error.js';
import { HttpRequestError } from '../../../../src/errors/http-request-error.js';
import { JobModuleError } from '../../../../src/errors/job-module-error.js';
import { JobNotFoundError } from '../../../../src/errors/job-not-found-error.js';
import { JobStateError } from '../../../../src/errors/job-state-error.js';
import { ModuleNotAllowedError } from '../../../../src/errors/module-not-allowed-error.js';
import { ProtocolError } from '../../../../src/errors/protocol-error.js';
import { UsageError } from '../../../../src/errors/usage-error.js';
import { statusCodeOf } from '../../../../src/kernel/jobmanager/http/status-code-of.js';

describe('statusCodeOf', () => {
  it('maps each failure to its HTTP status', () => {
    expect(statusCodeOf(new HttpRequestError(413, 'too big'))).to.equal(413);
    expect(statusCodeOf(new AuthenticationError())).to.equal(401);
    expect(statusCodeOf(new JobNotFoundError('x'))).to.equal(404);
    expect(statusCodeOf(new JobStateError('running'))).to.equal(409);
    expect(statusCodeOf(new ModuleNotAllowedError('m', 'outside'))).to.equal(400);
    expect(statusCodeOf(new JobModuleError('threw'))).to.equal(400);
    expect(statusCodeOf(new UsageError('bad'))).to.equal(400);
    expect(statusCodeOf(new ProtocolError('bad'))).to.equal(400);
    expect(statusCodeOf(new Error('boom'))).to.equal(500);
    expect(statusCodeOf('not even an error')).to.equal(500);
  });
});
