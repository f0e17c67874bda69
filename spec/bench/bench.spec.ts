import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { benchArgs } from './bench-args.js';
import { FULL_SIZES, QUICK_SIZES, TINY_SIZES } from './bench-sizes.js';
import { runBench, type BenchReport } from './bench-suite.js';
import { BENCH_BUILD_DIR, compileBench } from './compile-bench.js';
import { costTable } from './cost-row.js';
import { formatBytes, formatRatio, markdownTable } from './format-table.js';
import { keyedCountWorkload } from './keyed-count.js';
import { listStateWorkload } from './list-state.js';
import { longLivedJobManagerWorkload } from './long-lived-job-manager.js';
import { mapFilterWorkload } from './map-filter.js';
import { measure } from './measure.js';
import { resultsTable } from './results-table.js';
import { slowStageWorkload } from './slow-stage.js';
import { HeapPerKey, valueStateWorkload } from './value-state.js';
import { warmUp } from './warm-up.js';
import { benchCatalog } from './workload-catalog.js';
import type { Outcome, Workload } from './workload.js';

describe('bench workloads', () => {
  for (const entry of benchCatalog(TINY_SIZES)) {
    it(`${entry.id}: the engine's sink sees the same records as the RxJS baseline`, async () => {
      const w = entry.create();
      await w.prepare?.();
      const engine = await w.engine();
      const rxjs = await w.rxjs();
      expect(engine).to.deep.equal(w.expected);
      expect(rxjs).to.deep.equal(engine);
    });
  }

  it('f. slow async stage: the engine sees every record', async () => {
    const w = slowStageWorkload(500);
    expect(await w.engine()).to.deep.equal(w.expected);
  });

  it('a. the expected outcome is computed, not assumed: map doubles and filter drops multiples of 3', () => {
    const w = mapFilterWorkload(6);
    expect(w.expected).to.deep.equal({ count: 4, sum: 2 + 4 + 8 + 10 });
  });

  it('b. the keyed count is per key: 4 records over 2 keys count 1, 1, 2, 2', () => {
    expect(keyedCountWorkload(4, 2, 1).expected).to.deep.equal({ count: 4, sum: 6 });
  });

  it('g. ctx.state counts per key; with fewer records than keys every record writes a new key', async () => {
    const dense = valueStateWorkload(5, 2);
    expect(dense.expected).to.deep.equal({ count: 5, sum: 1 + 1 + 2 + 2 + 3 });
    expect(await dense.engine()).to.deep.equal(dense.expected);
    const sparse = valueStateWorkload(3, 1_000_000);
    expect(sparse.expected).to.deep.equal({ count: 3, sum: 3 });
    expect(sparse.detail).to.equal('3 keys written');
  });

  it('g. heap per key, in ctx.state and in the Map', async () => {
    const w = valueStateWorkload(200, 50, 1);
    const heap = await w.heap?.();
    expect(heap?.per).to.equal('key');
    expect(heap?.engineBytes).to.be.a('number').and.not.NaN;
    expect(heap?.rxjsBytes).to.be.a('number').and.not.NaN;
  });

  it('g. HeapPerKey reads the heap once half the keys are held and after the last record', () => {
    const readings = [1_000, 1_600, 9_999];
    const probe = new HeapPerKey(10, 6, () => readings.shift() ?? Number.NaN);
    for (let seen = 1; seen <= 10; seen++) probe.mark(seen); // reads at record 3 (3 of 6 keys) and at record 10
    expect(probe.bytesPerKey).to.equal(200); // 600 bytes over the 3 keys added in between
  });

  it('h. the list lengths grow by one per record of a key', () => {
    expect(listStateWorkload(5, 2).expected).to.deep.equal({ count: 5, sum: 1 + 1 + 2 + 2 + 3 });
  });

  it('i. prepare() leaves the JobManager with the finished jobs; heap() gives bytes per job', async () => {
    const w = longLivedJobManagerWorkload(100, 3);
    await w.prepare?.();
    const heap = await w.heap?.();
    expect(heap?.per).to.equal('finished job');
    expect(heap?.engineBytes).to.be.a('number').and.not.NaN;
    expect(await w.engine()).to.deep.equal(w.expected);
  });

  it('the warm-up runs every pipeline once per round', async () => {
    // 10 records: coMap 20, join 10, async 10, service 10, keyed 10, objects 9 × 2, fan-out 5 × 3
    expect(await warmUp({ records: 10, rounds: 1 })).to.equal(93);
    expect(await warmUp({ records: 10, rounds: 2 })).to.equal(186);
  });

  it('f. the RxJS side can stop early, after a given number of outputs', async () => {
    const w = slowStageWorkload(100, () => undefined, 10);
    expect(await w.rxjs()).to.deep.equal({ count: 10, sum: 45 });
    expect(w.rxjsExpected).to.deep.equal({ count: 10, sum: 45 });
  });

  it('f. the slow stage calls the heap probe while it runs', async () => {
    let probes = 0;
    const w = slowStageWorkload(3_000, () => {
      probes++;
    });
    await w.engine();
    expect(probes).to.equal(3);
  });
});

