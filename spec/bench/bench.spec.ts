import { expect } from 'chai';
import { batchLatencyWorkload } from './batch-latency.js';
import { runBench, type BenchSizes } from './bench-suite.js';
import { fanOutWorkload } from './fan-out.js';
import { markdownTable } from './format-table.js';
import { keyedCountWorkload } from './keyed-count.js';
import { mapFilterWorkload } from './map-filter.js';
import { serviceCallWorkload } from './service-call.js';
import { slowStageWorkload } from './slow-stage.js';
import type { Workload } from './workload.js';

/** Tiny sizes: the suite runs end to end in about a second; no timing is asserted. */
const TINY: BenchSizes = {
  mapFilter: 300,
  keyed: 400,
  keys: 7,
  callsSmall: 50,
  callsLarge: 200,
  batch: 10,
  fanOut: 300,
  slow: 300,
  slowRxjs: 300,
  throughput: { iterations: 1, warmup: 0 },
  latency: { iterations: 2, warmup: 0 },
};

const workloads: [string, () => Workload][] = [
  ['a. map → filter', () => mapFilterWorkload(1_000)],
  ['b. keyed count, parallelism 1', () => keyedCountWorkload(1_000, 13, 1)],
  ['b. keyed count, parallelism 4', () => keyedCountWorkload(1_000, 13, 4)],
  ['c. service calls', () => serviceCallWorkload(500)],
  ['d. small batch job', () => batchLatencyWorkload(10)],
  ['e. fan-out to three sinks', () => fanOutWorkload(1_000)],
  ['f. slow async stage', () => slowStageWorkload(500)],
];

describe('bench workloads', () => {
  for (const [name, create] of workloads) {
    it(`${name}: the engine's sink sees the same records as the RxJS baseline`, async () => {
      const w = create();
      const engine = await w.engine();
      const rxjs = await w.rxjs();
      expect(engine).to.deep.equal(w.expected);
      expect(rxjs).to.deep.equal(engine);
    });
  }

  it('a. the expected outcome is computed, not assumed: map doubles and filter drops multiples of 3', () => {
    const w = mapFilterWorkload(6);
    expect(w.expected).to.deep.equal({ count: 4, sum: 2 + 4 + 8 + 10 });
  });

  it('b. the keyed count is per key: 4 records over 2 keys count 1, 1, 2, 2', () => {
    expect(keyedCountWorkload(4, 2, 1).expected).to.deep.equal({ count: 4, sum: 6 });
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

describe('bench suite', () => {
  it('runs every workload at tiny sizes and prints one table row per workload', async function () {
    this.timeout(60_000);
    const rows = await runBench(TINY);
    expect(rows.map((r) => r.workload.charAt(0))).to.deep.equal(['a', 'b', 'b', 'c', 'c', 'd', 'e', 'f']);
    const table = markdownTable(rows);
    expect(table.split('\n')).to.have.length(rows.length + 2);
    expect(table).to.contain('| Workload |');
  });
});
