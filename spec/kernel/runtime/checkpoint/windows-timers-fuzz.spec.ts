import { expect } from 'chai';
import fc from 'fast-check';
import {
  JobManager,
  KeyedProcessFunction,
  LocalEnvironment,
  WatermarkStrategy,
  type DataStream,
} from '../../../../src/index.js';
import { TumblingEventTimeWindows } from '../../../../src/core/api/window/tumbling-event-time-windows.js';
import { savepointAtRecord } from '../../../helpers/savepoint-at-record.js';
import { normalizeKey } from '../../../../src/kernel/runtime/key/key-encoding.js';
import { instanceForKey } from '../../../../src/kernel/runtime/key/key-group.js';

interface Rec {
  readonly j: number;
  readonly seq: number;
  readonly ts: number;
}

type Family = 'num' | 'str' | 'date' | 'arr' | 'obj';

function keyOf(family: Family, j: number, seq: number): unknown {
  switch (family) {
    case 'num':
      return j === 0 ? (seq % 2 === 0 ? 0 : -0) : j === 1 ? NaN : j - 3.5;
    case 'date':
      return new Date(j * 10);
    case 'arr':
      return [j, { x: j === 0 ? (seq % 2 === 0 ? 0 : -0) : 'y' }];
    case 'obj':
      return seq % 2 === 0 ? { a: j, b: 1 } : { b: 1, a: j };
    case 'str':
      return `k${String(j)}`;
  }
}

interface Fired {
  readonly key: string;
  readonly t: number;
  readonly n: number;
  readonly inst: number;
  readonly ok: boolean;
}

/** Counts per key and registers an event-time timer per record; a timer reports the key's count. */
class Timers extends KeyedProcessFunction<unknown, Rec, Fired> {
  constructor(private readonly maxParallelism: number) {
    super();
  }

  processElement(r: Rec): undefined {
    this.ctx.state.value<number>('n', 0).update((x) => x + 1);
    this.ctx.timerService.registerEventTimeTimer(r.ts + 5);
    return undefined;
  }

  override onTimer(t: number): Fired {
    const key = this.ctx.getKey();
    return {
      key: String(normalizeKey(key)),
      t,
      n: this.ctx.state.value<number>('n', 0).get(),
      inst: this.ctx.parallelIndex,
      ok: this.ctx.parallelIndex === instanceForKey(key, this.ctx.parallelism, this.maxParallelism),
    };
  }
}

const cases = fc.record({
  family: fc.constantFrom<Family>('num', 'str', 'date', 'arr', 'obj'),
  keys: fc.integer({ min: 1, max: 6 }),
  total: fc.integer({ min: 6, max: 60 }),
  p: fc.integer({ min: 1, max: 4 }),
  p2: fc.integer({ min: 1, max: 4 }),
  fusion: fc.boolean(),
  maxP: fc.constantFrom(4, 16, 128),
  at: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  how: fc.constantFrom('fail', 'running', 'paused', 'stop-with-savepoint'),
  kind: fc.constantFrom('count', 'tumbling', 'timers'),
  interval: fc.integer({ min: 1, max: 5 }),
});

