import { expect } from 'chai';
import fc from 'fast-check';
import { concat, from, map as rxMap, Observable, of, throwError } from 'rxjs';
import {
  BatchFunction,
  JobFailedError,
  JobManager,
  LocalEnvironment,
  MapFunction,
  KeyedProcessFunction,
  ProcessFunction,
  type DataStream,
  type ErrorPolicy,
} from '../../../src/index.js';
import { hostileThrowables } from '../../helpers/hostile-throwables.js';

// The error-policy promise as a property: random small pipelines of every per-record operator kind, at
// parallelism 1-4, with failures of every shape injected into random records, paused and continued while they
// run. Whatever happens, the process sees no uncaught exception or unhandled rejection and the job ends within a
// bound; under 'skip' exactly the failing records are missing and each is counted once, by the operator it failed
// in; under 'fail' the job fails with a JobFailedError naming an operator that failed and carrying the cause,
// having delivered only records that the 'skip' run delivers too. Every stage is the identity on records that do
// not fail, so the plain model is a set difference.

const RUNS = Number(process.env['BADREC_RUNS'] ?? 25);
const BOUND_MS = 8000;

const SHAPES = [
  'error',
  'string',
  'undefined',
  'null',
  'proxy',
  'no-prototype',
  'reject',
  'observable-error',
] as const;
type Shape = (typeof SHAPES)[number];
const KEY_SHAPES = ['throw', 'function', 'symbol', 'circular', 'class-instance'] as const;
type KeyShape = (typeof KEY_SHAPES)[number];

const STAGES = [
  'map',
  'async-map',
  'observable-map',
  'filter',
  'flat-map',
  'process',
  'pipe',
  'keyed-map',
  'service',
  'co-map',
  'window',
  'timer',
] as const;
type StageKind = (typeof STAGES)[number];

interface Stage {
  readonly kind: StageKind;
  readonly parallelism: number;
  readonly fails: readonly number[];
  readonly shape: Shape;
  readonly keyShape: KeyShape;
}

const SOURCES = ['array', 'iterable', 'async-iterable', 'observable', 'batch-function'] as const;
type SourceKind = (typeof SOURCES)[number];

interface Case {
  readonly n: number;
  readonly source: SourceKind;
  /** The source fails after this many records (undefined: it does not). */
  readonly sourceFailsAfter: number | undefined;
  readonly stages: readonly Stage[];
  readonly sinkFails: readonly number[];
  readonly policy: ErrorPolicy;
  readonly pauses: number;
  /** Where the records end: a sink function, or a `toObservable()` subscriber. */
  readonly terminal: 'sink' | 'observable';
}

class SourceFailure extends Error {}

function thrown(shape: Shape, x: number): unknown {
  switch (shape) {
    case 'string':
      return `bad ${String(x)}`;
    case 'undefined':
      return undefined;
    case 'null':
      return null;
    case 'proxy':
      return (hostileThrowables['a Proxy whose every trap throws'] as () => unknown)();
    case 'no-prototype':
      return Object.create(null) as unknown;
    default:
      return new Error(`bad ${String(x)}`);
  }
}

/** A failure of `shape` for record `x`, as the result of a function that may return a Promise or Observable. */
function failure(shape: Shape, x: number, async: boolean): unknown {
  if (async && shape === 'reject') return Promise.reject(new Error(`bad ${String(x)}`));
  if (async && shape === 'observable-error') return concat(throwError(() => new Error(`bad ${String(x)}`)));
  throw thrown(shape, x);
}

function badKey(shape: KeyShape, x: number): unknown {
  switch (shape) {
    case 'throw':
      throw new Error(`bad key ${String(x)}`);
    case 'function':
      return () => x;
    case 'symbol':
      return Symbol(String(x));
    case 'circular': {
      const o: Record<string, unknown> = { x };
      o['self'] = o;
      return o;
    }
    default:
      return new (class Point {
        constructor(readonly at: number) {}
      })(x);
  }
}

class Calc {
  process(x: number, fail: boolean): Promise<number> {
    return fail ? new Promise<number>(() => undefined) : Promise.resolve(x);
  }
}

