import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { CompiledStep } from '../../../../src/core/operator/compiled-step.js';
import type { DataStream } from '../../../../src/core/api/data-stream.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { LoopHost } from '../../../../src/kernel/runtime/source/array-loop.js';
import type { OperatorMetrics } from '../../../../src/kernel/runtime/metrics/operator-metrics.js';
import { within } from '../../../helpers/wait-for.js';

type Mode = 'sync' | 'promise' | 'throw';
interface Op {
  readonly kind: 'map' | 'filter' | 'flatMap' | 'keyBy';
  readonly mode: Mode;
}

/**
 * What a job did: each sink instance's records with their keys, every operator's counters, and the key and
 * timestamp each step's function saw for each record, sorted (steps of other instances interleave).
 */
interface Outcome {
  readonly outputs: [unknown, unknown][][];
  readonly counters: string[];
  readonly seen: string[];
}

function later<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(resolve, value));
}

function boom(op: Op, x: number): void {
  if (op.mode === 'throw' && x % 5 === 0) throw new Error(`${op.kind} ${String(x)}`);
}

/** What a user function sees of its context: the record's key and timestamp. */
interface Seen {
  ctx: { getKey(): unknown; timestamp?: number | undefined };
}

/** Notes, in `log`, the key and timestamp step `op` saw for record `x` (they must not depend on the source). */
function note(log: string[], op: Op, self: Seen, x: number): void {
  log.push(`${op.kind} ${String(x)} key ${String(self.ctx.getKey())} at ${String(self.ctx.timestamp)}`);
}

function extend(stream: DataStream<number>, op: Op, log: string[]): DataStream<number> {
  switch (op.kind) {
    case 'map':
      return stream.map(function (this: Seen, x) {
        note(log, op, this, x);
        boom(op, x);
        const y = x % 7 === 0 ? undefined : x * 2 + 1;
        return op.mode === 'promise' ? later(y) : y;
      });
    case 'filter':
      return stream.filter(function (this: Seen, x) {
        note(log, op, this, x);
        boom(op, x);
        const keep = x % 3 !== 0;
        return op.mode === 'promise' ? later(keep) : keep;
      });
    case 'flatMap':
      return stream.flatMap(function (this: Seen, x) {
        note(log, op, this, x);
        boom(op, x);
        const items = x % 4 === 0 ? [] : [x, x + 1];
        return (op.mode === 'promise' ? later(items) : items) as number[];
      });
    default:
      return stream.keyBy(function (this: Seen, x) {
        note(log, op, this, x);
        boom(op, x);
        return x % 3;
      });
  }
}

/**
 * Runs `records` through the chain and a sink (in the source's instance at parallelism 1, else behind a
 * rebalance with a small queue, which presses the source), read from the array itself (the fused array loop)
 * or from an Iterable over it (one record at a time).
 */
async function run(ops: readonly Op[], records: number[], array: boolean, sinks: number): Promise<Outcome> {
  const jm = new JobManager();
  const env = new LocalEnvironment('array-loop', { jobManager: jm, logLevel: 'silent', highWaterMark: 2 });
  const items: Iterable<number> = array ? records : { [Symbol.iterator]: () => records[Symbol.iterator]() };
  let stream = env.fromBatch(items);
  const seen: string[] = [];
  for (const op of ops) stream = extend(stream, op, seen);
  const outputs: [unknown, unknown][][] = Array.from({ length: sinks }, () => []);
  stream.sink(
    function (this: { ctx: { parallelIndex: number; getKey(): unknown } }, x) {
      outputs[this.ctx.parallelIndex]?.push([x, this.ctx.getKey()]);
    },
    { parallelism: sinks },
  );
  await within(env.submit({ autostop: true }), 8000, 'the job to complete');
  const metrics: OperatorMetrics[] = jm.getJob(env.jobId as string)?.dispatcher.metrics() ?? [];
  const counters = metrics.map(
    (m) =>
      `${m.operator}#${String(m.instance)} in ${String(m.in)} out ${String(m.out)} ` +
      `filtered ${String(m.filtered)} errors ${String(m.errors)}`,
  );
  return { outputs, counters, seen: seen.sort() };
}

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('map' as const, 'filter' as const, 'flatMap' as const, 'keyBy' as const),
  mode: fc.constantFrom<Mode>('sync', 'sync', 'promise', 'throw'),
});

