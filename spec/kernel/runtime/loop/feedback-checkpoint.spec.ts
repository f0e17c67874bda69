import { expect } from 'chai';
import fc from 'fast-check';
import {
  JobManager,
  LocalEnvironment,
  MapFunction,
  SinkFunction,
  SourceFunction,
  StopSignal,
  WatermarkStrategy,
} from '../../../../src/index.js';
import { decodeJson } from '../../../../src/kernel/runtime/state/json-codec.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';

/** Turns of each seed's loop. */
const L = 20;

/**
 * Emits its numbers in order with a pause of `delay` ms after each, so the job is still reading when the cut is
 * taken; its position is function state (a restore never reads one twice).
 */
class Numbers extends SourceFunction<number> {
  private next = 0;
  private rest = false;
  constructor(private readonly numbers: readonly number[]) {
    super();
  }
  execute(): number | undefined | StopSignal {
    if (this.next >= this.numbers.length) return new StopSignal();
    this.rest = !this.rest;
    return this.rest ? this.numbers[this.next++] : undefined;
  }
}

/** Tags each value with the event timestamp it carries here. */
class Stamp extends MapFunction<number, [number, number | null]> {
  execute(d: number): [number, number | null] {
    return [d, this.ctx.timestamp() ?? null];
  }
}

/** Keeps what it received in a field (function state: every snapshot holds the output up to its cut). */
class Keep extends SinkFunction<[number, number | null]> {
  out: [number, number | null][] = [];
  execute(x: [number, number | null]): void {
    this.out.push(x);
  }
}

/** seeds s·L (timestamp s·1000) → a loop that feeds d + 1 back while d % L < L − 1 → Stamp → Keep. */
function declare(jm: JobManager, seeds: readonly number[], p: number): LocalEnvironment {
  const env = new LocalEnvironment('timed-loop', { jobManager: jm, errorPolicy: 'fail', logLevel: 'silent' });
  const loop = env.fromFuture<number>('back');
  const all = env
    .fromSource(Numbers, { name: 'seeds', args: [seeds.map((s) => s * L)], delay: 1 })
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((d) => (d / L) * 1000),
      { name: 'stamp-seeds' },
    )
    .connect(loop)
    .map((d: number) => d, { name: 'head', parallelism: p });
  all.map(Stamp, { name: 'tag' }).sink(Keep, { name: 'sink' });
  all
    .filter((d) => d % L < L - 1, { name: 'below', parallelism: p })
    .keyBy((d) => Math.floor(d / L), { name: 'by-seed' })
    .map(
      async (d) => {
        await new Promise((resolve) => setImmediate(resolve));
        return d + 1;
      },
      { name: 'next', parallelism: p },
    )
    .fillFuture(loop);
  return env;
}

function output(snapshot: JobSnapshot): [number, number | null][] {
  const out: [number, number | null][] = [];
  for (const instance of snapshot.operators.sink ?? []) {
    const fields = decodeJson(instance.fields) as { out?: [number, number | null][] } | undefined;
    out.push(...(fields?.out ?? []));
  }
  return out.sort((a, b) => a[0] - b[0]);
}

describe('feedback loops in checkpoints', function () {
  this.timeout(30_000);

  it('records saved on a feedback edge keep their event timestamps through a savepoint and restore', async () => {
    let cutsWithRecordsInFlight = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 12 }),
        async (seeds, p, wait) => {
          const jm = new JobManager();
          const uuid = await declare(jm, seeds, p).submit();
          await new Promise((resolve) => setTimeout(resolve, wait));
          const cut = await jm.stopJob(uuid, { savepoint: true });
          if (cut.inflight !== undefined) cutsWithRecordsInFlight++;
          const restored = await declare(jm, seeds, p).submit({ restore: cut, autostop: true });
          const out = output(await jm.snapshotJob(restored));
          // Every value of every seed's loop comes once, with the timestamp its seed was given.
          const expected = seeds
            .flatMap((s) => Array.from({ length: L }, (_, i) => [s * L + i, s * 1000] as [number, number]))
            .sort((a, b) => a[0] - b[0]);
          expect(out).to.deep.equal(expected);
        },
      ),
      { numRuns: 15 },
    );
    // The property means something only if some cuts caught records on the feedback edge.
    expect(cutsWithRecordsInFlight).to.be.greaterThan(0);
  });
});