function source(env: LocalEnvironment, c: Case): DataStream<number> {
  const items = Array.from({ length: c.n }, (_, i) => i);
  const after = c.sourceFailsAfter;
  const name = { name: 'src' };
  if (after === undefined && c.source === 'array') return env.fromBatch(items, name);
  const upTo = after ?? c.n;
  switch (c.source) {
    case 'array':
    case 'iterable':
      return env.fromBatch(
        (function* gen(): Generator<number> {
          for (let i = 0; i < upTo; i++) yield i;
          if (after !== undefined) throw new SourceFailure('source broke');
        })(),
        name,
      );
    case 'async-iterable':
      return env.fromBatch(
        (async function* gen(): AsyncGenerator<number> {
          for (let i = 0; i < upTo; i++) {
            await Promise.resolve();
            yield i;
          }
          if (after !== undefined) throw new SourceFailure('source broke');
        })(),
        name,
      );
    case 'observable':
      return env.fromObservable(
        after === undefined
          ? from(items)
          : concat(
              from(items.slice(0, after)),
              throwError(() => new SourceFailure('source broke')),
            ),
      );
    case 'batch-function': {
      class Numbers extends BatchFunction<number> {
        private i = 0;
        execute(): number | undefined {
          if (this.i === upTo) {
            if (after !== undefined) throw new SourceFailure('source broke');
            return undefined;
          }
          return this.i++;
        }
      }
      return env.fromBatch(Numbers, name);
    }
  }
}

function stageName(i: number): string {
  return `s${String(i)}`;
}

function addStage(
  env: LocalEnvironment,
  stream: DataStream<number>,
  stage: Stage,
  i: number,
): DataStream<number> {
  const fails = new Set(stage.fails);
  const options = { name: stageName(i), parallelism: stage.parallelism };
  const bad = (x: number): boolean => fails.has(x);
  switch (stage.kind) {
    case 'map':
      return stream.map((x: number) => (bad(x) ? (failure(stage.shape, x, false) as number) : x), options);
    case 'async-map':
      return stream.map(
        (x: number) =>
          Promise.resolve().then(() =>
            bad(x) ? (failure(stage.shape, x, stage.shape === 'reject') as number) : x,
          ),
        options,
      );
    case 'observable-map':
      return stream.map(
        (x: number) => (bad(x) ? (failure(stage.shape, x, true) as Observable<number>) : of(x)),
        options,
      );
    case 'filter':
      return stream.filter(
        (x: number) => (bad(x) ? (failure(stage.shape, x, true) as boolean) : true),
        options,
      );
    case 'flat-map':
      return stream.flatMap(
        (x: number) => (bad(x) ? (failure(stage.shape, x, false) as number[]) : [x]),
        options,
      );
    case 'process': {
      class Pass extends ProcessFunction<number, number> {
        processElement(x: number): number | Promise<number> {
          return bad(x) ? (failure(stage.shape, x, stage.shape === 'reject') as number) : x;
        }
      }
      return stream.process(Pass, options);
    }
    case 'pipe':
      return stream.pipe(
        rxMap((x: number) => (bad(x) ? (failure(stage.shape, x, false) as number) : x)),
        options,
      );
    case 'keyed-map':
      return stream
        .keyBy((x: number) => (bad(x) ? badKey(stage.keyShape, x) : x % 3), { name: `${stageName(i)}-key` })
        .map((x: number) => x, options);
    case 'service':
      // A service handles one request at a time and a call's timeout counts its wait in the queue: at
      // parallelism 1, with a service of its own, only the never-settling call times out.
      return stream.map(
        async function (this: MapFunction<number, number>, x: number) {
          return this.callService<number>({ service: `calc${String(i)}`, timeout: 20 }, x, bad(x));
        },
        { ...options, parallelism: 1 },
      );
    case 'co-map':
      return stream
        .connect(env.fromBatch<number>([], { name: `${stageName(i)}-other` }))
        .coMap(
          [(x: number) => (bad(x) ? (failure(stage.shape, x, true) as number) : x), (x: number) => x],
          options,
        );
    case 'window':
      return stream
        .keyBy((x: number) => x, { name: `${stageName(i)}-key` })
        .countWindow(1)
        .process(
          (_key: unknown, _window: unknown, xs: readonly number[]) =>
            xs.map((x) => (bad(x) ? (failure(stage.shape, x, false) as number) : x)),
          options,
        );
    case 'timer': {
      // every record becomes an event-time timer of its own key, fired by the final watermark
      class Later extends KeyedProcessFunction<number, number, number> {
        processElement(x: number): undefined {
          this.ctx.timerService.registerEventTimeTimer(x);
          return undefined;
        }
        override onTimer(t: number): number {
          return bad(t) ? (failure(stage.shape, t, false) as number) : t;
        }
      }
      return stream.keyBy((x: number) => x, { name: `${stageName(i)}-key` }).process(Later, options);
    }
  }
}