describe('bench measure', () => {
  it('prepares once before the runs, checks both sinks, and asks for heap figures after the runs', async () => {
    const calls: string[] = [];
    const outcome: Outcome = { count: 1, sum: 1 };
    const w: Workload = {
      title: 'fake',
      records: 1,
      expected: outcome,
      prepare: () => {
        calls.push('prepare');
        return Promise.resolve();
      },
      engine: () => {
        calls.push('engine');
        return Promise.resolve(outcome);
      },
      rxjs: () => {
        calls.push('rxjs');
        return Promise.resolve(outcome);
      },
      heap: () => {
        calls.push('heap');
        return Promise.resolve({ per: 'key', engineBytes: 10 });
      },
    };
    const timing = await measure(w, { iterations: 2, warmup: 0 });
    expect(calls[0]).to.equal('prepare');
    expect(calls.at(-1)).to.equal('heap');
    expect(calls.filter((c) => c === 'prepare')).to.have.length(1);
    expect(calls.filter((c) => c === 'engine').length).to.be.at.least(3); // the check, then the timed runs
    expect(timing.heap).to.deep.equal({ per: 'key', engineBytes: 10 });
  });

  it('with minMs, keeps running a fast side until its runs took that long', async () => {
    let engineRuns = 0;
    const outcome: Outcome = { count: 1, sum: 1 };
    const w: Workload = {
      title: 'fast',
      records: 1,
      expected: outcome,
      engine: () => {
        engineRuns++;
        return Promise.resolve(outcome);
      },
      rxjs: () => Promise.resolve(outcome),
    };
    await measure(w, { iterations: 1, warmup: 0, minMs: 50 });
    expect(engineRuns).to.be.above(2); // without minMs: the check and one timed run
  });

  it('refuses to time a workload whose engine sink saw other records', async () => {
    const w: Workload = {
      title: 'broken',
      records: 1,
      expected: { count: 1, sum: 1 },
      engine: () => Promise.resolve({ count: 0, sum: 0 }),
      rxjs: () => Promise.resolve({ count: 1, sum: 1 }),
    };
    let error: unknown;
    await measure(w, { iterations: 1, warmup: 0 }).catch((e: unknown) => {
      error = e;
    });
    expect(String(error)).to.contain('broken: the engine sink saw {"count":0,"sum":0}');
  });
});

describe('bench options and tables', () => {
  it('picks the sizes from the options and can set the records of every state row', () => {
    expect(benchArgs([]).sizes).to.equal(FULL_SIZES);
    expect(benchArgs(['--quick']).sizes).to.equal(QUICK_SIZES);
    expect(benchArgs(['--tiny', '--out', 'x.json'])).to.deep.equal({ sizes: TINY_SIZES, out: 'x.json' });
    const state = benchArgs(['--state-records', '1000000']).sizes.state;
    expect(state.map((s) => s.keys)).to.deep.equal(FULL_SIZES.state.map((s) => s.keys));
    expect(state.every((s) => s.records === 1_000_000)).to.equal(true);
    expect(() => benchArgs(['--state-records', 'many'])).to.throw(RangeError, 'positive whole number');
    expect(benchArgs(['--from', 'old.json']).from).to.equal('old.json');
    expect(benchArgs([]).from).to.equal(undefined);
  });

  it('shows small ratios with two significant digits, never as zero', () => {
    expect([formatRatio(1.624), formatRatio(0.25), formatRatio(0.00113), formatRatio(0)]).to.deep.equal([
      '1.62×',
      '0.25×',
      '0.0011×',
      '0.00×',
    ]);
  });

  it('renders a markdown table and sizes in bytes', () => {
    expect(markdownTable(['A', 'B'], [['1', '2']])).to.equal('| A | B |\n|---|---|\n| 1 | 2 |');
    expect([formatBytes(312), formatBytes(7000), formatBytes(3 * 1024 * 1024)]).to.deep.equal([
      '312 B',
      '6.8 KiB',
      '3.0 MiB',
    ]);
  });

  it('shows rates, ratios and heap for both columns', () => {
    const slow = {
      side: 'engine' as const,
      title: 'f',
      outcome: { count: 1, sum: 0 },
      expected: { count: 1, sum: 0 },
    };
    const report: BenchReport = {
      date: '2026-01-01T00:00:00.000Z',
      machine: 'test',
      sizes: TINY_SIZES,
      warmUp: ['coMap'],
      rows: [
        {
          id: 'g',
          title: 'g. state',
          records: 1_000_000,
          detail: '10 keys',
          kind: 'throughput',
          fresh: { engineMs: 100, rxjsMs: 200, heap: { per: 'key', engineBytes: 300, rxjsBytes: 50 } },
          warm: { engineMs: 400, rxjsMs: 200 },
        },
        {
          id: 'a',
          title: 'a. chain',
          records: 1_000_000,
          kind: 'throughput',
          fresh: { engineMs: 10, rxjsMs: 25 },
          freshRatios: [3, 2.5, 1.5],
          warm: { engineMs: 10, rxjsMs: 20 },
        },
        {
          id: 'd',
          title: 'd. latency',
          records: 10,
          kind: 'latency',
          fresh: { engineMs: 0.05, rxjsMs: 0.01 },
          warm: { engineMs: 0.05, rxjsMs: 0.01 },
        },
      ],
      slowStage: {
        title: 'f',
        records: 10,
        rxjsRecords: 5,
        engine: { ...slow, ms: 10, peakMiB: 1 },
        rxjs: { ...slow, side: 'rxjs', ms: 20, peakMiB: 4 },
      },
      seconds: 1,
      loadAverage: { start: 0, end: 0 },
    };
    const lines = resultsTable(report).split('\n');
    expect(lines[2]).to.equal(
      '| g. state | 1,000,000 (10 keys) | 10.0M/s | 5.0M/s | 2.00× | 2.5M/s | 5.0M/s | 0.50× | engine 300 B/key, RxJS 50 B/key |',
    );
    expect(lines[3]).to.equal(
      '| a. chain | 1,000,000 | 100.0M/s | 40.0M/s | 2.50× (median of 3 processes: 1.50×–3.00×) | 100.0M/s | 50.0M/s | 2.00× |  |',
    );
    expect(lines[4]).to.equal(
      '| d. latency | 10 | 50 µs median | 10 µs median | 0.20× | 50 µs median | 10 µs median | 0.20× |  |',
    );
    expect(lines.at(-1)).to.equal(
      '| f | 10 | 1.0 MiB (10.0 ms) | 4.0 MiB (20.0 ms, stopped after 5 outputs) | 4.00× |',
    );
  });
});