describe('window contents and timers under failures, savepoints and rescaling (property against a plain model)', function () {
  this.timeout(60_000);

  it('every window fires with exactly its elements, every timer fires, whatever the cut and parallelism', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const jm = new JobManager();
        const recs: Rec[] = Array.from({ length: c.total }, (_, i) => ({
          j: (i * 5) % c.keys,
          seq: i,
          ts: i * 3,
        }));
        const name = (j: number): string => `${c.family}${String(j)}`;
        const cutAt = Math.max(1, Math.floor(c.total * c.at));
        let failed = false;
        let seen = 0;
        const job = (parallelism: number, out: string[], fired: Fired[], onCut?: (uuid: string) => void) => {
          const env = new LocalEnvironment('windows-fuzz', {
            jobManager: jm,
            logLevel: 'silent',
            fusion: c.fusion,
            highWaterMark: 8,
            maxParallelism: c.maxP,
            errorPolicy: 'fail',
            autoWatermarkIntervalMs: 1,
          });
          const keyed = env
            .fromBatch(recs, { name: 'src' })
            .map(
              function (this: { ctx: { jobId: string } }, r: Rec): Promise<Rec> {
                seen++;
                if (c.how === 'fail' && !failed && seen === cutAt) {
                  failed = true;
                  throw new Error('injected failure');
                }
                if (seen === cutAt) onCut?.(this.ctx.jobId);
                return new Promise((resolve) => {
                  setImmediate(() => {
                    resolve(r);
                  });
                });
              },
              { name: 'inject' },
            )
            .assignTimestampsAndWatermarks(
              WatermarkStrategy.forMonotonousTimestamps<Rec>().withTimestampAssigner((r) => r.ts),
              { name: 'wm' },
            )
            .keyBy((r) => keyOf(c.family, r.j, r.seq));
          const collect = {
            createAccumulator: (): number[] => [],
            add: (r: Rec, a: number[]): number[] => [...a, r.seq],
            getResult: (a: number[]): number[] => a,
            merge: (a: number[], b: number[]): number[] => [...a, ...b],
          };
          let result: DataStream<string> | undefined;
          if (c.kind === 'count') {
            result = keyed
              .countWindow(3)
              .aggregate(
                collect,
                (_k: unknown, _w: unknown, [a]: readonly number[][]) =>
                  `C|${name((recs[a?.[0] ?? 0] as Rec).j)}|${(a ?? []).join(',')}`,
                { parallelism, name: 'win' },
              );
          } else if (c.kind === 'tumbling') {
            result = keyed
              .window(TumblingEventTimeWindows.of(20))
              .aggregate(
                collect,
                (_k: unknown, w: { start: number }, [a]: readonly number[][]) =>
                  `W|${name((recs[a?.[0] ?? 0] as Rec).j)}|${String(w.start)}|${[...(a ?? [])].sort((x, y) => x - y).join(',')}`,
                { parallelism, name: 'win' },
              );
          } else {
            keyed.process(Timers, { args: [c.maxP], parallelism, name: 'win' }).sink((f) => {
              fired.push(f);
            });
          }
          result?.sink((s) => {
            out.push(s);
          });
          return env;
        };

        const out: string[] = [];
        const fired: Fired[] = [];
        if (c.how === 'fail') {
          const env = job(c.p, out, fired);
          env.enableCheckpointing(c.interval);
          env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 1 });
          const uuid = await env.submit({ autostop: true });
          expect(jm.getJobStatus(uuid).status).to.equal('completed');
        } else {
          const saved = await savepointAtRecord(jm, c.how, (cut) => job(c.p, out, fired, cut).submit());
          await job(c.p2, out, fired).submit({ autostop: true, restore: saved });
        }

        const byKey = new Map<number, Rec[]>();
        for (const r of recs) byKey.set(r.j, [...(byKey.get(r.j) ?? []), r]);
        if (c.kind === 'timers') {
          // Every timer (one per record: distinct timestamps) fires at least once, on its key's instance; the
          // latest firing of each key sees every record of it counted once.
          expect(fired.every((f) => f.ok)).to.equal(true);
          const times = new Map<string, Set<number>>();
          const counts = new Map<string, number>();
          for (const f of fired) {
            times.set(f.key, (times.get(f.key) ?? new Set()).add(f.t));
            counts.set(f.key, Math.max(counts.get(f.key) ?? 0, f.n));
          }
          expect([...times.values()].reduce((a, s) => a + s.size, 0)).to.equal(c.total);
          expect([...counts.values()].sort((a, b) => a - b)).to.deep.equal(
            [...byKey.values()].map((r) => r.length).sort((a, b) => a - b),
          );
          return;
        }
        // Windows: the distinct results are exactly the model's (outputs may repeat across a restart).
        const expected = new Set<string>();
        for (const [j, rs] of byKey) {
          if (c.kind === 'count') {
            for (let i = 0; i + 3 <= rs.length; i += 3) {
              expected.add(
                `C|${name(j)}|${rs
                  .slice(i, i + 3)
                  .map((r) => r.seq)
                  .join(',')}`,
              );
            }
          } else {
            const windows = new Map<number, number[]>();
            for (const r of rs) {
              const start = Math.floor(r.ts / 20) * 20;
              windows.set(start, [...(windows.get(start) ?? []), r.seq]);
            }
            for (const [start, seqs] of windows)
              expected.add(`W|${name(j)}|${String(start)}|${seqs.join(',')}`);
          }
        }
        expect([...new Set(out)].sort()).to.deep.equal([...expected].sort());
      }),
      { numRuns: 30 },
    );
  });
});
