import type { JobStatus } from '../kernel/jobmanager/job-status.js';
import { formatSeconds } from './watch-view.js';

/**
 * The live line `sage job submit --autostop` keeps up to date on a terminal while it waits: the job's elapsed
 * time, then each sink with the records per second it received since the previous status and its total.
 * A sink is the last operator of a plan vertex that feeds no other vertex.
 *
 * @example
 * ```ts
 * autostopLine(previous, status); // 'job word-count running 3.2s | sink 1,250 rec/s (4,000)'
 * ```
 */
export function autostopLine(previous: JobStatus | undefined, current: JobStatus): string {
  const seconds = previous === undefined ? 0 : (current.runtimeMs - previous.runtimeMs) / 1000;
  const sinks = sinkNames(current).map((name) => {
    const now = current.operators.find((o) => o.operator === name)?.in ?? 0;
    const then = previous?.operators.find((o) => o.operator === name)?.in;
    const rate = seconds > 0 && then !== undefined ? Math.max(0, (now - then) / seconds) : 0;
    return `${name} ${Math.round(rate).toLocaleString('en-US')} rec/s (${now.toLocaleString('en-US')})`;
  });
  return [
    `job ${current.name} ${current.status} ${formatSeconds(current.runtimeMs)}`,
    ...(sinks.length > 0 ? sinks : ['no sink yet']),
  ].join(' | ');
}

/** The operators that end a pipeline: the last operator of every vertex no other vertex reads from. */
function sinkNames(status: JobStatus): string[] {
  const feeding = new Set(status.plan.flatMap((v) => v.inputs.map((i) => i.from)));
  const names = status.plan
    .filter((v) => !feeding.has(v.vertex))
    .map((v) => v.operators[v.operators.length - 1])
    .filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}
