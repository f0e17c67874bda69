import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { BackendOptionsError } from '../../../src/errors/backend-options-error.js';
import { checkBackendSpec } from '../../../src/kernel/backend/check-backend-spec.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

const KEYED_SUM = new URL('../../fixtures/jobs/keyed-sum.ts', import.meta.url);

function rejection(spec: unknown): BackendOptionsError {
  try {
    checkBackendSpec(spec);
  } catch (e) {
    expect(e).to.be.instanceOf(BackendOptionsError);
    return e as BackendOptionsError;
  }
  throw new Error(`checkBackendSpec accepted ${JSON.stringify(spec)}`);
}

describe('checkBackendSpec', () => {
  it('accepts the forms of the contract unchanged', () => {
    const forms = [
      undefined,
      'in-process',
      { kind: 'in-process' },
      { kind: 'threads' },
      { kind: 'threads', workers: 3, batchSize: 10, credits: 4 },
      { kind: 'redis', url: 'redis://127.0.0.1:6379' },
      { kind: 'redis', url: 'rediss://cache:6380', leaseMs: 500, jobRoot: 'jobs' },
      { kind: 'redis', url: 'redis+cluster://10.0.0.1:7000,10.0.0.2:7000' },
      { kind: 'redis', url: 'rediss+cluster://10.0.0.1:7000' },
    ];
    for (const spec of forms) expect(checkBackendSpec(spec)).to.equal(spec);
  });

  it('refuses an unknown backend, naming it and the forms to use', () => {
    for (const spec of ['threads', 'kafka', 4, null, { kind: 'kafka' }, {}]) {
      expect(rejection(spec).message).to.include("{ kind: 'threads', workers? }");
    }
    expect(rejection({ kind: 'kafka' }).message).to.include('"kafka" is not a backend');
  });

  it('refuses threads counts that are not positive integers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('workers', 'batchSize', 'credits'),
        fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.string()),
        (option, value) => {
          const e = rejection({ kind: 'threads', [option]: value });
          expect(e.option).to.equal(option);
          expect(e.message).to.include('must be a positive integer');
        },
      ),
    );
  });

  it('refuses a Redis backend without a redis:// URL, or with a bad leaseMs', () => {
    for (const url of [undefined, '', 'nonsense', 'http://127.0.0.1:6379', 6379]) {
      const e = rejection({ kind: 'redis', url });
      expect(e.option).to.equal('url');
      expect(e.message).to.include("url: 'redis://127.0.0.1:6379'");
    }
    expect(rejection({ kind: 'redis', url: 'redis://h:1', leaseMs: 0 }).option).to.equal('leaseMs');
  });

  it('makes submit reject before any job starts, inline or from a module', async () => {
    const jobManager = new JobManager();
    const inline = new LocalEnvironment('inline', { jobManager });
    inline.fromBatch([1]).sink(() => undefined);
    const bogus = { kind: 'kafka' } as unknown as { kind: 'threads' };
    expect(await inline.submit({ backend: bogus }).catch((e: unknown) => e)).to.be.instanceOf(
      BackendOptionsError,
    );
    const env = await LocalEnvironment.fromModule(KEYED_SUM, { config: { jobManager } });
    const e = await env.submit({ backend: { kind: 'threads', workers: 0 } }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(BackendOptionsError);
    expect(jobManager.listJobs()).to.deep.equal([]);
  });
});
