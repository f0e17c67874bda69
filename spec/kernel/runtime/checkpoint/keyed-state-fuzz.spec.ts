import { expect } from 'chai';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import {
  JobManager,
  LocalEnvironment,
  MapFunction,
  SnapshotMismatchError,
  type DataStream,
} from '../../../../src/index.js';
import { savepointAtRecord } from '../../../helpers/savepoint-at-record.js';
import { normalizeKey } from '../../../../src/kernel/runtime/key/key-encoding.js';
import { instanceForKey } from '../../../../src/kernel/runtime/key/key-group.js';

interface Rec {
  readonly j: number;
  readonly seq: number;
  readonly v: number;
}

interface Keyed extends Rec {
  readonly key: unknown;
}

/** What the stateful step reports after each record: where it ran and every state kind's value. */
interface Out {
  readonly j: number;
  readonly inst: number;
  readonly par: number;
  readonly key: unknown;
  readonly n: number;
  readonly list: number[];
  readonly map: [number, number][];
  readonly sum: number | undefined;
  readonly agg: number | undefined;
  readonly obj: { d: number; m: number; set: number; z: boolean };
  readonly fieldCount: number;
}

type Family = 'num' | 'str' | 'date' | 'arr' | 'obj' | 'mixed';

/** Key class `j` of a family; `variant` picks one of several equal spellings (−0/0, NaN, key order…). */
function keyOf(family: Family, j: number, variant: number): unknown {
  switch (family) {
    case 'num':
      if (j === 0) return variant % 2 === 0 ? 0 : -0;
      if (j === 1) return variant % 2 === 0 ? NaN : 0 / 0;
      return j * 1.5 - 7;
    case 'str':
      return j === 0 ? '' : j === 1 ? '\u0000x' : `k${String(j)}`;
    case 'date':
      return new Date(j * 1000);
    case 'arr':
      return [j, String(j), j === 0 ? (variant % 2 === 0 ? 0 : -0) : [j]];
    case 'obj':
      return variant % 2 === 0 ? { a: j, b: [j, { c: 'x' }] } : { b: [j, { c: 'x' }], a: j };
    case 'mixed': {
      const m = j % 5;
      return m === 0 ? j : m === 1 ? `s${String(j)}` : m === 2 ? new Date(j) : m === 3 ? [j] : { j };
    }
  }
}

interface Stored {
  d: Date;
  m: Map<number, number>;
  set: Set<number>;
  z: number;
}

/** Uses every keyed state kind and plain-data function fields (number, Set, Map, Date, nested object). */
class EveryState extends MapFunction<Keyed, Out> {
  count = 0;
  seen = new Set<number>();
  byKey = new Map<number, number>();
  last = new Date(0);
  totals = { records: 0, nested: { sum: 0 } };

  constructor(private readonly async: boolean) {
    super();
  }

  execute(r: Keyed): Out | Promise<Out> {
    if (!this.async) return this.run(r);
    // The key context must survive the await.
    return new Promise<void>((resolve) => {
      setImmediate(resolve);
    }).then(() => this.run(r));
  }

