import type { JobManager, JobSnapshot } from '../../src/index.js';

/** How a savepoint is taken from inside a job: while it runs, after pausing it, or by stopping it with one. */
export type SavepointMode = 'running' | 'paused' | 'stop-with-savepoint';

/**
 * Submits a job with `submit`, whose pipeline calls the `cut` it is given (with the job's uuid) from inside a
 * record; the first call takes a savepoint the way `how` says. Resolves with that savepoint after a JSON round
 * trip (as it would be stored), once the job that gave it was stopped.
 *
 * @example
 * ```ts
 * const saved = await savepointAtRecord(jm, 'paused', (cut) => build(cut).submit());
 * await build().submit({ autostop: true, restore: saved });
 * ```
 */
export async function savepointAtRecord(
  jm: JobManager,
  how: SavepointMode,
  submit: (cut: (uuid: string) => void) => Promise<unknown>,
): Promise<JobSnapshot> {
  let taken: Promise<JobSnapshot> | undefined;
  let uuid = '';
  await submit((id) => {
    uuid = id;
    if (taken !== undefined) return;
    if (how === 'paused') jm.pauseJob(id);
    taken = how === 'stop-with-savepoint' ? jm.stopJob(id, { savepoint: true }) : jm.snapshotJob(id);
  });
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (taken !== undefined) resolve();
      else setImmediate(check);
    };
    check();
  });
  const saved = JSON.parse(JSON.stringify(await taken)) as JobSnapshot;
  if (how !== 'stop-with-savepoint') jm.stopJob(uuid);
  return saved;
}
