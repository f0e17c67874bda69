import { cpus, platform, release } from 'node:os';
import { createRequire } from 'node:module';

/**
 * Renders a header and rows of cells as a markdown table, ready to paste into the README.
 *
 * @example
 * ```ts
 * markdownTable(['Workload', 'Engine'], [['a', '25.0M/s']]); // '| Workload | Engine |\n|---|---|\n| a | 25.0M/s |'
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
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
 * A ratio: two decimals (`1.62×`), or two significant digits below 0.1 (`0.0011×`), so that a small ratio
 * never shows as zero.
 *
 * @example
 * ```ts
 * formatRatio(1.624); // '1.62×'
 * formatRatio(0.00113); // '0.0011×'
 * ```
 */
export function formatRatio(x: number): string {
  return `${x >= 0.1 || x === 0 || !Number.isFinite(x) ? x.toFixed(2) : x.toPrecision(2)}×`;
}

/**
 * A size in bytes: `312 B`, `6.8 KiB`, `1.2 MiB`.
 *
 * @example
 * ```ts
 * formatBytes(7000); // '6.8 KiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024) return `${bytes.toFixed(0)} B`;
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
