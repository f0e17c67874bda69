/**
 * Runs one side of workload (f) in a fresh process and prints one JSON line: the sink's outcome, the wall
 * time and the peak heap growth. Started by `run.ts` as
 * `node --expose-gc --import tsx spec/bench/slow-stage-child.ts engine|rxjs <records> [<rxjs records>]`.
 */
import { HeapProbe } from './heap-probe.js';
import { slowStageWorkload } from './slow-stage.js';

/** What the child prints. */
export interface SlowStageReport {
  side: 'engine' | 'rxjs';
  title: string;
  outcome: { count: number; sum: number };
  expected: { count: number; sum: number };
  ms: number;
  peakMiB: number;
}

const side = process.argv[2] === 'rxjs' ? 'rxjs' : 'engine';
const n = Number(process.argv[3] ?? 1_000_000);
const rxjsRecords = Number(process.argv[4] ?? n);
const probe = new HeapProbe();
const sampler = setInterval(() => {
  probe.sample();
}, 2);
const workload = slowStageWorkload(
  n,
  () => {
    probe.sample();
  },
  rxjsRecords,
);
const start = performance.now();
const outcome = await (side === 'rxjs' ? workload.rxjs() : workload.engine());
const ms = performance.now() - start;
probe.sample();
clearInterval(sampler);
const report: SlowStageReport = {
  side,
  title: workload.title,
  outcome,
  expected: side === 'rxjs' ? workload.rxjsExpected : workload.expected,
  ms,
  peakMiB: probe.peakGrowthMiB,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
