import { START, type JobRecord, type LogJobLayout, type PartitionedLog } from './partitioned-log.js';
import { RECORDS_IN, RECORDS_OUT } from './steered-log.js';

/** The state of a job under a log backend, as read from the log. */
export type LogJobState = 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

/** One task of a job under a log backend: who runs it and how far it got. */
export interface LogTaskStatus {
  /** `<head operator>#<instance>`. */
  readonly task: string;
  /** Its name in the log (`<job>:<vertex>:<instance>`). */
  readonly name: string;
  /** The live worker holding its lease (none between owners, and once it finished). */
  readonly owner?: string;
  /** Entries not yet consumed on its input streams. */
  readonly lag: number;
  /** Committed records in (into its chain) and out (out of its chain). */
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** True once it committed its end of input. */
  readonly done: boolean;
}

/** A live worker of the log, with the tasks of one job it holds. */
export interface LogWorkerStatus {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  /** The tasks of the job it holds, `<operator>#<instance>`. */
  readonly tasks: readonly string[];
  /** ISO time of its latest heartbeat (its membership expiry less the job's lease length). */
  readonly lastSeen: string;
}

/** What `readLogJob` finds about one job. */
export interface LogJobView {
  readonly state: LogJobState;
  /** Why it failed (a worker's refusal, or a task's error under the `'fail'` policy). */
  readonly error?: string;
  readonly workers: readonly LogWorkerStatus[];
  readonly tasks: readonly LogTaskStatus[];
}

/**
 * Reads a job's state from the log: its control flag, its failure, each task's committed progress (record
 * counters, end of input), lease holder and lag, and the live workers. The state is `failed` when a worker
 * recorded a failure, `finished` once every task committed its end of input, else `stopped`, `paused` or
 * `running` after the control flag.
 *
 * @example
 * ```ts
 * const view = await readLogJob(log, record, layout);
 * view.tasks.map((t) => `${t.task} on ${t.owner ?? '-'} lag ${t.lag}`);
 * ```
 */
export async function readLogJob(
  log: PartitionedLog,
  record: JobRecord,
  layout: LogJobLayout,
): Promise<LogJobView> {
  const [controls, failure, members] = await Promise.all([
    log.controls(),
    log.jobFailure(record.id),
    log.members(),
  ]);
  const tasks = await Promise.all(
    layout.tasks.map(async (t): Promise<LogTaskStatus> => {
      const p = await log.progress(t.name);
      const lags = p.done
        ? []
        : await Promise.all(
            t.inputs.map((i) => log.backlog(i.stream, p.positions.get(`in:${i.stream}`) ?? START)),
          );
      const owner =
        p.lease === undefined
          ? undefined
          : holderOf(
              p.lease,
              members.map((m) => m.id),
            );
      return {
        task: `${t.head}#${String(t.instance)}`,
        name: t.name,
        ...(owner !== undefined ? { owner } : {}),
        lag: lags.reduce((a, b) => a + b, 0),
        recordsIn: Number(p.positions.get(RECORDS_IN) ?? '0'),
        recordsOut: Number(p.positions.get(RECORDS_OUT) ?? '0'),
        done: p.done,
      };
    }),
  );
  const control = controls.get(record.id) ?? 'running';
  const state: LogJobState =
    failure !== undefined
      ? 'failed'
      : tasks.every((t) => t.done)
        ? 'finished'
        : control === 'stopped'
          ? 'stopped'
          : control === 'paused'
            ? 'paused'
            : 'running';
  const workers = members.map((m): LogWorkerStatus => {
    const [host, pid] = m.id.split(':');
    return {
      id: m.id,
      host: host ?? m.id,
      pid: Number(pid ?? Number.NaN) || 0,
      tasks: tasks.filter((t) => t.owner === m.id).map((t) => t.task),
      lastSeen: new Date(m.expiresAt - record.leaseMs).toISOString(),
    };
  });
  return { state, ...(failure !== undefined ? { error: failure } : {}), workers, tasks };
}

/** The live worker whose lease token this is (tokens start with the holder's id and a colon). */
function holderOf(token: string, live: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const id of live) {
    if (token.startsWith(`${id}:`) && (best === undefined || id.length > best.length)) best = id;
  }
  return best;
}
