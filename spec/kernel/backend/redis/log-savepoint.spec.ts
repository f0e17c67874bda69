import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { collected, type CountedArgs } from './jobs/counted-batch.js';
import { byKey, drive, harness, model, MODULE, outputs, submitCounted } from './log-job-harness.js';

/** Runs the job module in-process from `snapshot` to its end; resolves with what it emitted. */
async function restoreInProcess(
  args: CountedArgs,
  snapshot: JobSnapshot,
): Promise<[string, number, number][]> {
  collected().length = 0;
  const { out: _out, ...inProcess } = args;
  const env = await LocalEnvironment.fromModule(MODULE, {
    args: { ...inProcess },
    config: { jobManager: new JobManager() },
  });
  await env.submit({ restore: JSON.parse(JSON.stringify(snapshot)) as JobSnapshot, autostop: true });
  return [...collected()];
}

/** Every key's count in the snapshot's keyed state of `count`. */
function countsIn(snapshot: JobSnapshot): Map<string, number> {
  const counts = new Map<string, number>();
  for (const instance of snapshot.operators.count ?? []) {
    for (const tables of Object.values(instance.keyed ?? {})) {
      const column = tables.count;
      column?.keys.forEach((k, i) => counts.set(k as string, column.values[i] as number));
    }
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

function finalCounts(args: CountedArgs): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [k, , n] of model(args)) counts.set(k, n);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

describe('Savepoints of Redis jobs, read from the committed state (MemoryLog)', () => {
  it('a savepoint taken mid-stream, restored in-process, completes the output exactly (against the model)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 150 }), async (after) => {
        const h = harness(2);
        const args = { n: 200, keys: 7, parallelism: 2, out: 'out', everyMs: 2 };
        const uuid = await submitCounted(h, args);
        await drive(h.workers, () => h.log.entries('out').length >= after, `${String(after)} outputs`);
        const snapshot = await h.jm.stopJob(uuid, { savepoint: true });
        expect(h.jm.getJobStatus(uuid).status).to.equal('stopped');
        await drive(h.workers, () => h.workers.every((w) => w.tasks.length === 0), 'the tasks released');
        const before = outputs(h.log, 'out');
        const rest = await restoreInProcess(args, snapshot);
        expect(byKey([...before, ...rest])).to.deep.equal(byKey(model(args)));
        for (const w of h.workers) await w.stop();
      }),
      { numRuns: 3 },
    );
  });

  it('a savepoint of a running job leaves it running; of a finished job it holds the final counts', async () => {
    const h = harness(2);
    const args = { n: 160, keys: 6, parallelism: 2, out: 'out', everyMs: 2 };
    const uuid = await submitCounted(h, args);
    await drive(h.workers, () => h.log.entries('out').length >= 8, 'some output');
    const mid = await h.jm.snapshotJob(uuid);
    expect(mid.operators.src?.length).to.equal(1);
    expect(h.jm.getJobStatus(uuid).status).to.equal('running');
    await drive(h.workers, () => h.jm.getJobStatus(uuid).status === 'completed', 'completion');
    const last = await h.jm.snapshotJob(uuid);
    expect(last.inflight).to.equal(undefined);
    expect(countsIn(last)).to.deep.equal(finalCounts(args));
    expect(await restoreInProcess(args, last)).to.deep.equal([]);
    for (const w of h.workers) await w.stop();
  });
});
