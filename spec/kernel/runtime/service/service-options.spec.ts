import { expect } from 'chai';
import { ServiceFactory } from '../../../../src/core/api/factory/service-factory.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { RetryableError } from '../../../../src/errors/retryable-error.js';
import { ServiceOptionsError } from '../../../../src/errors/service-options-error.js';
import { ServiceTimeoutError } from '../../../../src/errors/service-timeout-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import {
  backoffDelay,
  isRetryable,
  resolveRetryOptions,
} from '../../../../src/kernel/runtime/service/retry-options.js';
import {
  resolveServiceOptions,
  type ServiceOptions,
} from '../../../../src/kernel/runtime/service/service-options.js';

class Plain {
  process(x: number) {
    return x;
  }
}

class Batching extends Plain {
  processBatch(xs: number[]) {
    return xs;
  }
}

function refused(options: unknown): string {
  try {
    resolveServiceOptions('svc', options as ServiceOptions);
  } catch (e) {
    expect(e).to.be.instanceOf(ServiceOptionsError);
    return (e as Error).message;
  }
  return expect.fail(`accepted ${JSON.stringify(options)}`);
}

describe('service options for AI workloads', () => {
  it('refuses bad batch, retry and rate-limit options at registration, saying what to pass', () => {
    expect(refused({ batch: { maxSize: 0, maxWaitMs: 5 } })).to.match(
      /batch\.maxSize must be an integer ≥ 1/,
    );
    expect(refused({ batch: { maxSize: 4, maxWaitMs: -1 } })).to.match(/batch\.maxWaitMs must be .* ≥ 0/);
    expect(refused({ batch: 3 })).to.match(/batch must be an object \{ maxSize, maxWaitMs \}/);
    expect(refused({ retry: { initialDelayMs: -5 } })).to.match(
      /retry\.initialDelayMs must be .* ≥ 0, got number -5/,
    );
    expect(refused({ retry: { maxDelayMs: -1 } })).to.match(/retry\.maxDelayMs/);
    expect(refused({ retry: { attempts: 1.5 } })).to.match(/retry\.attempts must be an integer ≥ 1/);
    expect(refused({ retry: { multiplier: 0.5 } })).to.match(/retry\.multiplier must be a finite number ≥ 1/);
    expect(refused({ retry: { jitter: 2 } })).to.match(/retry\.jitter must be a fraction from 0 to 1/);
    expect(refused({ retry: { perAttemptTimeoutMs: 0 } })).to.match(/retry\.perAttemptTimeoutMs/);
    expect(refused({ retry: { retryOn: 'always' } })).to.match(/retry\.retryOn must be a function/);
    expect(refused({ rateLimit: { perSecond: 0 } })).to.match(
      /rateLimit\.perSecond must be a finite number > 0/,
    );
    expect(refused({ rateLimit: { perSecond: -3 } })).to.match(/rateLimit\.perSecond/);
    expect(refused({ rateLimit: { perSecond: 5, burst: 0.5 } })).to.match(/rateLimit\.burst must be .* ≥ 1/);
    expect(refused({ rateLimit: { perSecond: 5, cost: 2 } })).to.match(/rateLimit\.cost must be a function/);
    expect(refused({ timeoutIncludesQueue: 'yes' })).to.match(/timeoutIncludesQueue must be true or false/);
  });

  it('refuses a batch option on a service without processBatch, in ServiceFactory and in a pipeline service', () => {
    expect(() => new ServiceFactory('p', Plain, [], { batch: { maxSize: 8, maxWaitMs: 1 } })).to.throw(
      ServiceOptionsError,
      /batch needs a service that implements processBatch.*Plain does not/,
    );
    expect(
      new ServiceFactory('b', Batching, [], { batch: { maxSize: 8, maxWaitMs: 1 } }).options.batch,
    ).to.deep.equal({
      maxSize: 8,
      maxWaitMs: 1,
    });
    const env = new LocalEnvironment('opts', { jobManager: new JobManager(), logLevel: 'silent' });
    expect(() =>
      env.registerPipelineService('pipe', (r) => r, { batch: { maxSize: 2, maxWaitMs: 1 } }),
    ).to.throw(ServiceOptionsError, /not available for a pipeline service/);
  });

  it('fills in the retry defaults and computes capped backoffs, with jitter only shortening them', () => {
    const retry = resolveRetryOptions('svc', {});
    expect(retry).to.include({
      attempts: 3,
      initialDelayMs: 100,
      maxDelayMs: 10_000,
      multiplier: 2,
      jitter: 0,
    });
    expect([1, 2, 3, 4].map((k) => backoffDelay(retry, k))).to.deep.equal([100, 200, 400, 800]);
    const capped = resolveRetryOptions('svc', { maxDelayMs: 300 });
    expect(backoffDelay(capped, 5)).to.equal(300);
    const jittered = resolveRetryOptions('svc', { jitter: 0.5 });
    for (let i = 0; i < 50; i++) expect(backoffDelay(jittered, 2)).to.be.within(100, 200);
  });

  it('retries by default timeouts, RetryableError and errors with status 429 or ≥ 500', () => {
    expect(isRetryable(new ServiceTimeoutError('s', 'process', 5))).to.equal(true);
    expect(isRetryable(new RetryableError('again'))).to.equal(true);
    expect(isRetryable({ status: 429 })).to.equal(true);
    expect(isRetryable({ status: 500 })).to.equal(true);
    expect(isRetryable({ status: 499 })).to.equal(false);
    expect(isRetryable(new Error('x'))).to.equal(false);
    expect(isRetryable('429')).to.equal(false);
    expect(new RetryableError('busy', { status: 503 }).status).to.equal(503);
  });
});
