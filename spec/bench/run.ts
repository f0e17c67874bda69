/**
 * `npm run bench`: runs every workload at the sizes of the README and prints the machine and a markdown table
 * (engine vs plain RxJS in the same process) ready to paste. Progress goes to stderr.
 */
import { FULL_SIZES, runBench } from './bench-suite.js';
import { machineLine, markdownTable } from './format-table.js';

const rows = await runBench(FULL_SIZES, (line) => {
  process.stderr.write(`${line}\n`);
});
process.stdout.write(`Machine: ${machineLine()}\n\n${markdownTable(rows)}\n`);
