import { expect } from 'chai';
import fc from 'fast-check';
import { Observable } from 'rxjs';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { CompiledStep, stepSource, type CompiledKind } from '../../../src/core/operator/compiled-step.js';
import type { Transformation } from '../../../src/core/transformation/transformation.js';
import { lowerOperator } from '../../../src/core/operator/lower.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { JobGate } from '../../../src/kernel/runtime/job-gate.js';
import { OperatorMetrics } from '../../../src/kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../../src/kernel/runtime/operator-runtime.js';
import type { Step } from '../../../src/kernel/runtime/step.js';

type Mode = 'sync' | 'promise' | 'observable' | 'throw';
interface Op {
  kind: 'map' | 'filter' | 'flatMap' | 'keyBy';
  mode: Mode;
}

/** What one run of a chain did: outputs with keys, the keys user code saw, counters and errors per operator. */
interface Trace {
  outputs: [unknown, unknown][];
  seen: string[];
  counters: number[][];
  errors: string[];
  completed: boolean;
}

/** A small runtime for one operator: counters, gate, key of the call, holds and the `skip` error policy. */
class FakeRuntime {
  key: unknown = undefined;
  input = 0;
  readonly metrics = new OperatorMetrics('op');
  readonly subscription = { add: () => undefined, remove: () => undefined };
  readonly ctx: { name: string; getKey: () => unknown };
  readonly restored = undefined;

  constructor(
    readonly gate: JobGate,
    readonly instance: { input: number; pending: number },
    private readonly trace: Trace,
    readonly name: string,
  ) {
    this.ctx = { name, getKey: () => this.key };
  }

