import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../../../src/kernel/jobmanager/checkpoint-store.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { waitFor } from '../../helpers/wait-for.js';
import type { JobSnapshot } from '../../../src/kernel/runtime/state/job-snapshot.js';

function snapshot(id: number, payload: unknown = id): JobSnapshot {
  return {
    job: 'j',
    takenAt: new Date(0).toISOString(),
    maxParallelism: 128,
    checkpointId: id,
    operators: { op: [{ fields: { payload } }] },
  };
}

describe('CheckpointStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sage-checkpoints-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('in memory: latest() after the save resolves, size of its JSON, last `retained` kept', async () => {
    const store = new CheckpointStore(undefined, 2);
    const first = store.save(snapshot(1, 'x'.repeat(100)), 5);
    expect(store.latest(), 'not completed before it is stored').to.equal(undefined);
    await first;
    await store.save(snapshot(2), 6);
    await store.save(snapshot(3), 7);
    expect(store.latest()?.checkpointId).to.equal(3);
    const stats = store.stats();
    expect(stats).to.include({ completed: 3, failed: 0, lastId: 3, lastDurationMs: 7 });
    expect(stats.lastSizeBytes).to.equal(Buffer.byteLength(JSON.stringify(snapshot(3))));
  });

  it('in a directory: one JSON file per checkpoint, no temporary file left, the last `retained` kept', async () => {
    const store = new CheckpointStore(dir, 2);
    await Promise.all([1, 2, 3].map((id) => store.save(snapshot(id), 1)));
    const files = readdirSync(dir).sort();
    expect(files).to.deep.equal(['checkpoint-00000002.json', 'checkpoint-00000003.json']);
    const saved = JSON.parse(readFileSync(join(dir, 'checkpoint-00000003.json'), 'utf8')) as JobSnapshot;
    expect(saved).to.deep.equal(JSON.parse(JSON.stringify(snapshot(3))));
  });

  it('in a directory: a large checkpoint (written in many batches) is its exact JSON', async () => {
    const store = new CheckpointStore(dir, 1);
    const large = snapshot(
      7,
      Array.from({ length: 40_000 }, (_, i) => ({ i, s: `v${String(i)}` })),
    );
    await store.save(large, 1);
    const text = readFileSync(join(dir, 'checkpoint-00000007.json'), 'utf8');
    expect(text).to.equal(JSON.stringify(large));
    expect(store.stats().lastSizeBytes).to.equal(Buffer.byteLength(text));
  });

  it('drops a checkpoint whose run failed while it was being written (not latest, not counted failed)', async () => {
    const store = new CheckpointStore(dir, 3);
    await store.save(snapshot(1), 1);
    let valid = true;
    const second = store.save(snapshot(2), 1, undefined, () => valid);
    valid = false;
    let rejected = false;
    await second.catch(() => {
      rejected = true;
    });
    expect(rejected).to.equal(true);
    expect(store.latest()?.checkpointId).to.equal(1);
    expect(store.stats()).to.include({ completed: 1, failed: 0 });
    expect(readdirSync(dir)).to.deep.equal(['checkpoint-00000001.json']);
  });

  it('drops a checkpoint whose run fails after the last write and before it becomes the latest', async () => {
    for (const where of [undefined, dir]) {
      const store = new CheckpointStore(where, 3);
      // The run fails while the save awaits its last step: valid at the first check, not at the end.
      let checks = 0;
      let told = false;
      const saving = store.save(
        snapshot(7),
        1,
        undefined,
        () => ++checks === 1,
        () => {
          told = true;
        },
      );
      let rejected = false;
      await saving.catch(() => {
        rejected = true;
      });
      expect(rejected, String(where)).to.equal(true);
      expect(store.latest(), String(where)).to.equal(undefined);
      expect(told, 'stored() not called').to.equal(false);
    }
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('counts a save that cannot be written as failed and goes on with the next', async () => {
    const store = new CheckpointStore(join(dir, 'sub'), 1);
    rmSync(join(dir, 'sub'), { recursive: true });
    await store.save(snapshot(1), 1).catch(() => undefined);
    expect(store.stats()).to.include({ completed: 0, failed: 1 });
  });
});

class Count extends MapFunction<number, number> {
  async execute(x: number): Promise<number> {
    const n = this.ctx.state.value('n', 0);
    n.set(n.get() + 1);
    if (x % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    return x;
  }
}

describe('periodic checkpoints to a directory', () => {
  it('writes the job’s checkpoints as files, the last `retained` kept, sizes as in the status', async function () {
    this.timeout(20_000);
    const dir = mkdtempSync(join(tmpdir(), 'sage-job-checkpoints-'));
    try {
      const jm = new JobManager();
      const env = new LocalEnvironment('to-disk', { jobManager: jm, logLevel: 'silent' });
      env.enableCheckpointing(1, { storage: dir, retained: 2 });
      const input = Array.from({ length: 20_000 }, (_, i) => i);
      env
        .fromBatch(input)
        .keyBy((x) => x % 5)
        .map(Count, { name: 'count' })
        .sink(() => undefined);
      const uuid = await env.submit({ autostop: true });
      await waitFor(() => {
        const s = jm.getJobStatus(uuid);
        return s.status !== 'not_found' && s.checkpoints.completed > 0;
      });
      // one folder per job, named by its uuid; a save still running when the job ended finishes after it
      const jobDir = join(dir, uuid);
      const jsonFiles = (): string[] => readdirSync(jobDir).filter((f) => f.endsWith('.json'));
      const newestId = (): number => Number(/\d+/.exec(jsonFiles().sort().at(-1) ?? '')?.[0] ?? -1);
      await waitFor(() => {
        const s = jm.getJobStatus(uuid);
        const settled = !readdirSync(jobDir).some((f) => f.endsWith('.tmp'));
        return (
          settled &&
          jsonFiles().length <= 2 &&
          s.status !== 'not_found' &&
          s.checkpoints.lastId === newestId()
        );
      });
      const status = jm.getJobStatus(uuid);
      if (status.status === 'not_found') throw new Error('lost');
      const files = readdirSync(jobDir).filter((f) => f.endsWith('.json'));
      expect(files.length).to.be.within(1, 2);
      const latest = JSON.parse(readFileSync(join(jobDir, files.sort().at(-1) ?? ''), 'utf8')) as JobSnapshot;
      expect(latest.checkpointId).to.equal(status.checkpoints.lastId);
      expect(Buffer.byteLength(JSON.stringify(latest))).to.equal(status.checkpoints.lastSizeBytes);
    } finally {
      // Saves queued before the job ended may still be writing their temporary files: retry until they are done.
      rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    }
  });
});
