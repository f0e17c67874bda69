import { expect } from 'chai';
import { of, throwError, concat } from 'rxjs';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobFailedError } from '../../../src/errors/job-failed-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import type { ErrorPolicy } from '../../../src/kernel/runtime/error-policy.js';
import { hostileThrowables } from '../../helpers/hostile-throwables.js';

type Shape = 'throws' | 'rejects' | 'errors';

function fails(shape: Shape, value: unknown): unknown {
  if (shape === 'throws') throw value;
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejecting with a non-Error is the point
  if (shape === 'rejects') return Promise.reject(value);
  return concat(
    of(-1),
    throwError(() => value),
  );
}

async function runJob(
  shape: Shape,
  make: () => unknown,
  errorPolicy: ErrorPolicy,
): Promise<{ out: number[]; error: unknown; jm: JobManager }> {
  const jm = new JobManager();
  const env = new LocalEnvironment('hostile', {
    jobManager: jm,
    logLevel: 'warn',
    logSink: () => undefined,
    errorPolicy,
  });
  const out: number[] = [];
  env
    .fromBatch([1, 2, 3, 4])
    .map((x: number) => (x === 2 ? fails(shape, make()) : shape === 'errors' ? of(x) : x), { name: 'm' })
    .sink((x) => {
      out.push(x as number);
    });
  let error: unknown;
  await env.submit({ autostop: true }).catch((e: unknown) => {
    error = e;
  });
  return { out, error, jm };
}

describe('a function that throws something hostile (a Proxy, an object without a prototype, …)', () => {
  for (const [name, make] of Object.entries(hostileThrowables)) {
    for (const shape of ['throws', 'rejects', 'errors'] as const) {
      it(`${shape} ${name}: under 'skip' the record is dropped and counted, under 'fail' the job fails in the operator`, async () => {
        const skipped = await runJob(shape, make, 'skip');
        expect(skipped.error).to.equal(undefined);
        expect([...skipped.out].sort()).to.deep.equal(shape === 'errors' ? [-1, 1, 3, 4] : [1, 3, 4]);
        const stats = skipped.jm.listJobs()[0];
        expect(stats?.status).to.equal('completed');
        expect(stats?.operators.find((o) => o.operator === 'm')?.errors).to.equal(1);

        const failed = await runJob(shape, make, 'fail');
        expect(failed.error).to.be.instanceOf(JobFailedError);
        expect((failed.error as JobFailedError).operator).to.equal('m');
        expect(failed.jm.listJobs()[0]?.status).to.equal('failed');
      });
    }
  }
});
