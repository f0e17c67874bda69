/**
 * The cost rows' process, started by `bench-suite.ts` as `node --expose-gc cost-child.js '<sizes as JSON>'`:
 * times the metrics counters, the `pipe(map(f))` step (unkeyed, over 1,000 number keys and over 1,000 string keys), RxJS's own `map` alone and the service options,
 * each against its baseline in this one process, and prints the rows as one JSON line (an array of
 * {@link CostRow}).
 */
import type { BenchSizes } from './bench-sizes.js';
import type { CostRow } from './cost-row.js';
import { metricsCostRow } from './metrics-cost.js';
import { pipeStepCostRow } from './pipe-step-cost.js';
import { rxjsMapFloorRow } from './rxjs-map-floor.js';
import { serviceCostRows } from './service-batch.js';

const sizes = (JSON.parse(process.argv[2] ?? '') as BenchSizes).costs;
const rows: CostRow[] = [
  await metricsCostRow(sizes.records, sizes.metricsRounds),
  await pipeStepCostRow(sizes.records, sizes.metricsRounds),
  await rxjsMapFloorRow(sizes.records, sizes.metricsRounds),
  await pipeStepCostRow(sizes.records, sizes.metricsRounds, { count: 1_000, type: 'number' }),
  await pipeStepCostRow(sizes.records, sizes.metricsRounds, { count: 1_000, type: 'string' }),
  ...(await serviceCostRows(sizes.calls, sizes.smallCalls, sizes.serviceRounds)),
];
process.stdout.write(`${JSON.stringify(rows)}\n`);
