import { exhaustMap, from, lastValueFrom, takeWhile, tap, timer } from 'rxjs';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import type { JobManagerClient } from '../kernel/jobmanager/client/job-manager-client.js';
import type { JobStatus, UnknownJobStatus } from '../kernel/jobmanager/job-status.js';
import type { CliOutput } from './cli-io.js';
import { operatorRates, redraw, watchLines } from './watch-view.js';

/**
 * Polls a job's status every `intervalMs` (on an RxJS timer) and shows its per-operator records in/out and
 * rates: redrawn in place on a terminal, as plain timestamped lines otherwise. Resolves with the final
 * status once the job ended; rejects with `JobNotFoundError` when the job is unknown or gets deleted.
 *
 * @example
 * ```ts
 * const last = await watchJob(client, uuid, process.stdout, 1000);
 * ```
 */
export async function watchJob(
  client: JobManagerClient,
  uuid: string,
  out: CliOutput,
  intervalMs: number,
): Promise<JobStatus> {
  let previous: JobStatus | undefined;
  let drawn = 0;
  const show = (status: JobStatus | UnknownJobStatus): void => {
    if (status.status === 'not_found') throw new JobNotFoundError(uuid);
    const lines = watchLines(status, operatorRates(previous, status));
    previous = status;
    if (out.isTTY === true) {
      out.write(redraw(drawn, lines));
      drawn = lines.length;
    } else {
      const stamp = new Date().toISOString();
      out.write(lines.map((l) => `${stamp} ${l}\n`).join(''));
    }
  };
  await lastValueFrom(
    timer(0, intervalMs).pipe(
      exhaustMap(() => from(client.getJobStatus(uuid))),
      tap(show),
      takeWhile((s) => s.status === 'running' || s.status === 'paused' || s.status === 'initializing', true),
    ),
  );
  if (previous === undefined) throw new JobNotFoundError(uuid);
  return previous;
}
