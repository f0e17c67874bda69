import { expect } from 'chai';
import fc from 'fast-check';
import type { DataStream } from '../../../src/core/api/data-stream.js';
import { InnerHashJoin } from '../../../src/core/api/function/join/inner-hash-join.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

/** One step of a random pipeline, and how a plain-array model computes it. */
type Op =
  | { kind: 'map'; mul: number; add: number; parallelism: number; async: boolean }
  | { kind: 'filter'; mod: number; parallelism: number; async: boolean }
  | { kind: 'flatMap'; copies: number; parallelism: number }
  | { kind: 'keyBy'; mod: number; strategy: 'hash' | 'round-robin' | 'broadcast'; parallelism: number };

const parallelism = fc.integer({ min: 1, max: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('map' as const),
    mul: fc.integer({ min: -3, max: 3 }),
    add: fc.integer({ min: -5, max: 5 }),
    parallelism,
    async: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('filter' as const),
    mod: fc.integer({ min: 2, max: 4 }),
    parallelism,
    async: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('flatMap' as const), copies: fc.integer({ min: 0, max: 3 }), parallelism }),
  fc.record({
    kind: fc.constant('keyBy' as const),
    mod: fc.integer({ min: 1, max: 5 }),
    strategy: fc.constantFrom('hash' as const, 'round-robin' as const, 'broadcast' as const),
    parallelism,
  }),
);

/** What one step does, computed on a plain array (keyBy only tags: the records are unchanged). */
function apply(data: number[], o: Op): number[] {
  switch (o.kind) {
    case 'map':
      return data.map((x) => x * o.mul + o.add);
    case 'filter':
      return data.filter((x) => Math.abs(x) % o.mod === 0);
    case 'flatMap':
      return data.flatMap((x) => Array.from({ length: o.copies }, (_, i) => x + i));
    case 'keyBy':
      return data;
  }
}

/** Repeats every record `n` times (what a broadcast does for a next hop of parallelism n). */
function repeat(data: number[], n: number): number[] {
  return n === 1 ? data : data.flatMap((x) => Array.from({ length: n }, () => x));
}

/** What the pipeline must produce, computed on plain arrays. */
function model(input: number[], ops: Op[], sinkParallelism: number): number[] {
  let data = input;
  ops.forEach((o, i) => {
    data = apply(data, o);
    if (o.kind === 'keyBy' && o.strategy === 'broadcast')
      data = repeat(data, ops[i + 1]?.parallelism ?? sinkParallelism);
  });
  return data;
}

function build(env: LocalEnvironment, input: number[], ops: Op[]): DataStream<number> {
  let s: DataStream<number> = env.fromBatch(input);
  for (const o of ops) s = build1(s, o);
  return s;
}

/** Adds one step to a stream. */
function build1(s: DataStream<number>, o: Op): DataStream<number> {
  switch (o.kind) {
    case 'map':
      return o.async
        ? s.map(
            async (x) => {
              await Promise.resolve();
              return x * o.mul + o.add;
            },
            { parallelism: o.parallelism },
          )
        : s.map((x) => x * o.mul + o.add, { parallelism: o.parallelism });
    case 'filter':
      return o.async
        ? s.filter(
            async (x) => {
              await Promise.resolve();
              return Math.abs(x) % o.mod === 0;
            },
            { parallelism: o.parallelism },
          )
        : s.filter((x) => Math.abs(x) % o.mod === 0, { parallelism: o.parallelism });
    case 'flatMap':
      return s.flatMap((x) => Array.from({ length: o.copies }, (_, i) => x + i), {
        parallelism: o.parallelism,
      });
    case 'keyBy':
      return s.keyBy((x) => Math.abs(x) % o.mod, { strategy: o.strategy, parallelism: o.parallelism });
  }
}

