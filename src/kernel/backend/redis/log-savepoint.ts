import type { SchedulerLike } from 'rxjs';
import { SavepointError } from '../../../errors/savepoint-error.js';
import { encodeJson, type JsonData } from '../../runtime/state/json-codec.js';
import type { InstanceSnapshot, JobSnapshot } from '../../runtime/state/job-snapshot.js';
import { jobSnapshotOf } from '../../runtime/state/job-snapshot-of.js';
import { decodeEntry } from './entry-codec.js';
import { START, type LogJobLayout, type PartitionedLog, type TaskProgress } from './partitioned-log.js';
import { snapshotsOf } from './state-fields.js';

/** Entries read per page while collecting the records in flight. */
const PAGE = 1000;

/** Options of `logSavepoint`. */
export interface LogSavepointOptions {
  /** Reads tried before giving up when tasks keep committing meanwhile (default 50). */
  readonly attempts?: number;
  /** Wait between tries, on `scheduler` (default 20 ms). */
  readonly retryMs?: number;
  /** The scheduler the waits run on. */
  readonly scheduler: SchedulerLike;
}

/**
 * A savepoint of a job under a log backend, read from what its tasks committed: every task's committed keyed
 * and function state (a source's function state holds its position), plus the records committed by a producer
 * and not yet consumed (the entries after each reader's committed position), as records in flight for the head
 * of the reading chain. Restored in-process with `submit({ restore })` it processes every source record's effect
 * exactly once. The read is a consistent cut: it is taken again until no task committed while it was read
 * (pause the job first so that it settles at once).
 *
 * @example
 * ```ts
 * const snapshot = await logSavepoint(log, 'count', layout, { scheduler: asyncScheduler });
 * await env.submit({ restore: snapshot });
 * ```
 */
export async function logSavepoint(
  log: PartitionedLog,
  job: string,
  layout: LogJobLayout,
  options: LogSavepointOptions,
): Promise<JobSnapshot> {
  const attempts = options.attempts ?? 50;
  for (let i = 0; i < attempts; i++) {
    const before = await progressOf(log, layout);
    const snapshot = await readCut(log, job, layout);
    const after = await progressOf(log, layout);
    if (before === after) return snapshot;
    await wait(options.scheduler, options.retryMs ?? 20);
  }
  throw new SavepointError(
    `job ${job}: its tasks kept committing during ${String(attempts)} reads of their state; pause the job and take the savepoint again`,
  );
}

/** Every task's committed positions and end flag, as one comparable string. */
async function progressOf(log: PartitionedLog, layout: LogJobLayout): Promise<string> {
  const all = await Promise.all(layout.tasks.map((t) => log.progress(t.name)));
  return JSON.stringify(all.map((p: TaskProgress) => [[...p.positions].sort(), p.done]));
}

async function readCut(log: PartitionedLog, job: string, layout: LogJobLayout): Promise<JobSnapshot> {
  const operators: Record<string, InstanceSnapshot[]> = {};
  const inflight: Record<string, Record<string, JsonData[]>> = {};
  for (const vertex of layout.plan) {
    for (const op of vertex.operators) operators[op] = Array.from({ length: vertex.parallelism }, () => ({}));
  }
  for (const t of layout.tasks) {
    const committed = await log.load(t.name);
    for (const [operator, snapshot] of snapshotsOf(committed.state)) {
      (operators[operator] ??= [])[t.instance] = snapshot;
    }
    if (committed.done) continue;
    for (const input of t.inputs) {
      let after = committed.positions.get(`in:${input.stream}`) ?? START;
      for (;;) {
        const page = await log.read(input.stream, after, PAGE);
        for (const entry of page) {
          for (const r of decodeEntry(entry.data).records) {
            const at = r[2] === undefined ? input.input : [input.input, r[2]];
            ((inflight[t.head] ??= {})[String(t.instance)] ??= []).push(
              encodeJson(r[0]) as JsonData,
              encodeJson(r[1]) as JsonData,
              at,
            );
          }
        }
        const last = page[page.length - 1];
        if (last === undefined || page.length < PAGE) break;
        after = last.id;
      }
    }
  }
  return jobSnapshotOf(job, layout.maxParallelism, operators, inflight, 0);
}

function wait(scheduler: SchedulerLike, ms: number): Promise<void> {
  return new Promise((resolve) => {
    scheduler.schedule(() => {
      resolve();
    }, ms);
  });
}
