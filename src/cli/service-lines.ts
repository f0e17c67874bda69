import type { ServiceStats } from '../kernel/runtime/service/service-stats.js';
import { table } from './watch-view.js';

/**
 * The services table of `sage job status`: one row per service with its calls, replies, errors and timeouts,
 * the attempts and retries its retry policy made, its batches and their mean size, the time it waited for
 * rate-limit tokens and its p99 latency. Empty when the job has no service.
 *
 * @example
 * ```ts
 * for (const line of serviceLines(status.services)) io.out(line);
 * // service  calls  replies  errors  timeouts  attempts  retries  batches  mean batch  throttled ms  p99 ms
 * // embed      640      640       0         0       704       64       10        64.0          3200    0.05
 * ```
 */
export function serviceLines(services: readonly ServiceStats[]): string[] {
  if (services.length === 0) return [];
  const header = [
    'service',
    'calls',
    'replies',
    'errors',
    'timeouts',
    'attempts',
    'retries',
    'batches',
    'mean batch',
    'throttled ms',
    'p99 ms',
  ];
  const rows = services.map((s) => [
    s.service,
    String(s.calls),
    String(s.replies),
    String(s.errors),
    String(s.timeouts),
    String(s.attempts),
    String(s.retries),
    String(s.batches),
    s.meanBatchSize.toFixed(1),
    String(Math.round(s.throttledMs)),
    String(s.latencyMs.p99),
  ]);
  return table([header, ...rows], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}
