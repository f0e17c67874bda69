import { expect } from 'chai';
import fc from 'fast-check';
import {
  BatchFunction,
  JobManager,
  LocalEnvironment,
  MapFunction,
  SinkFunction,
} from '../../../../src/index.js';
import type { ShardRunner } from '../../../../src/kernel/backend/threads/shard-runner.js';
import { decodeJson } from '../../../../src/kernel/runtime/state/json-codec.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { cutShards, runShards } from './run-shards.js';

/** Reads its numbers in order; its position is function state (so a restore never reads one twice). */
class Numbers extends BatchFunction<number> {
  private next = 0;
  constructor(private readonly numbers: readonly number[]) {
    super();
  }
  execute(): number | undefined {
    return this.numbers[this.next++];
  }
}

/** Keeps what it received in a field (function state: every snapshot holds the output up to its cut). */
class Keep extends SinkFunction<number> {
  out: number[] = [];
  execute(x: number): void {
    this.out.push(x);
  }
}

/**
 * seeds (spread over 2 instances) → a loop at parallelism `p` that feeds every value below the next multiple of 10
 * back as value + 1 → Keep. The loop's instances run on one worker; the seeds may come from others.
 */
function declareLoop(jm: JobManager, seeds: readonly number[], p: number): LocalEnvironment {
  const env = new LocalEnvironment('loop', { jobManager: jm, errorPolicy: 'fail', logLevel: 'silent' });
  const loop = env.fromFuture<number>('back');
  const all = env
    .fromBatch(Numbers, { name: 'seeds', args: [seeds.map((s) => s * 10)] })
    .map((x) => x, { name: 'spread', parallelism: 2 })
    .connect(loop)
    .map((d: number) => d, { name: 'head', parallelism: p });
  all.sink(Keep, { name: 'sink', parallelism: 2 });
  all
    .filter((d) => d % 10 < 9, { name: 'below', parallelism: p })
    .keyBy((d) => Math.floor(d / 10), { name: 'by-seed' })
    .map((d) => d + 1, { name: 'next', parallelism: p })
    .fillFuture(loop);
  return env;
}

/** The sinks' output of a final snapshot, sorted. */
function output(snapshot: JobSnapshot): number[] {
  const out: number[] = [];
  for (const instance of snapshot.operators.sink ?? []) {
    const fields = decodeJson(instance.fields) as { out?: number[] } | undefined;
    out.push(...(fields?.out ?? []));
  }
  return out.sort((a, b) => a - b);
}

function finalOf(shards: readonly ShardRunner[]): JobSnapshot {
  const operators: Record<string, unknown[]> = {};
  for (const s of shards) {
    for (const t of s.state()) {
      for (const [name, state] of Object.entries(t.operators)) (operators[name] ??= [])[t.index] = state;
    }
  }
  return { job: 'loop', takenAt: '', maxParallelism: 128, operators } as JobSnapshot;
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('ShardRunner: feedback loops and services across virtual workers', function () {
  this.timeout(20_000);

  it('a job with a feedback loop gives the in-process result; a cut of it restores in-process exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 6 }),
        async (seeds, p, workers, batchSize, wait) => {
          const jm = new JobManager();
          const expected = output(
            await jm.snapshotJob(await declareLoop(jm, seeds, p).submit({ autostop: true })),
          );
          expect(expected).to.have.length(seeds.length * 10);
          let shards: readonly ShardRunner[] = [];
          const done = runShards(declareLoop(jm, seeds, p), workers, batchSize, 2, (s) => {
            shards = s;
          });
          await turns(wait);
          const cut = JSON.parse(JSON.stringify(await cutShards(shards, 1, 'loop'))) as JobSnapshot;
          const outcomes = await done;
          expect(outcomes.every((o) => o.status === 'completed')).to.equal(true);
          expect(output(finalOf(shards))).to.deep.equal(expected);
          const restored = await declareLoop(jm, seeds, p).submit({ restore: cut, autostop: true });
          expect(output(await jm.snapshotJob(restored))).to.deep.equal(expected);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("services: each worker builds its own instances of the job's services and calls them in its thread", async () => {
    const built: string[] = [];
    class Calc {
      constructor() {
        built.push('calc');
      }
      process(x: number): number {
        return x * 2;
      }
    }
    class Double extends MapFunction<number, number> {
      async execute(x: number): Promise<number> {
        return this.callService<number>('calc', x);
      }
    }
    const declare = (out: number[]): LocalEnvironment => {
      const env = new LocalEnvironment('services', {
        jobManager: new JobManager(),
        errorPolicy: 'fail',
        logLevel: 'silent',
      });
      env.registerService('calc', Calc);
      env
        .fromBatch(Array.from({ length: 50 }, (_, i) => i))
        .map(Double, { name: 'double', parallelism: 3 })
        .sink((x) => {
          out.push(x);
        });
      return env;
    };
    const expected: number[] = [];
    await declare(expected).submit({ autostop: true });
    built.length = 0;
    const actual: number[] = [];
    const outcomes = await runShards(declare(actual), 3, 4, 2, undefined, { services: true });
    expect(outcomes.map((o) => o.status)).to.deep.equal(['completed', 'completed', 'completed']);
    expect(actual.sort((a, b) => a - b)).to.deep.equal(expected.sort((a, b) => a - b));
    expect(built).to.deep.equal(['calc', 'calc', 'calc']);
  });
});