  private run(r: Keyed): Out {
    const s = this.ctx.state;
    const n = s.value<number>('n', 0);
    n.update((x) => x + 1);
    const list = s.list<number>('l');
    list.add(r.seq);
    const m = s.map<number, number>('m');
    m.put(r.seq % 3, (m.get(r.seq % 3) ?? 0) + 1);
    const sum = s.reducing<number>('sum', (a, b) => a + b);
    sum.add(r.v);
    const agg = s.aggregating<number, { c: number; s: number }, number>('agg', {
      createAccumulator: () => ({ c: 0, s: 0 }),
      add: (v, a) => ({ c: a.c + 1, s: a.s + v }),
      getResult: (a) => a.s - a.c,
    });
    agg.add(r.v);
    const o = s.value<Stored | undefined>('o');
    const prev = o.get();
    const next: Stored = {
      d: new Date(r.seq),
      m: new Map(prev?.m ?? []),
      set: new Set(prev?.set ?? []),
      z: -0,
    };
    next.m.set(r.seq, -0);
    next.set.add(NaN);
    next.set.add(r.seq % 2);
    o.set(next);
    this.count++;
    this.seen.add(r.j);
    this.byKey.set(r.j, (this.byKey.get(r.j) ?? 0) + 1);
    this.last = new Date(r.seq);
    this.totals.records++;
    this.totals.nested.sum += r.v;
    const got = o.get() as Stored;
    return {
      j: r.j,
      inst: this.ctx.parallelIndex,
      par: this.ctx.parallelism,
      key: this.ctx.getKey(),
      n: n.get(),
      list: [...list.get()],
      map: [...m.entries()].sort((a, b) => a[0] - b[0]),
      sum: sum.get(),
      agg: agg.get(),
      obj: { d: got.d.getTime(), m: got.m.size, set: got.set.size, z: Object.is(got.z, -0) },
      fieldCount: this.count,
    };
  }
}

const cases = fc.record({
  family: fc.constantFrom<Family>('num', 'str', 'date', 'arr', 'obj', 'mixed'),
  keys: fc.integer({ min: 1, max: 7 }),
  total: fc.integer({ min: 20, max: 300 }),
  p: fc.integer({ min: 1, max: 4 }),
  p2: fc.integer({ min: 1, max: 4 }),
  mid: fc.constantFrom(0, 1, 2, 3),
  fusion: fc.boolean(),
  async: fc.boolean(),
  maxP: fc.constantFrom<number>(4, 7, 16, 128),
  otherMaxP: fc.constantFrom<number | undefined>(4, 7, 16, 128, undefined, undefined, undefined),
  at: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  how: fc.constantFrom('fail', 'running', 'paused', 'stop-with-savepoint'),
  interval: fc.integer({ min: 1, max: 5 }),
});

