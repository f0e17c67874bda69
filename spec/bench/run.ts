/**
 * `npm run bench [-- --quick | --tiny] [--state-records N] [--out FILE]`: runs every workload in a fresh process
 * and again in one long-lived process after a mixed warm-up, prints the machine and a markdown table (engine vs
 * plain RxJS in the same process, both columns) ready to paste, and writes every figure to
 * `bench-results.json`. Progress goes to stderr.
 */
import { writeFileSync } from 'node:fs';
import { benchArgs } from './bench-args.js';
import { runBench } from './bench-suite.js';
import { resultsTable } from './results-table.js';

const { sizes, out } = benchArgs(process.argv.slice(2));
const report = await runBench(sizes, {
  progress: (line) => {
    process.stderr.write(`${line}\n`);
  },
});
const table = resultsTable(report);
writeFileSync(out, `${JSON.stringify({ ...report, table }, null, 2)}\n`);
process.stdout.write(
  `Run of ${report.date} on ${report.machine}, ${report.seconds.toFixed(0)} s in all, load average ` +
    `${report.loadAverage.start.toFixed(1)} at the start and ${report.loadAverage.end.toFixed(1)} at the end ` +
    `(figures also in ${out}).\n\n${table}\n`,
);
