import { expect } from 'chai';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { SnapshotMismatchError } from '../../../src/errors/snapshot-mismatch-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../src/kernel/jobmanager/job-status.js';
import type { JobSnapshot } from '../../../src/kernel/runtime/state/job-snapshot.js';

/** Sums each key's values in keyed state and emits the running sum. */
class KeyedSum extends MapFunction<number, [number, number]> {
  execute(x: number): [number, number] {
    const sum = this.ctx.state.value('sum', 0);
    sum.update((s) => s + x);
    return [x % 10, sum.get()];
  }
}

const input = Array.from({ length: 200 }, (_, i) => i);

/** Runs the keyed sum over `records`, restoring `restore`; returns the last sum of every key. */
async function keyedSums(
  jm: JobManager,
  maxParallelism: number,
  records: readonly number[],
  restore?: JobSnapshot,
): Promise<{ uuid: string; sums: Map<number, number> }> {
  const env = new LocalEnvironment('sums', { jobManager: jm, logLevel: 'silent', maxParallelism });
  const sums = new Map<number, number>();
  env
    .fromBatch(records, { name: 'numbers' })
    .keyBy((x) => x % 10)
    .map(KeyedSum, { name: 'sum', parallelism: 2 })
    .sink(([k, s]) => void sums.set(k, s), { name: 'out' });
  const uuid = await env.submit({ autostop: true, ...(restore !== undefined ? { restore } : {}) });
  return { uuid, sums };
}

describe('Dispatcher: restoring a snapshot', () => {
  it('a snapshot with state of an operator the job lacks rejects submit with SnapshotMismatchError itself', async () => {
    const jm = new JobManager();
    const { uuid } = await keyedSums(jm, 128, input);
    const snapshot = await jm.snapshotJob(uuid);
    const env = new LocalEnvironment('other', { jobManager: jm, logLevel: 'silent' });
    env.fromBatch([1], { name: 'numbers' }).sink(() => undefined, { name: 'elsewhere' });

    let error: unknown;
    await env.submit({ autostop: true, restore: snapshot }).catch((e: unknown) => (error = e));

    expect(error).to.be.instanceOf(SnapshotMismatchError);
    expect((error as Error).message).to.match(/'sum'.*allowNonRestoredState/);
    const failed = jm.listJobs().at(-1);
    expect((jm.getJobStatus(failed?.uuid ?? '') as JobStatus).status).to.equal('failed');
  });

  it('keyed state saved under another maxParallelism is refused (SnapshotMismatchError), never misplaced', async () => {
    const jm = new JobManager();
    const { uuid } = await keyedSums(jm, 4, input.slice(0, 100));
    const snapshot = JSON.parse(JSON.stringify(await jm.snapshotJob(uuid))) as JobSnapshot;

    let error: unknown;
    await keyedSums(jm, 8, input, snapshot).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(SnapshotMismatchError);
    expect((error as Error).message).to.match(/maxParallelism \(4\) than this job's 8/);

    // Under the same maxParallelism, every key goes on from its saved sum.
    const { sums } = await keyedSums(jm, 4, input.slice(100), snapshot);
    for (let k = 0; k < 10; k++) {
      const expected = input.filter((x) => x % 10 === k).reduce((a, b) => a + b, 0);
      expect(sums.get(k), `key ${String(k)}`).to.equal(expected);
    }
  });
});
