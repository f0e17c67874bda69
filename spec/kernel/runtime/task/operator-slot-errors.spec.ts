import { expect } from 'chai';
import { Subject } from 'rxjs';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { waitFor } from '../../../helpers/wait-for.js';

function errorsOf(jm: JobManager, operator: string): number | undefined {
  return jm.listJobs()[0]?.operators.find((o) => o.operator === operator)?.errors;
}

describe('errors in lifecycle hooks are counted in the operator metrics', () => {
  it('close() that throws or rejects: counted once per instance, logged, the job completes', async () => {
    class ThrowingClose extends SinkFunction<number> {
      execute(): void {
        // records are fine
      }
      close(): void {
        throw new Error('close broke');
      }
    }
    class RejectingClose extends MapFunction<number, number> {
      execute(x: number): number {
        return x;
      }
      close(): Promise<void> {
        return Promise.reject(new Error('close rejected'));
      }
    }
    const jm = new JobManager();
    const env = new LocalEnvironment('close-errors', { jobManager: jm, logLevel: 'silent' });
    env
      .fromBatch([1, 2, 3])
      .map(RejectingClose, { name: 'm' })
      .sink(ThrowingClose, { name: 's', parallelism: 2 });
    await env.submit({ autostop: true });
    expect(jm.listJobs()[0]?.status).to.equal('completed');
    expect(errorsOf(jm, 's')).to.equal(2);
    expect(errorsOf(jm, 'm')).to.equal(1);
  });

  it('snapshotState() that throws: counted, the snapshot is taken without that state, the job goes on', async () => {
    class ThrowingSnapshot extends MapFunction<number, number> {
      execute(x: number): number {
        return x;
      }
      override snapshotState(): unknown {
        throw new Error('snapshot broke');
      }
    }
    const jm = new JobManager();
    const env = new LocalEnvironment('snapshot-errors', { jobManager: jm, logLevel: 'silent' });
    const input = new Subject<number>();
    const out: number[] = [];
    env
      .fromObservable(input)
      .map(ThrowingSnapshot, { name: 'm' })
      .sink((x) => {
        out.push(x);
      });
    const uuid = await env.submit();
    input.next(1);
    const snapshot = await jm.snapshotJob(uuid);
    expect(snapshot).to.be.an('object');
    expect(errorsOf(jm, 'm')).to.equal(1);
    input.next(2);
    input.complete();
    await waitFor(() => jm.getJobStatus(uuid).status === 'completed');
    expect(out).to.deep.equal([1, 2]);
  });
});