  hold(): void {
    this.instance.pending++;
  }
  release(): void {
    this.instance.pending--;
  }
  error(e: unknown): void {
    this.metrics.errors++;
    this.trace.errors.push(`${this.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  failJob(e: unknown): void {
    this.error(e);
  }
  registerFunction(): void {
    // no snapshots in this harness
  }
  closeFunction(): undefined {
    return undefined;
  }
  onJobEnd(): void {
    // the harness ends no job
  }
}

function later<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(resolve, value));
}

function twice<T>(a: T, b: T): Observable<T> {
  return new Observable<T>((s) => {
    s.next(a);
    setImmediate(() => {
      s.next(b);
      s.complete();
    });
  });
}

/** Builds the user function of one random operator (deterministic in the record). */
function userFunction(
  op: Op,
  i: number,
  seen: string[],
): (this: { ctx: { getKey(): unknown } }, x: number) => unknown {
  const note = (ctx: { getKey(): unknown }, x: unknown, when: string): void => {
    seen.push(`${String(i)}:${when}:${String(x)}@${String(ctx.getKey())}`);
  };
  const boom = (x: number): boolean => op.mode === 'throw' && x % 5 === 0;
  switch (op.kind) {
    case 'map':
      return function (x) {
        note(this.ctx, x, 'call');
        if (boom(x)) throw new Error(`map ${String(x)}`);
        const y = x % 7 === 0 ? undefined : x * 2 + 1;
        if (op.mode === 'promise') return later(y).then((v) => (note(this.ctx, x, 'after'), v));
        if (op.mode === 'observable') return twice(y, x);
        return y;
      };
    case 'filter':
      return function (x) {
        note(this.ctx, x, 'call');
        if (boom(x)) throw new Error(`filter ${String(x)}`);
        const keep = x % 3 !== 0;
        if (op.mode === 'promise') return later(keep).then((v) => (note(this.ctx, x, 'after'), v));
        if (op.mode === 'observable') return twice(keep, false);
        return keep;
      };
    case 'flatMap':
      return function (x) {
        note(this.ctx, x, 'call');
        const items = x % 4 === 0 ? [] : [x, x + 1];
        if (op.mode === 'throw') {
          if (x % 5 === 0) throw new Error(`flatMap ${String(x)}`);
          if (x % 5 === 1) {
            return (function* () {
              yield x;
              throw new Error(`flatMap iterable ${String(x)}`);
            })();
          }
          return x % 2 === 0 ? items : new Set(items);
        }
        if (op.mode === 'promise') return later(items);
        if (op.mode === 'observable') return twice(items, [x]);
        return items;
      };
    default:
      return function (x) {
        note(this.ctx, x, 'call');
        if (boom(x)) throw new Error(`keyBy ${String(x)}`);
        return x % 3;
      };
  }
}

/** Runs `records` through the chain, one record at a time once the previous one is finished (as a Task does). */
async function run(ops: Op[], records: number[], compiled: boolean): Promise<Trace> {
  const trace: Trace = { outputs: [], seen: [], counters: [], errors: [], completed: false };
  const env = new LocalEnvironment('compiled-step-spec', {
    jobManager: new JobManager(),
    logLevel: 'silent',
  });
  let stream = env.fromBatch([] as number[]);
  ops.forEach((op, i) => {
    const fn = userFunction(op, i, trace.seen);
    const f = fn as (x: number) => number;
    if (op.kind === 'keyBy') stream = stream.keyBy(f);
    else if (op.kind === 'map') stream = stream.map(f);
    else if (op.kind === 'filter') stream = stream.filter(f);
    else stream = stream.flatMap(fn as (x: number) => number[]);
  });
  stream.sink(function (this: { ctx: { getKey(): unknown } }, x: unknown) {
    trace.outputs.push([x, this.ctx.getKey()]);
  });
  const gate = new JobGate();
  const instance = { input: 0, pending: 0 };
  const end: Step<unknown> = { next: () => undefined, complete: () => (trace.completed = true) };
  const runtimes: FakeRuntime[] = [];
  let step = end;
  const transformations = env.pipeline.slice(1);
  for (let i = transformations.length - 1; i >= 0; i--) {
    const rt = new FakeRuntime(gate, instance, trace, `op${String(i)}`);
    runtimes.unshift(rt);
    const built = lowerOperator(transformations[i]!).create(rt as unknown as OperatorRuntime, step);
    if (!(built instanceof CompiledStep)) throw new Error('not compiled');
    step = compiled ? built : built.fallback;
  }
  const idle = async (): Promise<void> => {
    while (instance.pending !== 0) await later(undefined);
  };
  for (const [i, x] of records.entries()) {
    instance.input = i % 2;
    step.next(x, undefined, undefined);
    await idle();
  }
  step.complete();
  await idle();
  trace.counters = runtimes.map((rt) => [
    rt.metrics.in,
    rt.metrics.out,
    rt.metrics.filtered,
    rt.metrics.errors,
  ]);
  return trace;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('map' as const, 'filter' as const, 'flatMap' as const),
    mode: fc.constantFrom<Mode>('sync', 'promise', 'observable', 'throw'),
  }),
  fc.record({ kind: fc.constant('keyBy' as const), mode: fc.constantFrom<Mode>('sync', 'throw') }),
);

describe('compiled steps (per-instance code for the synchronous path)', () => {
  it('give the same outputs, keys, key contexts and counters as the uncompiled steps, for random chains', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }),
        async (ops, records) => {
          const reference = await run(ops, records, false);
          const compiled = await run(ops, records, true);
          expect(compiled).to.deep.equal(reference);
          expect(compiled.completed).to.equal(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('await a thenable, flatten an Observable-like and pass any other object on as it is', async () => {
    const env = new LocalEnvironment('results', { jobManager: new JobManager(), logLevel: 'silent' });
    const out: unknown[] = [];
    const plain = { id: 1, subscribe: 'not a function' };
    const observableLike = {
      lift: () => undefined,
      subscribe: (o: { next(v: number): void; complete(): void }) => {
        o.next(7);
        o.complete();
        return { unsubscribe: () => undefined };
      },
    };
    env
      .fromBatch([0, 1, 2])
      .map((i): unknown =>
        i === 0
          ? plain
          : i === 1
            ? {
                then: (resolve: (v: number) => void) => {
                  resolve(5);
                },
              }
            : observableLike,
      )
      .sink((x) => {
        out.push(x);
      });
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([plain, 5, 7]);
  });

  it('run a synchronous chain as one function, up to a flatMap or the sink', () => {
    const env = new LocalEnvironment('fused', { jobManager: new JobManager(), logLevel: 'silent' });
    env
      .fromBatch([1])
      .keyBy((x) => x % 2)
      .map((x) => x + 1)
      .filter((x) => x > 0)
      .flatMap((x) => [x, x])
      .map((x) => x * 2)
      .sink(() => undefined);
    const trace: Trace = { outputs: [], seen: [], counters: [], errors: [], completed: false };
    const end: Step<unknown> = { next: () => undefined, complete: () => undefined };
    const steps: CompiledStep[] = [];
    let step = end;
    for (const t of env.pipeline.slice(1).reverse()) {
      const rt = new FakeRuntime(new JobGate(), { input: 0, pending: 0 }, trace, 'op');
      const built = lowerOperator(t).create(rt as unknown as OperatorRuntime, step);
      if (!(built instanceof CompiledStep)) throw new Error('not compiled');
      steps.unshift(built);
      step = built;
    }
    expect(steps.map((s) => /compiled ([\w ]+) chain/.exec(s.source)?.[1])).to.deep.equal([
      'keyBy map filter flatMap',
      'map filter flatMap',
      'filter flatMap',
      'flatMap',
      'map sink',
      'sink',
    ]);
  });

  it('queue records behind an awaited call, in order, with their own keys', async () => {
    const trace = await run(
      [
        { kind: 'keyBy', mode: 'sync' },
        { kind: 'flatMap', mode: 'sync' },
        { kind: 'map', mode: 'promise' },
      ],
      [1, 2, 3],
      true,
    );
    expect(trace.outputs).to.deep.equal([
      [3, 1],
      [5, 1],
      [5, 2],
      [7, 2],
      [7, 0],
      [9, 0],
    ]);
    expect(trace.seen.filter((s) => s.startsWith('2:after'))).to.deep.equal([
      '2:after:1@1',
      '2:after:2@1',
      '2:after:2@2',
      '2:after:3@2',
      '2:after:3@0',
      '2:after:4@0',
    ]);
  });

  it('call no user function once the job stopped', async () => {
    const trace = await run([{ kind: 'map', mode: 'sync' }], [], true);
    expect(trace.seen).to.deep.equal([]);
    const env = new LocalEnvironment('stopped', { jobManager: new JobManager(), logLevel: 'silent' });
    let calls = 0;
    env
      .fromBatch([1])
      .map(() => ++calls)
      .sink(() => undefined);
    const gate = new JobGate();
    const rt = new FakeRuntime(gate, { input: 0, pending: 0 }, trace, 'm');
    const step = lowerOperator(env.pipeline[1]!).create(rt as unknown as OperatorRuntime, {
      next: () => undefined,
      complete: () => undefined,
    });
    gate.stop();
    step.next(1, undefined, undefined);
    expect(calls).to.equal(0);
    expect(rt.metrics.in).to.equal(1);
  });
});

describe('stepSource (the generated code)', () => {
  const kinds: CompiledKind[] = ['map', 'filter', 'flatMap', 'sink', 'keyBy'];

  it('depends only on the kind and a serial number, never on user-provided text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 3 }).filter((t) => !kinds.some((k) => stepSource(k, 0).includes(t))),
        (userText) => {
          const env = new LocalEnvironment('src', { jobManager: new JobManager(), logLevel: 'silent' });
          const user = (x: number): number => x;
          Object.defineProperty(user, 'name', { value: userText });
          const name = `n${userText}`;
          env
            .fromBatch([1])
            .map(user, { name })
            .filter(user, { name: `${name}f` })
            .sink(() => undefined);
          const trace: Trace = { outputs: [], seen: [], counters: [], errors: [], completed: false };
          const rt = new FakeRuntime(new JobGate(), { input: 0, pending: 0 }, trace, name);
          const end: Step<unknown> = { next: () => undefined, complete: () => undefined };
          for (const [i, kind] of [[1, 'map'] as const, [2, 'filter'] as const]) {
            const step = lowerOperator(env.pipeline[i] as Transformation).create(
              rt as unknown as OperatorRuntime,
              end,
            );
            if (!(step instanceof CompiledStep)) throw new Error('not compiled');
            const id = /chain (\d+)/.exec(step.source)?.[1] ?? '';
            expect(step.source).to.equal(stepSource(kind, Number(id)));
            expect(step.source).to.not.include(userText);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('holds no string literal but a few fixed ones (no text can be carried in)', () => {
    const allowed = ["'use strict'", "'string'", "'number'", "'object'", "'symbol'", "'function'"];
    for (const kind of kinds) {
      const code = stepSource(kind, 1);
      for (const literal of code.match(/'[^']*'/g) ?? []) expect(allowed).to.include(literal);
      expect(code).to.not.match(/["`]/);
    }
  });

  it('refuses a serial that is not an integer', () => {
    expect(() => stepSource('map', 1.5)).to.throw(RangeError);
  });
});
