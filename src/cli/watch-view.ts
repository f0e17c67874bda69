import type { JobStatus } from '../kernel/jobmanager/job-status.js';

/** One operator's counts and rates (records per second since the previous poll) as `watch` shows them. */
export interface OperatorRates {
  readonly operator: string;
  readonly parallelism: number;
  readonly in: number;
  readonly out: number;
  readonly errors: number;
  readonly inRate: number;
  readonly outRate: number;
}

/**
 * Per-operator rates between two status snapshots of one job, from the in/out deltas over the job's own
 * elapsed time (`runtimeMs`); rates are 0 for the first snapshot or when no time passed.
 *
 * @example
 * ```ts
 * const rates = operatorRates(previous, current); // [{ operator: 'map', in: 120, inRate: 40, … }]
 * ```
 */
export function operatorRates(previous: JobStatus | undefined, current: JobStatus): OperatorRates[] {
  const seconds = previous === undefined ? 0 : (current.runtimeMs - previous.runtimeMs) / 1000;
  return current.operators.map((op) => {
    const before = previous?.operators.find((p) => p.operator === op.operator);
    const rate = (now: number, then: number | undefined): number =>
      seconds > 0 && then !== undefined ? Math.max(0, (now - then) / seconds) : 0;
    return {
      operator: op.operator,
      parallelism: op.parallelism,
      in: op.in,
      out: op.out,
      errors: op.errors,
      inRate: rate(op.in, before?.in),
      outRate: rate(op.out, before?.out),
    };
  });
}

/**
 * The lines of the `watch` view: a job header, then one row per operator with records in/out and rates.
 *
 * @example
 * ```ts
 * for (const line of watchLines(status, operatorRates(prev, status))) console.log(line);
 * ```
 */
export function watchLines(status: JobStatus, rates: readonly OperatorRates[]): string[] {
  const header = `job ${status.name} (${status.uuid})  ${status.status}  runtime ${formatSeconds(status.runtimeMs)}  queued ${status.queued}`;
  const rows = [
    ['operator', 'par', 'in', 'in/s', 'out', 'out/s', 'errors'],
    ...rates.map((r) => [
      r.operator,
      String(r.parallelism),
      String(r.in),
      formatRate(r.inRate),
      String(r.out),
      formatRate(r.outRate),
      String(r.errors),
    ]),
  ];
  const lines = [header, ...table(rows, [1, 2, 3, 4, 5, 6])];
  if (status.error !== undefined) lines.push(`error: ${status.error}`);
  return lines;
}

/**
 * Text that replaces `previousLineCount` lines printed before with `lines`, using ANSI cursor movement
 * (cursor up, clear line), and clears what is left below.
 *
 * @example
 * ```ts
 * stdout.write(redraw(lastCount, lines));
 * ```
 */
export function redraw(previousLineCount: number, lines: readonly string[]): string {
  const up = previousLineCount > 0 ? `\x1b[${previousLineCount}A` : '';
  return `${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}\x1b[0J`;
}

/**
 * Columns separated by two spaces, left-aligned except the `rightAligned` column indexes (numbers).
 *
 * @example
 * ```ts
 * table([['name', 'n'], ['a', '10']], [1]); // ['name   n', 'a     10']
 * ```
 */
export function table(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        rightAligned.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

/**
 * Milliseconds as seconds with one decimal (`12.3s`).
 *
 * @example
 * ```ts
 * formatSeconds(12345); // '12.3s'
 * ```
 */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