describe('keyed state of every kind under failures, savepoints and rescaling (property against a plain model)', function () {
  this.timeout(60_000);

  it('every key ends with its model state, on instance floor(keyGroup × p / maxParallelism); a foreign maxParallelism is refused', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const jm = new JobManager();
        const recs: Rec[] = Array.from({ length: c.total }, (_, i) => ({
          j: (i * 7) % c.keys,
          seq: i,
          v: (i * 13) % 11,
        }));
        const cutAt = Math.max(1, Math.floor(c.total * c.at));
        let failed = false;
        let seen = 0;
        const build = (
          parallelism: number,
          maxParallelism: number,
          out: Out[],
          onCut?: (uuid: string) => void,
        ): LocalEnvironment => {
          const env = new LocalEnvironment('keyed-fuzz', {
            jobManager: jm,
            logLevel: 'silent',
            fusion: c.fusion,
            highWaterMark: 8,
            maxParallelism,
            errorPolicy: 'fail',
          });
          let s: DataStream<Rec> = env.fromBatch(recs, { name: 'src' });
          if (c.mid > 0) s = s.map((r) => r, { parallelism: c.mid, name: 'mid' });
          s.map(
            function (this: { ctx: { jobId: string } }, r: Rec): Keyed {
              seen++;
              if (c.how === 'fail' && !failed && seen === cutAt) {
                failed = true;
                throw new Error('injected failure');
              }
              if (seen === cutAt) onCut?.(this.ctx.jobId);
              return { ...r, key: keyOf(c.family, r.j, r.seq) };
            },
            { name: 'inject' },
          )
            .keyBy((r) => r.key)
            .map(EveryState, { args: [c.async], parallelism, name: 'state' })
            .sink(
              (o) => {
                out.push(o);
              },
              { name: 'sink' },
            );
          return env;
        };

        const first: Out[] = [];
        const second: Out[] = [];
        let maxPAfter = c.maxP;
        if (c.how === 'fail') {
          const env = build(c.p, c.maxP, first);
          env.enableCheckpointing(c.interval);
          env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 1 });
          const uuid = await env.submit({ autostop: true });
          const status = jm.getJobStatus(uuid);
          expect(status.status).to.equal('completed');
          expect('restarts' in status ? status.restarts : undefined).to.equal(1);
        } else {
          const saved = await savepointAtRecord(jm, c.how, (cut) => build(c.p, c.maxP, first, cut).submit());
          maxPAfter = c.otherMaxP ?? c.maxP;
          if (c.p2 > maxPAfter) return;
          try {
            await build(c.p2, maxPAfter, second).submit({ autostop: true, restore: saved });
          } catch (e) {
            // Keyed state split by another maxParallelism cannot be restored (as in Flink).
            expect(maxPAfter).not.to.equal(c.maxP);
            expect(e).to.be.instanceOf(SnapshotMismatchError);
            return;
          }
        }

        // Every key ran on the instance that owns its key group.
        for (const o of first) expect(o.inst).to.equal(instanceForKey(o.key, o.par, c.maxP));
        for (const o of second) expect(o.inst).to.equal(instanceForKey(o.key, o.par, maxPAfter));

        // Final state per key: the report with the highest count (outputs are at-least-once).
        const final = new Map<unknown, Out>();
        for (const o of [...first, ...second]) {
          const k = normalizeKey(o.key);
          const prev = final.get(k);
          if (prev === undefined || o.n >= prev.n) final.set(k, o);
        }
        const byKey = new Map<number, Rec[]>();
        for (const r of recs) byKey.set(r.j, [...(byKey.get(r.j) ?? []), r]);
        expect(final.size).to.equal(byKey.size);
        // With a rebalancing step before keyBy, one key's records may arrive in any order.
        const ordered = (xs: number[]): number[] => (c.mid > 1 ? [...xs].sort((a, b) => a - b) : xs);
        for (const [j, rs] of byKey) {
          const o = final.get(normalizeKey(keyOf(c.family, j, 0)));
          expect(o, `key ${String(j)}`).not.to.equal(undefined);
          const seqs = rs.map((r) => r.seq);
          const m = new Map<number, number>();
          for (const q of seqs) m.set(q % 3, (m.get(q % 3) ?? 0) + 1);
          const vs = rs.reduce((a, r) => a + r.v, 0);
          const expected = {
            n: rs.length,
            list: ordered(seqs),
            map: [...m.entries()].sort((a, b) => a[0] - b[0]),
            sum: vs,
            agg: vs - rs.length,
            obj: { m: rs.length, set: 1 + new Set(seqs.map((q) => q % 2)).size, z: true },
          };
          const got = {
            n: o?.n,
            list: ordered(o?.list ?? []),
            map: o?.map,
            sum: o?.sum,
            agg: o?.agg,
            obj: { m: o?.obj.m, set: o?.obj.set, z: o?.obj.z },
          };
          expect(isDeepStrictEqual(got, expected), `key ${String(j)}: ${JSON.stringify(got)}`).to.equal(true);
        }

        // Function fields: at an unchanged layout, the instances' final counts add up to every record once.
        if (c.how === 'fail' || (c.p2 === c.p && maxPAfter === c.maxP)) {
          const last = new Map<number, number>();
          for (const o of c.how === 'fail' ? first : second) {
            last.set(o.inst, Math.max(last.get(o.inst) ?? 0, o.fieldCount));
          }
          if (c.how !== 'fail') {
            const before = new Map<number, number>();
            for (const o of first) before.set(o.inst, Math.max(before.get(o.inst) ?? 0, o.fieldCount));
            for (const [i, v] of before) if (!last.has(i)) last.set(i, v);
          }
          expect([...last.values()].reduce((a, b) => a + b, 0)).to.equal(c.total);
        }
      }),
      { numRuns: 25 },
    );
  });
});
