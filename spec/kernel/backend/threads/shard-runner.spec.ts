import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { BatchFunction } from '../../../../src/core/api/function/batch-function.js';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import type { DataStream } from '../../../../src/core/api/data-stream.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { ShardRunner } from '../../../../src/kernel/backend/threads/shard-runner.js';
import type { JobOutcome } from '../../../../src/kernel/runtime/job-outcome.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { runShards } from './run-shards.js';

interface Rec {
  readonly k: number;
  readonly v: number;
}

/** Instance i of p reads records i, i + p, i + 2p, … */
class Slice extends BatchFunction<Rec> {
  private next = -1;
  constructor(private readonly records: readonly Rec[]) {
    super();
  }
  execute(): Rec | undefined {
    if (this.next < 0) this.next = this.ctx.parallelIndex;
    const r = this.records[this.next];
    this.next += this.ctx.parallelism;
    return r;
  }
}

/** Counts per key in keyed state: emits the record with its running count. */
class Count extends MapFunction<Rec, Rec & { c: number }> {
  execute(r: Rec): Rec & { c: number } {
    const c = this.ctx.state.value('c', 0);
    c.set(c.get() + 1);
    return { ...r, c: c.get() };
  }
}

type Op =
  | { readonly kind: 'map'; readonly p: number }
  | { readonly kind: 'filter'; readonly p: number }
  | { readonly kind: 'flatMap'; readonly p: number }
  | { readonly kind: 'keyedCount'; readonly p: number };

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('map', 'filter', 'flatMap', 'keyedCount'),
  p: fc.integer({ min: 1, max: 4 }),
});

/**
 * Declares source → ops → sink on a fresh environment; the sink collects into `out`. With `ordered`, a keyed
 * count puts the running count into the record (only meaningful where the order per key is defined).
 */
function declare(
  records: readonly Rec[],
  sourceP: number,
  ops: readonly Op[],
  sinkP: number,
  out: unknown[],
  ordered = false,
): LocalEnvironment {
  const env = new LocalEnvironment('shards', {
    jobManager: new JobManager(),
    errorPolicy: 'fail',
    logLevel: 'silent',
  });
  let s: DataStream<Rec> = env.fromBatch(Slice, { name: 'src', parallelism: sourceP, args: [records] });
  ops.forEach((op, i) => {
    const name = `${op.kind}-${String(i)}`;
    switch (op.kind) {
      case 'map':
        s = s.map((r) => ({ k: r.k, v: r.v + 1 }), { name, parallelism: op.p });
        break;
      case 'filter':
        s = s.filter((r) => r.v % 3 !== 0, { name, parallelism: op.p });
        break;
      case 'flatMap':
        s = s.flatMap((r) => [r, { k: r.k, v: r.v * 10 }], { name, parallelism: op.p });
        break;
      case 'keyedCount':
        s = s
          .keyBy((r) => r.k, { name: `${name}-by` })
          .map(Count, { name, parallelism: op.p })
          .map((r) => ({ k: r.k, v: r.v * 1000 + (ordered ? r.c : 0) }), {
            name: `${name}-strip`,
            parallelism: op.p,
          });
        break;
    }
  });
  s.sink(
    (r) => {
      out.push(r);
    },
    { name: 'sink', parallelism: sinkP },
  );
  return env;
}

function sorted(xs: unknown[]): string[] {
  return xs.map((x) => JSON.stringify(x)).sort();
}

const recordsArb = fc.array(
  fc.record({ k: fc.integer({ min: 0, max: 5 }), v: fc.integer({ min: 0, max: 1000 }) }),
  { maxLength: 60 },
);

describe('ShardRunner: a job split over virtual workers in one thread', function () {
  this.timeout(20_000);

  it('gives the in-process result (as a multiset) for random pipelines over 2–3 workers', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordsArb,
        fc.integer({ min: 1, max: 3 }),
        fc.array(opArb, { maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        async (records, sourceP, ops, sinkP, workers, batchSize, credits) => {
          const expected: unknown[] = [];
          await declare(records, sourceP, ops, sinkP, expected).submit({ autostop: true });
          const actual: unknown[] = [];
          const outcomes = await runShards(
            declare(records, sourceP, ops, sinkP, actual),
            workers,
            batchSize,
            credits,
          );
          expect(outcomes.map((o) => o.status)).to.deep.equal(new Array(workers).fill('completed'));
          expect(sorted(actual)).to.deep.equal(sorted(expected));
        },
      ),
      { numRuns: 40, timeout: 1000 },
    );
  });

  it('keeps per-key order through a keyed stage split over workers', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordsArb,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        async (records, p, workers, batchSize, credits) => {
          const out: Rec[] = [];
          const env = declare(records, 1, [{ kind: 'keyedCount', p }], p, out, true);
          await runShards(env, workers, batchSize, credits);
          for (let k = 0; k <= 5; k++) {
            const seen = out.filter((r) => r.k === k).map((r) => r.v);
            const want = records.filter((r) => r.k === k).map((r, i) => r.v * 1000 + i + 1);
            expect(seen).to.deep.equal(want);
          }
        },
      ),
      { numRuns: 40, timeout: 1000 },
    );
  });

  it('pause on every worker freezes the sinks; continue completes the job exactly', async () => {
    const records = Array.from({ length: 400 }, (_, i) => ({ k: i % 5, v: i }));
    const out: Rec[] = [];
    const env = declare(records, 2, [{ kind: 'keyedCount', p: 3 }], 2, out, true);
    let shards: readonly ShardRunner[] = [];
    const done = runShards(env, 3, 4, 2, (s) => {
      shards = s;
    });
    await waitFor(() => out.length >= 20, { what: '20 records at the sinks' });
    for (const s of shards) s.pause();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const frozen = out.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(out.length).to.equal(frozen);
    expect(frozen).to.be.lessThan(400);
    for (const s of shards) s.resume();
    const outcomes = await done;
    expect(outcomes.map((o) => o.status)).to.deep.equal(['completed', 'completed', 'completed']);
    expect(out).to.have.length(400);
  });

  it("a 'fail' in one worker's instance fails that shard with the operator's error", async () => {
    const env = new LocalEnvironment('shards', {
      jobManager: new JobManager(),
      errorPolicy: 'fail',
      logLevel: 'silent',
    });
    env
      .fromBatch([1, 2, 3])
      .map(
        (x) => {
          if (x === 2) throw new Error('two');
          return x;
        },
        { name: 'boom', parallelism: 2 },
      )
      .sink(() => undefined);
    let shards: readonly ShardRunner[] = [];
    void runShards(env, 2, 1, 1, (started) => {
      shards = started;
    });
    const failed = await Promise.race(
      shards.map(
        (shard) =>
          new Promise<JobOutcome>((resolve) => {
            shard.onEnd((o) => {
              if (o.status === 'failed') resolve(o);
            });
          }),
      ),
    );
    expect(failed.status === 'failed' ? failed.error.message : '')
      .to.include('boom')
      .and.include('two');
    for (const shard of shards) shard.stop();
  });
});