/** The operator that counts a failure of `stage` (a key selector's failure is counted by its keyBy step). */
function countedBy(stage: Stage, i: number): string {
  return stage.kind === 'keyed-map' ? `${stageName(i)}-key` : stageName(i);
}

interface Model {
  readonly delivered: number[];
  /** Expected errors per operator name. */
  readonly errors: Map<string, number>;
}

function model(c: Case): Model {
  const errors = new Map<string, number>();
  const count = (op: string): void => {
    errors.set(op, (errors.get(op) ?? 0) + 1);
  };
  if (c.sourceFailsAfter !== undefined) count(c.source === 'observable' ? 'fromObservable' : 'src');
  const delivered: number[] = [];
  for (let x = 0; x < (c.sourceFailsAfter ?? c.n); x++) {
    const failedAt = c.stages.findIndex((s) => s.fails.includes(x));
    if (failedAt >= 0) count(countedBy(c.stages[failedAt] as Stage, failedAt));
    else if (c.terminal === 'sink' && c.sinkFails.includes(x)) count('sink');
    else delivered.push(x);
  }
  return { delivered, errors };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Outcome {
  readonly out: number[];
  readonly error: unknown;
  readonly ended: boolean;
  readonly errors: Map<string, number>;
  readonly status: string;
}

async function runCase(c: Case): Promise<Outcome> {
  const jm = new JobManager();
  const env = new LocalEnvironment('badrec', {
    jobManager: jm,
    logLevel: 'warn',
    logSink: () => undefined,
    errorPolicy: c.policy,
  });
  c.stages.forEach((_, i) => {
    env.registerService(`calc${String(i)}`, Calc);
  });
  const out: number[] = [];
  const sinkFails = new Set(c.sinkFails);
  let stream = source(env, c);
  c.stages.forEach((stage, i) => {
    stream = addStage(env, stream, stage, i);
  });
  let error: unknown;
  const job = { ended: false };
  let done: Promise<void>;
  if (c.terminal === 'sink') {
    stream.sink(
      (x: number) => {
        if (sinkFails.has(x)) throw new Error(`sink refused ${String(x)}`);
        out.push(x);
      },
      { name: 'sink' },
    );
    done = env.submit({ autostop: true }).then(
      () => {
        job.ended = true;
      },
      (e: unknown) => {
        job.ended = true;
        error = e;
      },
    );
  } else {
    done = new Promise<void>((resolve) => {
      stream.toObservable().subscribe({
        next: (x) => {
          out.push(x);
        },
        complete: () => {
          job.ended = true;
          resolve();
        },
        error: (e: unknown) => {
          job.ended = true;
          error = e;
          resolve();
        },
      });
    });
  }
  const uuid = jm.listJobs()[0]?.uuid;
  for (let p = 0; p < c.pauses && uuid !== undefined && !job.ended; p++) {
    try {
      jm.pauseJob(uuid);
      await sleep(1);
      jm.continueJob(uuid);
    } catch {
      // the job ended between the check and the call: pausing a finished job is refused
    }
    await sleep(1);
  }
  await Promise.race([done, sleep(BOUND_MS)]);
  if (!job.ended) env.stop();
  const status = jm.listJobs()[0];
  const errors = new Map<string, number>();
  for (const op of status?.operators ?? []) if (op.errors > 0) errors.set(op.operator, op.errors);
  return { out, error, ended: job.ended, errors, status: status?.status ?? 'not_found' };
}

const failsArb = (n: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<number[]>([]) },
    {
      weight: 2,
      arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { maxLength: 3 }),
    },
  );

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    source: fc.constantFrom(...SOURCES),
    sourceFailsAfter: fc.option(fc.integer({ min: 0, max: n }), { nil: undefined, freq: 4 }),
    stages: fc.array(
      fc.record({
        kind: fc.constantFrom(...STAGES),
        parallelism: fc.integer({ min: 1, max: 4 }),
        fails: failsArb(n),
        shape: fc.constantFrom(...SHAPES),
        keyShape: fc.constantFrom(...KEY_SHAPES),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    sinkFails: failsArb(n),
    policy: fc.constantFrom<ErrorPolicy>('skip', 'fail'),
    pauses: fc.integer({ min: 0, max: 3 }),
    terminal: fc.constantFrom<'sink' | 'observable'>('sink', 'observable'),
  }),
);

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

