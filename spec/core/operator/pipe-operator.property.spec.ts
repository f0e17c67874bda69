import { expect } from 'chai';
import fc from 'fast-check';
import {
  bufferCount,
  distinctUntilChanged,
  filter,
  from,
  lastValueFrom,
  map,
  pairwise,
  scan,
  take,
  toArray,
  type OperatorFunction,
} from 'rxjs';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

type Op = OperatorFunction<unknown, unknown>;

/** The small set of operators the property draws chains from (each a fresh operator per call). */
const ops: fc.Arbitrary<() => Op> = fc.oneof(
  fc.integer({ min: 1, max: 5 }).map((n) => () => map((x: unknown) => [n, x])),
  fc.constant(() => filter((x: unknown) => JSON.stringify(x).length % 2 === 0) as Op),
  fc.constant(() => scan((acc: number, x: unknown) => acc + JSON.stringify(x).length, 0) as Op),
  fc.integer({ min: 1, max: 3 }).map((n) => () => bufferCount(n)),
  fc.constant(() => pairwise() as Op),
  fc.constant(
    () => distinctUntilChanged((a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)) as Op,
  ),
);

interface Rec {
  readonly k: number;
  readonly v: number;
}

/** Tags each output with the key it kept. */
class TagKey extends MapFunction<unknown, [unknown, unknown]> {
  execute(x: unknown): [unknown, unknown] {
    return [this.ctx.getKey(), x];
  }
}

/** The plain model: the same chain over the records of one key, in plain RxJS. */
async function model(records: readonly Rec[], chain: readonly (() => Op)[]): Promise<Map<number, unknown[]>> {
  const byKey = new Map<number, unknown[]>();
  for (const k of new Set(records.map((r) => r.k))) {
    let o = from(records.filter((r) => r.k === k).map((r) => r.v)) as ReturnType<Op>;
    for (const make of chain) o = make()(o);
    const out = await lastValueFrom(o.pipe(toArray()));
    if (out.length > 0) byKey.set(k, out);
  }
  return byKey;
}

/** The plain model of an unkeyed chain: the same operators over all the records, in plain RxJS. */
async function modelAll(values: readonly number[], chain: readonly (() => Op)[]): Promise<unknown[]> {
  let o = from(values) as ReturnType<Op>;
  for (const make of chain) o = make()(o);
  return lastValueFrom(o.pipe(toArray()));
}

describe('pipe (property)', () => {
  it('unkeyed at the head of an array source (one fused loop), pausing at random records, gives what RxJS gives and counts each record once', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Up to 700 records (more than one slice of the source's loop), drawn from a seed.
        fc.nat({ max: 700 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(ops, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 3 }),
        fc.boolean(),
        async (length, seed, chain, pauses, fromArray) => {
          const values = Array.from({ length }, (_, i) => ((i * seed) % 41) - 20);
          const jm = new JobManager();
          const env = new LocalEnvironment('pipe-loop-property', { jobManager: jm, logLevel: 'silent' });
          const got: unknown[] = [];
          let paused = false;
          let whilePaused = 0;
          const [first, ...rest] = chain.map((make) => make());
          // An Iterable source emits record by record: the reference for the array's fused loop.
          const source = fromArray ? values : { [Symbol.iterator]: () => values[Symbol.iterator]() };
          env
            .fromBatch(source)
            .pipe(
              map((x: number) => {
                if (paused) whilePaused++;
                return x;
              }),
              ...([first, ...rest] as [Op]),
            )
            .sink(function (this: { ctx: { jobId: string } }, x) {
              got.push(x);
              if (paused) whilePaused++;
              if (!pauses.includes(got.length)) return;
              const id = this.ctx.jobId;
              jm.pauseJob(id);
              paused = true;
              setImmediate(() => {
                paused = false;
                jm.continueJob(id);
              });
            });
          await env.submit({ autostop: true });
          expect(got).to.deep.equal(await modelAll(values, chain));
          expect(whilePaused, 'records started or emitted while the job was paused').to.equal(0);
          const metrics = jm.getJob(env.jobId as string)?.dispatcher.metrics() ?? [];
          const counted = metrics.map((m) => [m.operator, m.in, m.out]);
          expect(counted[0]?.[2], 'source out').to.equal(values.length);
          expect(counted[1]?.[1], 'pipe in').to.equal(values.length);
          expect(counted[1]?.[2], 'pipe out').to.equal(got.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('per key, a random operator chain at parallelism 1–4 gives what the same RxJS chain gives on that key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ k: fc.integer({ min: 0, max: 4 }), v: fc.integer({ min: -20, max: 20 }) }), {
          maxLength: 30,
        }),
        fc.array(ops, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        async (records, chain, parallelism) => {
          const env = new LocalEnvironment('pipe-property', {
            jobManager: new JobManager(),
            logLevel: 'silent',
          });
          const got = new Map<number, unknown[]>();
          const [first, ...rest] = chain.map((make) => make());
          env
            .fromBatch(records)
            .keyBy((r) => r.k)
            .pipe(
              map((r: Rec) => r.v),
              ...([first, ...rest] as [Op]),
              { parallelism },
            )
            .map(TagKey, { parallelism })
            .sink(([k, x]) => {
              const list = got.get(k as number) ?? [];
              list.push(x);
              got.set(k as number, list);
            });
          await env.submit({ autostop: true });
          expect(got).to.deep.equal(await model(records, chain));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keys that are equal as keys share one chain, other keys never do, whichever way the step finds them', async () => {
    // Small whole numbers are found in an array slot, strings by the entry in the Map (or as the latest key),
    // other primitives through chainOf: -0 and 0 are one key, 1 and '1' two, NaN one, keys past the slots
    // (65,536 and up) and floats still work, and strings that start with U+0000 (encoded before the Map) stay
    // apart from the others.
    const keys = fc.constantFrom<unknown>(
      0,
      -0,
      1,
      2,
      65_535,
      65_536,
      2 ** 31,
      -1,
      1.5,
      Number.NaN,
      '0',
      '1',
      '',
      'key-1',
      '\u0000',
      '\u00001',
      true,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(keys, { maxLength: 40 }),
        fc.integer({ min: 1, max: 2 }),
        async (recordKeys, parallelism) => {
          const env = new LocalEnvironment('pipe-key-identity', {
            jobManager: new JobManager(),
            logLevel: 'silent',
          });
          const got = new Map<unknown, unknown[]>();
          env
            .fromBatch(recordKeys.map((k) => ({ k })))
            .keyBy((r) => r.k)
            // Counts the records of its chain; the chain ends after two, and the key's later records are dropped.
            .pipe(
              scan((n: number) => n + 1, 0),
              take(2),
              { parallelism },
            )
            .map(TagKey, { parallelism })
            .sink(([k, n]) => {
              got.set(k, [...(got.get(k) ?? []), n]);
            });
          await env.submit({ autostop: true });
          // The model: a Map (SameValueZero, as key encoding for primitives) of per-key counts, 1, 2, then none.
          const expected = new Map<unknown, unknown[]>();
          for (const k of recordKeys) {
            const seen = expected.get(k) ?? [];
            if (seen.length < 2) expected.set(k, [...seen, seen.length + 1]);
          }
          expect(got).to.deep.equal(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});