describe('array sources fused with their chain (one loop per instance)', () => {
  it('give the same outputs, keys and counters as a source emitting record by record, for random chains', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }),
        fc.constantFrom(1, 2),
        async (ops, records, sinks) => {
          const reference = await run(ops, records, false, sinks);
          expect(await run(ops, records, true, sinks)).to.deep.equal(reference);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('run an array source and a compiled chain in one loop', async () => {
    const original = Object.getOwnPropertyDescriptor(CompiledStep.prototype, 'arrayLoop');
    const hosts: LoopHost[] = [];
    const arrayLoop = original?.value as CompiledStep['arrayLoop'];
    CompiledStep.prototype.arrayLoop = function (this: CompiledStep, ...args) {
      hosts.push(args[0]);
      return arrayLoop.apply(this, args);
    };
    try {
      const out: number[] = [];
      const env = new LocalEnvironment('fused-loop', { jobManager: new JobManager(), logLevel: 'silent' });
      env
        .fromBatch([1, 2, 3, 4])
        .map((x) => x * 10)
        .filter((x) => x !== 20)
        .sink((x) => {
          out.push(x);
        });
      await within(env.submit({ autostop: true }), 5000, 'the job to complete');
      expect(out).to.deep.equal([10, 30, 40]);
      expect(hosts).to.have.length(1);
    } finally {
      if (original !== undefined) Object.defineProperty(CompiledStep.prototype, 'arrayLoop', original);
    }
  });

  it('compile one loop for every run of a pipeline, and another for other user code', async () => {
    const loops: string[] = [];
    const original = globalThis.Function;
    globalThis.Function = new Proxy(original, {
      construct(target, args: string[]) {
        const code = args.at(-1) ?? '';
        if (code.includes('compiled array loop')) loops.push(code);
        return Reflect.construct(target, args);
      },
    });
    const runWith = async (factor: number): Promise<number[]> => {
      const out: number[] = [];
      const env = new LocalEnvironment('shared-loop', { jobManager: new JobManager(), logLevel: 'silent' });
      // Texts no other spec uses: a loop compiled earlier in the process for the same code would be reused.
      const scale =
        factor === 3
          ? (sharedLoopRecord: number): number => sharedLoopRecord * 3
          : (sharedLoopRecord: number): number => sharedLoopRecord * factor + 0.5;
      env
        .fromBatch([1, 2, 3])
        .map(scale)
        .sink((sharedLoopOutput) => {
          out.push(sharedLoopOutput);
        });
      await within(env.submit({ autostop: true }), 5000, 'the job to complete');
      return out;
    };
    try {
      expect(await runWith(3)).to.deep.equal([3, 6, 9]);
      expect(await runWith(3)).to.deep.equal([3, 6, 9]);
      expect(loops).to.have.length(1);
      expect(await runWith(2)).to.deep.equal([2.5, 4.5, 6.5]);
      expect(loops).to.have.length(2);
    } finally {
      globalThis.Function = original;
    }
  });

  it('stop after a record that paused the job, and go on where it stopped once it continues', async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('paused-loop', { jobManager: jm, logLevel: 'silent' });
    const out: number[] = [];
    let pausedAt = -1;
    env
      .fromBatch(Array.from({ length: 1000 }, (_, i) => i))
      .map((x) => x + 1)
      .sink(function (this: { ctx: { jobId: string } }, x) {
        out.push(x);
        if (x === 100) {
          jm.pauseJob(this.ctx.jobId);
          pausedAt = out.length;
        }
      });
    const done = env.submit({ autostop: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(pausedAt).to.equal(100);
    expect(out).to.have.length(pausedAt);
    jm.continueJob(env.jobId as string);
    await within(done, 5000, 'the job to complete');
    expect(out).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('count the records of a job stopped inside a record as a source emitting record by record does', async () => {
    const counters = async (array: boolean): Promise<string[]> => {
      const jm = new JobManager();
      const env = new LocalEnvironment('stopped-loop', { jobManager: jm, logLevel: 'silent' });
      const records = [1, 2, 3, 4, 5, 6];
      const out: number[] = [];
      env
        .fromBatch(array ? records : { [Symbol.iterator]: () => records[Symbol.iterator]() })
        .map(function (this: { ctx: { jobId: string } }, x) {
          if (x === 3) jm.stopJob(this.ctx.jobId);
          return x;
        })
        .filter((x) => x % 2 === 1)
        .sink((x) => {
          out.push(x);
        });
      await within(
        env.submit({ autostop: true }).catch(() => undefined),
        5000,
        'the job to end',
      );
      expect(out).to.deep.equal([1]);
      return (jm.getJob(env.jobId as string)?.dispatcher.metrics() ?? []).map(
        (m) => `${m.operator} in ${String(m.in)} out ${String(m.out)} filtered ${String(m.filtered)}`,
      );
    };
    const reference = await counters(false);
    expect(reference).to.deep.equal([
      'fromBatch in 0 out 3 filtered 0',
      'map in 3 out 3 filtered 0',
      'filter in 3 out 1 filtered 1',
      'sink in 1 out 1 filtered 0',
    ]);
    expect(await counters(true)).to.deep.equal(reference);
  });
});