describe('random pipelines against a plain-array model', function () {
  this.timeout(60_000);

  it('deliver exactly the records of the model (and in order at parallelism 1), with fusion on or off', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 30 }),
        fc.array(op, { maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (input, ops, sinkParallelism, fusion) => {
          const expected = model(input, ops, sinkParallelism);
          const env = new LocalEnvironment('model', {
            jobManager: new JobManager(),
            logLevel: 'silent',
            fusion,
          });
          const out: number[] = [];
          build(env, input, ops).sink(
            (x) => {
              out.push(x);
            },
            { parallelism: sinkParallelism },
          );
          await env.submit({ autostop: true });
          const serial = sinkParallelism === 1 && ops.every((o) => o.parallelism === 1);
          if (serial) expect(out).to.deep.equal(expected);
          else expect([...out].sort((a, b) => a - b)).to.deep.equal([...expected].sort((a, b) => a - b));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('lose and duplicate nothing across pauses taken from inside the pipeline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 }),
        fc.array(op, { maxLength: 5 }),
        fc.integer({ min: 1, max: 5 }),
        async (input, ops, every) => {
          const expected = model(input, ops, 1);
          const jm = new JobManager();
          const env = new LocalEnvironment('model-pauses', { jobManager: jm, logLevel: 'silent' });
          const out: number[] = [];
          let pauses = 0;
          build(env, input, ops).sink(function (this: { ctx: { jobId: string } }, x: number) {
            out.push(x);
            if (out.length % every === 0) {
              const uuid = this.ctx.jobId;
              jm.pauseJob(uuid);
              pauses++;
              setTimeout(() => {
                jm.continueJob(uuid);
              }, 0);
            }
          });
          await env.submit({ autostop: true });
          expect(pauses).to.equal(Math.floor(expected.length / every));
          expect([...out].sort((a, b) => a - b)).to.deep.equal([...expected].sort((a, b) => a - b));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('random connected pipelines against a plain-array model', function () {
  this.timeout(60_000);

  it('a union of two random chains, then more random steps, delivers exactly the model', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 20 }),
        fc.array(op, { maxLength: 3 }),
        fc.array(op, { maxLength: 3 }),
        fc.array(op, { maxLength: 3 }),
        parallelism,
        async (left, right, leftOps, rightOps, afterOps, unionParallelism) => {
          const union = [
            ...model(left, leftOps, unionParallelism),
            ...model(right, rightOps, unionParallelism),
          ];
          const expected = model(union, afterOps, 1);
          const env = new LocalEnvironment('model-union', {
            jobManager: new JobManager(),
            logLevel: 'silent',
          });
          const out: number[] = [];
          let s = build(env, left, leftOps)
            .connect(build(env, right, rightOps))
            .map((x) => x, { parallelism: unionParallelism });
          s = afterOps.length === 0 ? s : extend(s, afterOps);
          s.sink((x) => {
            out.push(x);
          });
          await env.submit({ autostop: true });
          expect([...out].sort((a, b) => a - b)).to.deep.equal([...expected].sort((a, b) => a - b));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a keyed join of two random streams pairs exactly the records with equal keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 15 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 15 }),
        parallelism,
        async (left, right, p) => {
          const expected: string[] = [];
          for (const l of left) for (const r of right) if (l === r) expected.push(String(l));
          const env = new LocalEnvironment('model-join', {
            jobManager: new JobManager(),
            logLevel: 'silent',
          });
          const out: string[] = [];
          env
            .fromBatch(left)
            .keyBy((x) => x)
            .connect(env.fromBatch(right).keyBy((x) => x))
            .join(InnerHashJoin, {
              parallelism: p,
              args: [(l: number, r: number) => (l === r ? String(l) : 'mismatch')],
            })
            .sink((x) => {
              out.push(x);
            });
          await env.submit({ autostop: true });
          expect([...out].sort()).to.deep.equal([...expected].sort());
        },
      ),
      { numRuns: 80 },
    );
  });
});

/** Appends random steps to an existing stream. */
function extend(stream: DataStream<number>, ops: Op[]): DataStream<number> {
  let s = stream;
  for (const o of ops) s = build1(s, o);
  return s;
}

describe('random feedback loops against a plain-array model', function () {
  this.timeout(60_000);

  it('count every seed up to the limit, at any parallelism, sync or async, and complete', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 25 }),
        parallelism,
        parallelism,
        fc.boolean(),
        async (seeds, limit, p1, p2, async) => {
          const expected = seeds.flatMap((s) =>
            Array.from({ length: Math.max(limit - s, 0) + 1 }, (_, i) => s + i),
          );
          const env = new LocalEnvironment('model-loop', {
            jobManager: new JobManager(),
            logLevel: 'silent',
          });
          const loop = env.fromFuture<number>('loop');
          const all = env
            .fromBatch(seeds)
            .connect(loop)
            .map(
              async
                ? async (d: number) => {
                    await Promise.resolve();
                    return d;
                  }
                : (d: number) => d,
              { parallelism: p1 },
            );
          const out: number[] = [];
          all.sink((d) => {
            out.push(d);
          });
          all
            .filter((d) => d < limit, { parallelism: p2 })
            .map((d) => d + 1, { parallelism: p2 })
            .fillFuture(loop);
          await env.submit({ autostop: true });
          expect([...out].sort((a, b) => a - b)).to.deep.equal([...expected].sort((a, b) => a - b));
        },
      ),
      { numRuns: 80 },
    );
  });
});
