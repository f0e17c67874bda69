import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { BatchFunction } from '../../../../src/core/api/function/batch-function.js';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import type { DataStream } from '../../../../src/core/api/data-stream.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { ShardRunner } from '../../../../src/kernel/backend/threads/shard-runner.js';
import { decodeJson } from '../../../../src/kernel/runtime/state/json-codec.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { cutShards, runShards } from './run-shards.js';

interface Rec {
  readonly k: number;
  readonly v: number;
}

/** Instance i of p reads records i, i + p, i + 2p, … (its position is function state). */
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

/** Counts records per key in keyed state (the order between sources is free, so records pass unchanged). */
class Count extends MapFunction<Rec, Rec> {
  execute(r: Rec): Rec {
    const c = this.ctx.state.value('c', 0);
    c.set(c.get() + 1);
    return r;
  }
}

/** Keeps what it received in a field: function state, so every snapshot holds the output up to its cut. */
class Keep extends SinkFunction<Rec> {
  out: Rec[] = [];
  execute(r: Rec): void {
    this.out.push(r);
  }
}

type Op =
  | { readonly kind: 'map'; readonly p: number }
  | { readonly kind: 'filter'; readonly p: number }
  | { readonly kind: 'flatMap'; readonly p: number }
  | { readonly kind: 'keyedCount'; readonly p: number };

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('map', 'filter', 'flatMap', 'keyedCount'),
  p: fc.integer({ min: 1, max: 3 }),
});

/** source → ops → Keep; `rescale` changes the parallelism of every operator but the source and the sink. */
function declare(
  jm: JobManager,
  records: readonly Rec[],
  sourceP: number,
  ops: readonly Op[],
  sinkP: number,
  rescale = 0,
): LocalEnvironment {
  const env = new LocalEnvironment('cuts', { jobManager: jm, errorPolicy: 'fail', logLevel: 'silent' });
  let s: DataStream<Rec> = env.fromBatch(Slice, { name: 'src', parallelism: sourceP, args: [records] });
  ops.forEach((op, i) => {
    const name = `${op.kind}-${String(i)}`;
    const parallelism = ((op.p - 1 + rescale) % 3) + 1;
    switch (op.kind) {
      case 'map':
        s = s.map((r) => ({ k: r.k, v: r.v + 1 }), { name, parallelism });
        break;
      case 'filter':
        s = s.filter((r) => r.v % 3 !== 0, { name, parallelism });
        break;
      case 'flatMap':
        s = s.flatMap((r) => [r, { k: r.k, v: r.v * 10 }], { name, parallelism });
        break;
      case 'keyedCount':
        s = s.keyBy((r) => r.k, { name: `${name}-by` }).map(Count, { name, parallelism });
        break;
    }
  });
  s.sink(Keep, { name: 'sink', parallelism: sinkP });
  return env;
}

/**
 * Everything the sinks of a final snapshot received, as a sorted multiset, and every keyed count by operator
 * and key: what a run that saw every record exactly once ends with.
 */
function output(snapshot: JobSnapshot): string[] {
  const out: string[] = [];
  for (const instance of snapshot.operators.sink ?? []) {
    const fields = decodeJson(instance.fields) as { out?: Rec[] } | undefined;
    for (const r of fields?.out ?? []) out.push(JSON.stringify(r));
  }
  for (const [name, instances] of Object.entries(snapshot.operators)) {
    for (const instance of instances) {
      for (const states of Object.values(instance.keyed ?? {})) {
        const column = states.c;
        if (column === undefined) continue;
        column.keys.forEach((key, i) => {
          out.push(`${name} ${JSON.stringify(key)} ${JSON.stringify(column.values[i])}`);
        });
      }
    }
  }
  return out.sort();
}

/** The final state of every shard, merged as the coordinator merges it. */
function finalOf(shards: readonly ShardRunner[]): JobSnapshot {
  const operators: Record<string, unknown[]> = {};
  for (const s of shards) {
    for (const t of s.state()) {
      for (const [name, state] of Object.entries(t.operators)) (operators[name] ??= [])[t.index] = state;
    }
  }
  return { job: 'cuts', takenAt: '', maxParallelism: 128, operators } as JobSnapshot;
}

