import { expect } from 'chai';
import { RetryableError } from '../../src/errors/retryable-error.js';
import { SageError } from '../../src/errors/sage-error.js';
import { ServiceHookTimeoutError } from '../../src/errors/service-hook-timeout-error.js';
import { ServiceOptionsError } from '../../src/errors/service-options-error.js';
import { ServiceSetupError } from '../../src/errors/service-setup-error.js';

describe('service errors', () => {
  it('ServiceOptionsError names the service and the option, and says what was wrong', () => {
    const e = new ServiceOptionsError('embed', 'batch.maxSize', 'must be an integer ≥ 1, got number 0');
    expect(e).to.be.instanceOf(SageError);
    expect(e.name).to.equal('ServiceOptionsError');
    expect([e.service, e.option]).to.deep.equal(['embed', 'batch.maxSize']);
    expect(e.message).to.equal('Service embed: batch.maxSize must be an integer ≥ 1, got number 0');
  });

  it('RetryableError keeps its status and cause', () => {
    const cause = new Error('503 from upstream');
    const e = new RetryableError('busy', { status: 503, cause });
    expect(e).to.be.instanceOf(SageError);
    expect(e.status).to.equal(503);
    expect(e.cause).to.equal(cause);
    expect(new RetryableError('again').status).to.equal(undefined);
  });

  it('ServiceHookTimeoutError names the hook and the timeout, and how to raise it', () => {
    const e = new ServiceHookTimeoutError('db', 'stop', 500);
    expect([e.service, e.hook, e.timeout]).to.deep.equal(['db', 'stop', 500]);
    expect(e.message).to.contain('stop() did not settle within 500 ms').and.contain('serviceHookTimeoutMs');
  });

  it('ServiceSetupError tells a failed constructor from a failed setup()', () => {
    const cause = new Error('no index');
    expect(new ServiceSetupError('db', cause).message).to.contain('could not be constructed: no index');
    const setup = new ServiceSetupError('db', cause, 'setup');
    expect(setup.stage).to.equal('setup');
    expect(setup.cause).to.equal(cause);
    expect(setup.message).to.contain('setup() failed (no index)').and.contain('serves no calls');
  });
});
