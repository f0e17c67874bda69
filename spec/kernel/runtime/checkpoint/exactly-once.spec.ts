import { expect } from 'chai';
import fc from 'fast-check';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { ExactlyOnceChecker } from '../../../../src/testing/exactly-once-checker.js';
import { SequenceSource, type SequenceRecord } from '../../../../src/testing/sequence-source.js';

interface Counted {
  readonly key: number;
  readonly seq: number;
}

/** Counts each key's records in keyed state and emits the count as the record's new sequence number. */
class KeyedCount extends MapFunction<SequenceRecord, Counted> {
  constructor(private readonly async: boolean) {
    super();
  }

  execute(r: SequenceRecord): Counted | Promise<Counted> {
    const count = (): Counted => {
      const n = this.ctx.state.value('n', 0);
      n.set(n.get() + 1);
      return { key: r.key, seq: n.get() };
    };
    if (!this.async) return count();
    return new Promise((resolve) => {
      setImmediate(() => {
        resolve(count());
      });
    });
  }
}

describe('checkpoints and restarts: every record affects state exactly once (property against a plain model)', function () {
  this.timeout(60_000);

  it('random keyed pipelines, a failure at a random record, restarts from the latest checkpoint', async () => {
    let restoredFromCheckpoint = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          keys: fc.integer({ min: 1, max: 6 }),
          perKey: fc.integer({ min: 50, max: 300 }),
          sourceParallelism: fc.integer({ min: 1, max: 2 }),
          parallelism: fc.integer({ min: 1, max: 4 }),
          async: fc.constantFrom(true, true, false),
          fusion: fc.boolean(),
          failAt: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          intervalMs: fc.integer({ min: 1, max: 5 }),
        }),
        async (c) => {
          const jm = new JobManager();
          const env = new LocalEnvironment('exactly-once', {
            jobManager: jm,
            logLevel: 'silent',
            errorPolicy: 'fail',
            fusion: c.fusion,
            highWaterMark: 8,
          });
          env.enableCheckpointing(c.intervalMs);
          env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 1 });
          const total = c.keys * c.perKey;
          const failAt = Math.max(1, Math.floor(total * c.failAt));
          let seen = 0;
          let failures = 0;
          const violations: string[] = [];
          class Checker extends ExactlyOnceChecker {
            override execute(record: SequenceRecord): void {
              try {
                super.execute(record);
              } catch (e) {
                violations.push((e as Error).message);
              }
            }
          }
          const last = new Map<number, number>();
          const counted = env
            .fromBatch(SequenceSource, {
              args: [{ keys: c.keys, perKey: c.perKey }],
              parallelism: c.sourceParallelism,
              name: 'source',
            })
            .map(
              (r) => {
                if (failures === 0 && ++seen === failAt) {
                  failures++;
                  throw new Error('injected failure');
                }
                return r;
              },
              { name: 'inject', parallelism: c.sourceParallelism },
            )
            .keyBy((r) => r.key)
            .map(KeyedCount, { args: [c.async], parallelism: c.parallelism, name: 'count' })
            .keyBy((r) => r.key);
          counted.sink(Checker, { name: 'check', parallelism: c.parallelism });
          counted.sink((r) => {
            last.set(r.key, Math.max(last.get(r.key) ?? 0, r.seq));
          });
          const uuid = await env.submit({ autostop: true });
          const status = jm.getJobStatus(uuid);
          if (status.status === 'not_found') throw new Error('lost');
          expect(status.status).to.equal('completed');
          expect(status.restarts).to.equal(1);
          if (status.checkpoints.completed > 0) restoredFromCheckpoint++;
          expect(violations).to.deep.equal([]);
          // The model: every key counted each of its records once.
          expect([...last.entries()].sort((a, b) => a[0] - b[0])).to.deep.equal(
            Array.from({ length: c.keys }, (_, k) => [k, c.perKey]),
          );
        },
      ),
      { numRuns: 25 },
    );
    expect(restoredFromCheckpoint, 'runs with a completed checkpoint').to.be.greaterThan(3);
  });
});

describe('savepoints: a cut at a random moment, restored at a random parallelism (property against a plain model)', function () {
  this.timeout(60_000);

  it('every key ends with exactly its records counted, whatever the moment, pause and parallelism', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          keys: fc.integer({ min: 1, max: 8 }),
          perKey: fc.integer({ min: 30, max: 200 }),
          sourceParallelism: fc.integer({ min: 1, max: 2 }),
          before: fc.integer({ min: 1, max: 4 }),
          after: fc.integer({ min: 1, max: 4 }),
          async: fc.boolean(),
          fusion: fc.boolean(),
          at: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
          how: fc.constantFrom('running', 'paused', 'stop-with-savepoint'),
        }),
        async (c) => {
          const jm = new JobManager();
          const build = (
            parallelism: number,
            out: Map<number, number>,
            onRecord?: (jobId: string) => void,
          ): LocalEnvironment => {
            const env = new LocalEnvironment('savepoint', {
              jobManager: jm,
              logLevel: 'silent',
              fusion: c.fusion,
              highWaterMark: 8,
            });
            const counted = env
              .fromBatch(SequenceSource, {
                args: [{ keys: c.keys, perKey: c.perKey }],
                parallelism: c.sourceParallelism,
                name: 'source',
              })
              .keyBy((r) => r.key)
              .map(KeyedCount, { args: [c.async], parallelism, name: 'count' });
            counted.sink(function (this: { ctx: { jobId: string } }, r: Counted) {
              out.set(r.key, Math.max(out.get(r.key) ?? 0, r.seq));
              onRecord?.(this.ctx.jobId);
            });
            return env;
          };
          const total = c.keys * c.perKey;
          const cutAt = Math.max(1, Math.floor(total * c.at));
          let seen = 0;
          let snapshot: Promise<unknown> | undefined;
          const first = new Map<number, number>();
          const a = build(c.before, first, (uuid) => {
            if (++seen !== cutAt) return;
            if (c.how === 'paused') jm.pauseJob(uuid);
            snapshot =
              c.how === 'stop-with-savepoint' ? jm.stopJob(uuid, { savepoint: true }) : jm.snapshotJob(uuid);
          });
          const uuid = await a.submit();
          await new Promise<void>((resolve) => {
            const check = (): void => {
              if (snapshot !== undefined || jm.getJob(uuid)?.ended === true) resolve();
              else setImmediate(check);
            };
            check();
          });
          if (snapshot === undefined) throw new Error('the job ended before the cut');
          const saved = JSON.parse(JSON.stringify(await snapshot)) as Parameters<
            LocalEnvironment['submit']
          >[0] &
            object;
          if (c.how !== 'stop-with-savepoint') jm.stopJob(uuid);
          const second = new Map<number, number>();
          const b = build(c.after, second);
          await b.submit({ autostop: true, restore: saved as never });
          // The model: each key's count reaches exactly perKey, and the restored job went on from the cut.
          for (let k = 0; k < c.keys; k++) {
            const final = second.get(k) ?? first.get(k);
            expect(final, `key ${String(k)}`).to.equal(c.perKey);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
