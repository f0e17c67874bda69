import { expect } from 'chai';
import { Subject } from 'rxjs';
import { BatchFunction } from '../../../../src/core/api/function/batch-function.js';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobFailedError } from '../../../../src/errors/job-failed-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

async function submitError(
  env: LocalEnvironment,
  options: Parameters<LocalEnvironment['submit']>[0] = {},
): Promise<unknown> {
  try {
    await env.submit(options);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('an operator that cannot be built fails the job naming that operator', () => {
  it("a function whose restoreState throws: submit rejects with JobFailedError in that operator, the job is 'failed'", async () => {
    class BrokenRestore extends MapFunction<number, number> {
      seen = 0;
      execute(x: number): number {
        this.seen++;
        return x;
      }
      override restoreState(): void {
        throw new Error('restore broke');
      }
    }
    const jm = new JobManager();
    const first = new LocalEnvironment('restore', { jobManager: jm, logLevel: 'silent' });
    const input = new Subject<number>();
    first
      .fromObservable(input)
      .map(BrokenRestore, { name: 'm' })
      .sink(() => undefined);
    const uuid = await first.submit();
    input.next(1);
    const snapshot = await jm.stopJob(uuid, { savepoint: true });

    const second = new LocalEnvironment('restore', { jobManager: jm, logLevel: 'silent' });
    second
      .fromBatch([2])
      .map(BrokenRestore, { name: 'm' })
      .sink(() => undefined);
    const error = await submitError(second, { restore: snapshot, allowNonRestoredState: true });
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as JobFailedError).operator).to.equal('m');
    expect((error as JobFailedError).message).to.contain('restore broke');
    expect(jm.listJobs().map((j) => j.status)).to.deep.equal(['stopped', 'failed']);
  });

  it('a source class whose constructor throws: the error names the source', async () => {
    class BrokenSource extends BatchFunction<number> {
      constructor() {
        super();
        throw new Error('no source today');
      }
      execute(): undefined {
        return undefined;
      }
    }
    const jm = new JobManager();
    const env = new LocalEnvironment('broken-source', { jobManager: jm, logLevel: 'silent' });
    env.fromBatch(BrokenSource, { name: 'src' }).sink(() => undefined);
    const error = await submitError(env, { autostop: true });
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as JobFailedError).operator).to.equal('src');
    expect(jm.listJobs()[0]?.status).to.equal('failed');
  });
});
