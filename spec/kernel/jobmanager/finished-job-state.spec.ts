import { expect } from 'chai';
import { Subject } from 'rxjs';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { JobStateError } from '../../../src/errors/job-state-error.js';
import { UsageError } from '../../../src/errors/usage-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

/** Counts per key in keyed state (the state a finished job holds). */
class CountPerKey extends MapFunction<number, number> {
  execute(x: number): number {
    const count = this.ctx.state.value<number>('count', 0);
    count.set(count.get() + 1);
    return x;
  }
}

async function runJob(jm: JobManager, name: string): Promise<string> {
  const env = new LocalEnvironment(name, { jobManager: jm, logLevel: 'silent' });
  env
    .fromBatch([1, 2, 3, 1])
    .keyBy((x) => x)
    .map(CountPerKey, { name: 'count' })
    .sink(() => undefined);
  return env.submit({ autostop: true });
}

describe('finished jobs and their final state', () => {
  it('keep the final state of the latest maxFinishedJobStates ended jobs; older ones keep status and counters only', async () => {
    const jm = new JobManager({ maxFinishedJobStates: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await runJob(jm, `job-${String(i)}`));
    for (const id of ids.slice(0, 2)) {
      const error = await jm.snapshotJob(id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(JobStateError);
      expect((error as Error).message).to.match(/maxFinishedJobStates/);
      expect(jm.getJobStatus(id).status).to.equal('completed');
      const counts = jm
        .getJob(id)
        ?.dispatcher.metrics()
        .find((m) => m.operator === 'count');
      expect([counts?.in, counts?.out]).to.deep.equal([4, 4]);
    }
    for (const id of ids.slice(2)) {
      const snapshot = await jm.snapshotJob(id);
      expect(JSON.stringify(snapshot)).to.contain('count');
    }
  });

  it('keep ten by default, and refuse a count that is not a whole number of jobs', async () => {
    const jm = new JobManager();
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push(await runJob(jm, `default-${String(i)}`));
    await jm.snapshotJob(ids[1] as string);
    await jm.snapshotJob(ids[10] as string);
    const error = await jm.snapshotJob(ids[0] as string).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(JobStateError);
    expect(() => new JobManager({ maxFinishedJobStates: -1 })).to.throw(UsageError, 'maxFinishedJobStates');
    expect(() => new JobManager({ maxFinishedJobStates: 1.5 })).to.throw(UsageError, 'whole number');
  });

  it('keep the state of the jobs that finished last, whatever order they were submitted in', async () => {
    const jm = new JobManager({ maxFinishedJobStates: 1 });
    const input = new Subject<number>();
    const env = new LocalEnvironment('finishes-last', { jobManager: jm, logLevel: 'silent' });
    env
      .fromObservable(input)
      .keyBy((x) => x)
      .map(CountPerKey, { name: 'count' })
      .sink(() => undefined);
    const first = env.submit({ autostop: true });
    const second = await runJob(jm, 'finishes-first');
    input.next(1);
    input.complete();
    const firstId = await first;
    expect(JSON.stringify(await jm.snapshotJob(firstId))).to.contain('count');
    const error = await jm.snapshotJob(second).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(JobStateError);
  });
});