/** Lets the jobs run a little: `n` turns of the event loop. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

const recordsArb = fc.array(
  fc.record({ k: fc.integer({ min: 0, max: 5 }), v: fc.integer({ min: 0, max: 1000 }) }),
  { maxLength: 60 },
);

describe('ShardRunner: checkpoints across virtual workers', function () {
  this.timeout(30_000);

  it('a cut taken over 2–3 workers, restored in-process or on workers at another parallelism, gives every record once', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordsArb,
        fc.integer({ min: 1, max: 3 }),
        fc.array(opArb, { maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('threads', 'in-process'),
        fc.constantFrom('threads', 'in-process'),
        fc.integer({ min: 0, max: 2 }),
        async (records, sourceP, ops, sinkP, workers, batchSize, wait, cutOn, restoreOn, rescale) => {
          const jm = new JobManager();
          const expectedUuid = await declare(jm, records, sourceP, ops, sinkP).submit({ autostop: true });
          const expected = output(await jm.snapshotJob(expectedUuid));

          let cut: JobSnapshot;
          if (cutOn === 'threads') {
            let shards: readonly ShardRunner[] = [];
            const done = runShards(declare(jm, records, sourceP, ops, sinkP), workers, batchSize, 2, (s) => {
              shards = s;
            });
            await turns(wait);
            cut = await cutShards(shards, 1);
            await done;
          } else {
            const uuid = await declare(jm, records, sourceP, ops, sinkP).submit();
            await turns(wait);
            cut = await jm.snapshotJob(uuid);
            await jm.getJob(uuid)?.result();
          }
          cut = JSON.parse(JSON.stringify(cut)) as JobSnapshot;

          let final: JobSnapshot;
          const restored = declare(jm, records, sourceP, ops, sinkP, rescale);
          if (restoreOn === 'threads') {
            let shards: readonly ShardRunner[] = [];
            const outcomes = await runShards(
              restored,
              5 - workers,
              batchSize,
              2,
              (s) => {
                shards = s;
              },
              { restore: cut, firstCheckpointId: 2 },
            );
            expect(outcomes.every((o) => o.status === 'completed')).to.equal(true);
            final = finalOf(shards);
          } else {
            const uuid = await restored.submit({ restore: cut, autostop: true });
            final = await jm.snapshotJob(uuid);
          }
          expect(output(final)).to.deep.equal(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a paused job on workers lets the records inside reach the cut, stays paused, then completes', async () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ k: i % 5, v: i }));
    const jm = new JobManager();
    const ops: Op[] = [{ kind: 'keyedCount', p: 3 }];
    const expectedUuid = await declare(jm, records, 2, ops, 2).submit({ autostop: true });
    const expected = output(await jm.snapshotJob(expectedUuid));
    let shards: readonly ShardRunner[] = [];
    const done = runShards(declare(jm, records, 2, ops, 2), 3, 4, 2, (s) => {
      shards = s;
    });
    await waitFor(() => shards.some((s) => s.metrics().some((m) => m.operator === 'sink' && m.in > 10)), {
      what: 'records at the sinks',
    });
    for (const s of shards) s.pause();
    const cut = await cutShards(shards, 1);
    const atSinks = (): number =>
      shards.flatMap((s) => s.metrics()).reduce((n, m) => n + (m.operator === 'sink' ? m.in : 0), 0);
    const frozen = atSinks();
    await turns(20);
    expect(atSinks()).to.equal(frozen);
    for (const s of shards) s.resume();
    await done;
    const uuid = await declare(jm, records, 2, ops, 2, 1).submit({ restore: cut, autostop: true });
    expect(output(await jm.snapshotJob(uuid))).to.deep.equal(expected);
  });

  it('periodic cuts one after the other: each restores to the same result', async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ k: i % 7, v: i }));
    const jm = new JobManager();
    const ops: Op[] = [
      { kind: 'map', p: 2 },
      { kind: 'keyedCount', p: 2 },
    ];
    const expected = output(
      await jm.snapshotJob(await declare(jm, records, 2, ops, 2).submit({ autostop: true })),
    );
    let shards: readonly ShardRunner[] = [];
    const done = runShards(declare(jm, records, 2, ops, 2), 2, 3, 1, (s) => {
      shards = s;
    });
    const cuts: JobSnapshot[] = [];
    for (let id = 1; id <= 4; id++) {
      cuts.push(await cutShards(shards, id));
      await turns(2);
    }
    await done;
    for (const cut of cuts) {
      const uuid = await declare(jm, records, 2, ops, 2).submit({ restore: cut, autostop: true });
      expect(output(await jm.snapshotJob(uuid))).to.deep.equal(expected);
    }
  });
});
