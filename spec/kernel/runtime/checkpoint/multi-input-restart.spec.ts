import { expect } from 'chai';
import fc from 'fast-check';
import { JobManager, LocalEnvironment, MapFunction, type DataStream } from '../../../../src/index.js';
import { SequenceSource } from '../../../../src/testing/index.js';

interface Rec {
  readonly key: number;
  readonly seq: number;
}

/** Where the one failure happens, and how many records it waits for (outside the functions: restarts rebuild them). */
const injected = { where: '', at: 0, seen: 0, failures: 0 };

function maybeFail(where: string): void {
  if (injected.where === where && injected.failures === 0 && ++injected.seen === injected.at) {
    injected.failures++;
    throw new Error(`injected failure in ${where}`);
  }
}

/** Counts per key in value state and keeps every record in list state: both must agree. */
class Count extends MapFunction<Rec, [number, number, number]> {
  constructor(private readonly async: boolean) {
    super();
  }

  execute(r: Rec): [number, number, number] | Promise<[number, number, number]> {
    const run = (): [number, number, number] => {
      maybeFail('count');
      const n = this.ctx.state.value('n', 0);
      n.set(n.get() + 1);
      const list = this.ctx.state.list<number>('l');
      list.add(r.seq);
      return [r.key, n.get(), list.get().length];
    };
    if (!this.async) return run();
    return new Promise<void>((resolve) => {
      setImmediate(resolve);
    }).then(run);
  }
}

const cases = fc.record({
  keysA: fc.integer({ min: 1, max: 5 }),
  perKeyA: fc.integer({ min: 10, max: 100 }),
  sourceParallelism: fc.integer({ min: 1, max: 3 }),
  nB: fc.integer({ min: 1, max: 150 }),
  keysB: fc.integer({ min: 1, max: 4 }),
  p: fc.integer({ min: 1, max: 4 }),
  mid: fc.integer({ min: 0, max: 3 }),
  fusion: fc.boolean(),
  async: fc.boolean(),
  at: fc.double({ min: 0.02, max: 0.98, noNaN: true }),
  interval: fc.integer({ min: 1, max: 6 }),
  where: fc.constantFrom('count', 'sink', 'array-side'),
  connect: fc.boolean(),
});

describe('restarts of multi-input keyed jobs (union or connect of two sources), property against a plain model', function () {
  this.timeout(60_000);

  it('a failure in the keyed step, the sink or one input restarts once; state is exactly-once, output at-least-once', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const jm = new JobManager();
        const env = new LocalEnvironment('multi-input', {
          jobManager: jm,
          logLevel: 'silent',
          fusion: c.fusion,
          highWaterMark: 8,
          errorPolicy: 'fail',
        });
        env.enableCheckpointing(c.interval);
        env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 1 });
        const total = c.keysA * c.perKeyA + c.nB;
        Object.assign(injected, {
          where: c.where,
          at: Math.max(1, Math.floor((c.where === 'array-side' ? c.nB : total) * c.at)),
          seen: 0,
          failures: 0,
        });
        const a: DataStream<Rec> = env.fromBatch(SequenceSource, {
          args: [{ keys: c.keysA, perKey: c.perKeyA }],
          parallelism: c.sourceParallelism,
          name: 'seq',
        });
        const bRecs: Rec[] = Array.from({ length: c.nB }, (_, i) => ({
          key: 100 + (i % c.keysB),
          seq: Math.floor(i / c.keysB) + 1,
        }));
        const b = env.fromBatch(bRecs, { name: 'array' }).map(
          (r) => {
            maybeFail('array-side');
            return r;
          },
          { name: 'array-side' },
        );
        let u: DataStream<Rec> = c.connect ? a.connect(b).map((r) => r, { name: 'co' }) : a.union(b);
        if (c.mid > 0) u = u.map((r) => r, { parallelism: c.mid, name: 'mid' });
        const last = new Map<number, number>();
        const outputs = new Set<string>();
        u.keyBy((r) => r.key)
          .map(Count, { args: [c.async], parallelism: c.p, name: 'count' })
          .sink(
            ([key, n, listed]) => {
              maybeFail('sink');
              expect(listed, 'value and list state agree').to.equal(n);
              last.set(key, Math.max(last.get(key) ?? 0, n));
              outputs.add(`${String(key)}:${String(n)}`);
            },
            { name: 'sink' },
          );
        const uuid = await env.submit({ autostop: true });
        const status = jm.getJobStatus(uuid);
        expect(status.status).to.equal('completed');
        expect('restarts' in status ? status.restarts : undefined).to.equal(1);
        const expected = new Map<number, number>();
        for (let k = 0; k < c.keysA; k++) expected.set(k, c.perKeyA);
        for (const r of bRecs) expected.set(r.key, (expected.get(r.key) ?? 0) + 1);
        expect([...last].sort((x, y) => x[0] - y[0])).to.deep.equal(
          [...expected].sort((x, y) => x[0] - y[0]),
        );
        for (const [key, n] of expected) {
          for (let i = 1; i <= n; i++) expect(outputs.has(`${String(key)}:${String(i)}`)).to.equal(true);
        }
      }),
      { numRuns: 30 },
    );
  });
});
