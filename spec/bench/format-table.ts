import { cpus, platform, release } from 'node:os';
import { createRequire } from 'node:module';

/** One line of the results table, already formatted. */
export interface Row {
  readonly workload: string;
  readonly records: string;
  readonly engine: string;
  readonly rxjs: string;
  /** How the engine compares with RxJS (`2.0×` is twice as fast, or half the memory). */
  readonly ratio: string;
  readonly target: string;
  readonly met: string;
}

const HEADER: readonly [keyof Row, string][] = [
  ['workload', 'Workload'],
  ['records', 'Records'],
  ['engine', 'Engine'],
  ['rxjs', 'Plain RxJS'],
  ['ratio', 'Engine vs RxJS'],
  ['target', 'Target'],
  ['met', 'Met'],
];

/**
 * Renders rows as a markdown table, ready to paste into the README.
 *
 * @example
 * ```ts
 * console.log(markdownTable([{ workload: 'a', records: '1,000', engine: '1 ms', rxjs: '2 ms', ratio: '2.0×', target: '', met: '' }]));
 * ```
 */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [`| ${HEADER.map(([, h]) => h).join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${HEADER.map(([k]) => row[k]).join(' | ')} |`);
  return lines.join('\n');
}

/**
 * The machine and versions the numbers come from.
 *
 * @example
 * ```ts
 * machineLine(); // 'AMD EPYC …, 2 cores, linux 6.1, Node v20.20.2, rxjs 7.8.2'
 * ```
 */
export function machineLine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const rxjs = (createRequire(import.meta.url)('rxjs/package.json') as { version: string }).version;
  return `${model}, ${cores.length} cores, ${platform()} ${release()}, Node ${process.version}, rxjs ${rxjs}`;
}

/**
 * A duration for the table: `850 µs`, `12.3 ms`, `1.25 s`.
 *
 * @example
 * ```ts
 * formatMs(12.34); // '12.3 ms'
 * ```
 */
export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * A rate for the table: `25.3M/s`, `710k/s`, `950/s`.
 *
 * @example
 * ```ts
 * formatRate(1_000_000, 40); // '25.0M/s'
 * ```
 */
export function formatRate(records: number, ms: number): string {
  const perSecond = (records * 1000) / ms;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)}k/s`;
  return `${perSecond.toFixed(0)}/s`;
}

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(1_000_000); // '1,000,000'
 * ```
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A ratio: `1.62×`.
 *
 * @example
 * ```ts
 * formatRatio(1.624); // '1.62×'
 * ```
 */
export function formatRatio(x: number): string {
  return `${x.toFixed(2)}×`;
}
