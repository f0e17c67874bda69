import { expect } from 'chai';
import fc from 'fast-check';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

/**
 * Holds each record under the pending checkpoint (`ctx.checkpointId`) and commits a checkpoint's records once
 * it completes (`notifyCheckpointComplete`): exactly-once output across restarts, with no `snapshotState` trick.
 */
class TwoPhaseSink extends SinkFunction<number> {
  // Names starting with `_` stay out of the function's checkpointed fields: what a completed checkpoint
  // covers is committed at once, what comes after its cut is replayed after a restart.
  private readonly _pending = new Map<number, number[]>();

  constructor(private readonly _committed: number[]) {
    super();
  }

  execute(x: number): void {
    const id = this.ctx.checkpointId;
    const held = this._pending.get(id);
    if (held === undefined) this._pending.set(id, [x]);
    else held.push(x);
  }

  notifyCheckpointComplete(done: number): void {
    for (const [id, held] of this._pending) {
      if (id > done) continue;
      this._committed.push(...held);
      this._pending.delete(id);
    }
  }

  finish(): void {
    for (const held of this._pending.values()) this._committed.push(...held);
    this._pending.clear();
  }
}

describe('ctx.checkpointId: the pending checkpoint of the records an instance handles', function () {
  this.timeout(60_000);

  it('is 1 before the first barrier and moves to id + 1 when checkpoint id passes the instance', async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('checkpoint-id', { jobManager: jm, logLevel: 'silent' });
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    env
      .fromBatch([1, 2, 3, 4])
      .map(async (x) => {
        if (x === 3) await gate;
        return x;
      })
      .sink(
        class extends SinkFunction<number> {
          execute(): void {
            seen.push(this.ctx.checkpointId);
          }
        },
      );
    const uuid = await env.submit();
    while (seen.length < 2) await new Promise((resolve) => setImmediate(resolve));
    const first = jm.snapshotJob(uuid);
    release();
    const snapshot = await first;
    while (seen.length < 4) await new Promise((resolve) => setImmediate(resolve));
    expect(snapshot.checkpointId).to.equal(1);
    // records 1 and 2 came before the barrier; the one after it (record 4 at least) belongs to checkpoint 2
    expect(seen.slice(0, 2)).to.deep.equal([1, 1]);
    expect(seen[3]).to.equal(2);
    expect([...seen].sort()).to.deep.equal(seen);
    jm.stopJob(uuid);
  });

  it('a sink committing per checkpoint writes every record exactly once across a restart (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          records: fc.integer({ min: 200, max: 2_000 }),
          parallelism: fc.integer({ min: 1, max: 3 }),
          failAt: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
          intervalMs: fc.integer({ min: 1, max: 4 }),
          fusion: fc.boolean(),
        }),
        async (c) => {
          const env = new LocalEnvironment('two-phase', {
            jobManager: new JobManager(),
            logLevel: 'silent',
            errorPolicy: 'fail',
            fusion: c.fusion,
            highWaterMark: 8,
          });
          env.enableCheckpointing(c.intervalMs);
          env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 1 });
          const failAt = Math.max(1, Math.floor(c.records * c.failAt));
          let failed = false;
          const committed: number[] = [];
          env
            .fromBatch(Array.from({ length: c.records }, (_, i) => i))
            .map(
              async (x) => {
                if (!failed && x === failAt) {
                  failed = true;
                  throw new Error('injected failure');
                }
                if (x % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
                return x;
              },
              { parallelism: c.parallelism },
            )
            .sink(TwoPhaseSink, { args: [committed], parallelism: c.parallelism });
          await env.submit({ autostop: true });
          expect(failed).to.equal(true);
          expect([...committed].sort((a, b) => a - b)).to.deep.equal(
            Array.from({ length: c.records }, (_, i) => i),
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});