describe('bench suite', () => {
  it('compiles the engine and the bench to JavaScript for the child processes', function () {
    this.timeout(120_000); // a fresh clone compiles every file once: seconds on an idle machine, more under load
    const child = compileBench('bench-child.ts');
    expect(child).to.match(/bench-child\.js$/);
    expect(existsSync(child)).to.equal(true);
  });

  it('leaves compiled files that did not change alone (children that start meanwhile never read a half-written one)', async () => {
    compileBench('bench-child.ts');
    const manifest = join(BENCH_BUILD_DIR, 'package.json');
    const child = join(BENCH_BUILD_DIR, 'spec', 'bench', 'bench-child.js');
    const before = [statSync(manifest).mtimeMs, statSync(child).mtimeMs];
    await new Promise((resolve) => setTimeout(resolve, 20));
    compileBench('slow-stage-child.ts');
    expect([statSync(manifest).mtimeMs, statSync(child).mtimeMs]).to.deep.equal(before);
  });

  it('runs every workload at tiny sizes, fresh and after the warm-up, and gives one table row each', async function () {
    this.timeout(240_000); // about 20 s on an idle 2-core machine: some 30 processes; more when others share the cores
    const report = await runBench(TINY_SIZES, { concurrency: 4 });
    const ids = benchCatalog(TINY_SIZES).map((e) => e.id);
    expect(report.rows.map((r) => r.id)).to.deep.equal(ids);
    for (const row of report.rows) {
      for (const t of [row.fresh, row.warm]) {
        expect(t.engineMs, row.id).to.be.above(0);
        expect(t.rxjsMs, row.id).to.be.above(0);
      }
    }
    expect(report.rows.find((r) => r.id === 'i')?.fresh.heap?.per).to.equal('finished job');
    expect(report.slowStage.engine.outcome).to.deep.equal(report.slowStage.engine.expected);
    expect(report.checkpoint?.keys).to.equal(TINY_SIZES.checkpointKeys);
    expect(report.checkpoint?.checkpointMs).to.be.above(0);
    expect(report.costs?.map((c) => c.unit)).to.deep.equal([
      ...Array<string>(5).fill('record'),
      ...Array<string>(5).fill('call'),
    ]);
    for (const c of report.costs ?? []) expect(c.ratio, c.title).to.be.above(0);
    const table = resultsTable(report);
    const costLines = costTable(report.costs ?? []).split('\n').length;
    // the workload table, workload f's, the cost table and workload k's, each after a blank line
    expect(table.split('\n')).to.have.length(ids.length + 2 + 1 + 3 + 1 + costLines + 1 + 3);
    expect(table).to.match(/\| 2,000 keys in `ctx.state` \|/);
    expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
  });
});