describe('record errors never crash the process, never hang a job, never lose records (property)', function () {
  this.timeout(120_000);
  const escaped: unknown[] = [];
  const onEscape = (e: unknown): void => {
    escaped.push(e);
  };
  before(() => {
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
  });
  after(() => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  });

  it("under 'skip' exactly the failing records are missing and counted; under 'fail' the job fails naming the operator", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const before = escaped.length;
        const got = await runCase(c);
        await sleep(0);
        expect(escaped.slice(before), 'nothing escapes to the process').to.deep.equal([]);
        expect(got.ended, 'the job ends within the bound').to.equal(true);
        const want = model(c);
        if (c.policy === 'skip') {
          expect(got.error).to.equal(undefined);
          expect(got.status).to.equal('completed');
          expect(sorted(got.out)).to.deep.equal(want.delivered);
          expect(got.errors).to.deep.equal(want.errors);
          return;
        }
        if (want.errors.size === 0) {
          expect(got.error).to.equal(undefined);
          expect(sorted(got.out)).to.deep.equal(want.delivered);
          return;
        }
        expect(got.status).to.equal('failed');
        expect(got.error).to.be.instanceOf(JobFailedError);
        const failed = got.error as JobFailedError;
        expect([...want.errors.keys()]).to.include(failed.operator);
        expect(failed.message).to.contain(`failed in ${failed.operator}`);
        // nothing is invented or duplicated: only records the 'skip' run delivers, each at most once
        expect(new Set(got.out).size).to.equal(got.out.length);
        for (const x of got.out) expect(want.delivered).to.include(x);
        if (
          c.source === 'observable' &&
          c.sourceFailsAfter !== undefined &&
          failed.operator === 'fromObservable'
        ) {
          // fromObservable's contract: the records emitted before the error are delivered, then the job fails
          expect(sorted(got.out)).to.deep.equal(want.delivered);
        }
      }),
      {
        numRuns: RUNS,
        examples: [
          // shrunk failures found by this property: records of an erroring fromObservable lost under 'fail'
          [
            {
              n: 3,
              source: 'observable',
              sourceFailsAfter: 1,
              stages: [{ kind: 'async-map', parallelism: 1, fails: [], shape: 'error', keyShape: 'throw' }],
              sinkFails: [],
              policy: 'fail',
              pauses: 0,
              terminal: 'sink',
            },
          ],
          [
            {
              n: 10,
              source: 'observable',
              sourceFailsAfter: 1,
              stages: [
                { kind: 'timer', parallelism: 1, fails: [], shape: 'error', keyShape: 'throw' },
                { kind: 'service', parallelism: 1, fails: [], shape: 'error', keyShape: 'throw' },
              ],
              sinkFails: [],
              policy: 'fail',
              pauses: 0,
              terminal: 'sink',
            },
          ],
          // a Proxy thrown from an async step: it used to crash the process and hang the job
          [
            {
              n: 4,
              source: 'array',
              sourceFailsAfter: undefined,
              stages: [{ kind: 'async-map', parallelism: 2, fails: [2], shape: 'proxy', keyShape: 'throw' }],
              sinkFails: [],
              policy: 'skip',
              pauses: 1,
              terminal: 'observable',
            },
          ],
        ],
      },
    );
  });
});
