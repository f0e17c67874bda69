/**
 * One benchmark process, started by `bench-suite.ts` as
 * `node --expose-gc bench-child.js '<sizes as JSON>' [--warm-up] <workload id>…`:
 * runs the mixed warm-up first when asked, then measures the named workloads one after the other and prints
 * one JSON line (a {@link ChildResult}) per workload.
 */
import type { BenchSizes } from './bench-sizes.js';
import type { ChildResult } from './child-result.js';
import { measure } from './measure.js';
import { warmUp } from './warm-up.js';
import { benchCatalog, runsOf } from './workload-catalog.js';

const [sizesJson = '', ...rest] = process.argv.slice(2);
const sizes = JSON.parse(sizesJson) as BenchSizes;
const warm = rest[0] === '--warm-up';
const ids = warm ? rest.slice(1) : rest;
const catalog = benchCatalog(sizes);

if (warm) await warmUp(sizes.warmUp);
for (const id of ids) {
  const entry = catalog.find((e) => e.id === id);
  if (entry === undefined) throw new Error(`bench-child: no workload "${id}" in the catalog`);
  const workload = entry.create();
  const timing = await measure(workload, runsOf(entry, sizes));
  const result: ChildResult = {
    id,
    title: workload.title,
    records: workload.records,
    kind: workload.kind ?? 'throughput',
    ...(workload.detail === undefined ? {} : { detail: workload.detail }),
    ...(workload.baseline === undefined ? {} : { baseline: workload.baseline }),
    ...timing,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
