import { parseArgs } from 'node:util';
import { FULL_SIZES, QUICK_SIZES, TINY_SIZES, type BenchSizes } from './bench-sizes.js';

/** What `npm run bench` was asked for. */
export interface BenchArgs {
  readonly sizes: BenchSizes;
  /** Where to write the figures as JSON. */
  readonly out: string;
  /** Run nothing: print the table of the figures in this JSON file (written by an earlier run). */
  readonly from?: string;
}

/**
 * Reads `npm run bench`'s options: `--quick` or `--tiny` (smaller sizes), `--state-records N` (records of
 * every `ctx.state` row, e.g. to run them at full size once state is fast), `--out FILE` (default
 * `bench-results.json`) and `--from FILE` (only print the table of an earlier run's file).
 *
 * @example
 * ```ts
 * benchArgs(['--quick', '--state-records', '100000']).sizes.state; // every key count with 100,000 records
 * ```
 */
export function benchArgs(args: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean', default: false },
      tiny: { type: 'boolean', default: false },
      'state-records': { type: 'string' },
      out: { type: 'string', default: 'bench-results.json' },
      from: { type: 'string' },
    },
  });
  const from = values.from === undefined ? {} : { from: values.from };
  const sizes = values.tiny ? TINY_SIZES : values.quick ? QUICK_SIZES : FULL_SIZES;
  const stateRecords = values['state-records'];
  if (stateRecords === undefined) return { sizes, out: values.out, ...from };
  const records = Number(stateRecords);
  if (!Number.isInteger(records) || records < 1) {
    throw new RangeError(
      `--state-records: expected a positive whole number of records, got "${stateRecords}"`,
    );
  }
  return {
    sizes: { ...sizes, state: sizes.state.map(({ keys }) => ({ keys, records })) },
    out: values.out,
    ...from,
  };
}
