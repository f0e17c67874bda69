/**
 * `npm run bench [-- --quick | --tiny] [--state-records N] [--out FILE] [--from FILE]`: runs every workload in
 * a fresh process and again in one long-lived process after a mixed warm-up, prints the machine and a markdown
 * table (engine vs plain RxJS in the same process, both columns) ready to paste, and writes every figure to
 * `bench-results.json`, then the threads backend's figures (spec/bench/threads.ts). Progress goes to stderr. With `--from FILE` it runs nothing and prints the table of
 * an earlier run's file (to update the README after a change to the table's layout).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { benchArgs } from './bench-args.js';
import { runBench, type BenchReport } from './bench-suite.js';
import { resultsTable } from './results-table.js';
import { threadsBench } from './threads.js';

const { sizes, out, from } = benchArgs(process.argv.slice(2));
const report =
  from === undefined ? await measureAll() : (JSON.parse(readFileSync(from, 'utf8')) as BenchReport);
const table = resultsTable(report);
if (from === undefined) writeFileSync(out, `${JSON.stringify({ ...report, table }, null, 2)}\n`);
process.stdout.write(
  `Run of ${report.date} on ${report.machine}, ${report.seconds.toFixed(0)} s in all, load average ` +
    `${report.loadAverage.start.toFixed(1)} at the start and ${report.loadAverage.end.toFixed(1)} at the end ` +
    `(figures also in ${from ?? out}).\n\n${table}\n`,
);

if (from === undefined) {
  process.stderr.write('threads backend…\n');
  process.stdout.write(`\n${await threadsBench(sizes.keyed >= 500_000 ? 2_000_000 : sizes.keyed)}`);
}

function measureAll(): Promise<BenchReport> {
  return runBench(sizes, {
    progress: (line) => {
      process.stderr.write(`${line}\n`);
    },
  });
}
