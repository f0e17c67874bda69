import { expect } from 'chai';
import { Subject } from 'rxjs';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

function newEnv(name: string, jm: JobManager): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: jm, logLevel: 'silent' });
}

function status(jm: JobManager, uuid: string): ReturnType<JobManager['listJobs']>[number] {
  const s = jm.getJobStatus(uuid);
  if (s.status === 'not_found') throw new Error('job lost');
  return s;
}

describe("errors in user code never escape the per-record handling (default 'skip')", () => {
  it('a flatMap whose returned generator throws part-way: the items before the throw go on, the job goes on', async () => {
    const jm = new JobManager();
    const env = newEnv('gen-throws', jm);
    const out: number[] = [];
    env
      .fromBatch([1, 2, 3])
      .flatMap(
        function* (x: number) {
          yield x * 10;
          if (x === 2) throw new Error('generator broke');
          yield x * 10 + 1;
        },
        { name: 'gen' },
      )
      .sink((x) => {
        out.push(x);
      });
    const uuid = await env.submit({ autostop: true });
    expect(out).to.deep.equal([10, 11, 20, 30, 31]);
    expect(status(jm, uuid).operators.find((o) => o.operator === 'gen')).to.include({
      errors: 1,
      lastError: 'generator broke',
    });
  });

  it('an Observer sink whose complete() throws: counted, the job completes', async () => {
    const jm = new JobManager();
    const env = newEnv('observer-complete', jm);
    const seen: number[] = [];
    env.fromBatch([1, 2]).sink(
      {
        next: (x: number) => {
          seen.push(x);
        },
        complete: () => {
          throw new Error('complete broke');
        },
      },
      { name: 'obs' },
    );
    const uuid = await env.submit({ autostop: true });
    expect(seen).to.deep.equal([1, 2]);
    expect(status(jm, uuid).status).to.equal('completed');
    expect(status(jm, uuid).operators.find((o) => o.operator === 'obs')?.errors).to.equal(1);
  });

  it('a function whose constructor throws: submit rejects and the job is failed at once, not running', async () => {
    class Broken extends MapFunction<number, number> {
      constructor() {
        super();
        throw new Error('cannot build');
      }
      execute(x: number): number {
        return x;
      }
    }
    const jm = new JobManager();
    const env = newEnv('ctor-throws', jm);
    const input = new Subject<number>();
    env
      .fromObservable(input)
      .map(Broken)
      .sink(() => undefined);
    let error: Error | undefined;
    await env.submit().catch((e: unknown) => {
      error = e as Error;
    });
    expect(error?.message).to.match(/cannot build/);
    const jobs = jm.listJobs();
    expect(jobs.map((j) => j.status)).to.deep.equal(['failed']);
    expect(jobs[0]?.error).to.match(/cannot build/);
    expect(jm.healthCheck().running).to.equal(0);
    expect(input.observed).to.equal(false);
  });
});
