/**
 * The Redis backend of sage-kernel (`sage-kernel/redis`): the broker-neutral `PartitionedLog`, its Redis
 * Streams implementation, the worker that runs job modules' tasks on it, and the sink that writes inside the
 * commit. Needs the `redis` package (an optional peer dependency): `npm install redis`.
 *
 * @example
 * ```ts
 * import { RedisLog, LogWorker, submitLogJob } from 'sage-kernel/redis';
 * const log = await RedisLog.connect('redis://127.0.0.1:6379');
 * await submitLogJob(log, { jobRoot: './jobs', module: 'count.ts' });
 * new LogWorker(log, { jobRoot: './jobs' }).start();
 * ```
 *
 * @module
 */
export { RedisLog, type RedisLogOptions } from './redis-log.js';
export {
  connectRedis,
  clusterNodes,
  type CommandOptions,
  type RedisConnection,
  type RedisTarget,
} from './redis-connection.js';
export { keySlot, hashTag, CLUSTER_SLOTS } from './key-slot.js';
export { SlotGuard } from './slot-guard.js';
export {
  START,
  type CommitResult,
  type CommitTx,
  type CommittedTask,
  type CommittedHead,
  type JobRecord,
  type LeaseToken,
  type LogEntry,
  type PartitionedLog,
  type Position,
} from '../kernel/backend/redis/partitioned-log.js';
export { MemoryLog } from '../kernel/backend/redis/memory-log.js';
export { LogWorker, type LogWorkerOptions } from '../kernel/backend/redis/log-worker.js';
export { LogStreamSink, type LogStreamSinkOptions } from '../kernel/backend/redis/log-stream-sink.js';
export { COMMIT_WRITER, type CommitWriter } from '../kernel/backend/redis/commit-writer.js';
export { SOURCE_POSITION, type SourcePosition } from '../kernel/backend/redis/source-position.js';
export { submitLogJob, type LogJobSubmission } from '../kernel/backend/redis/submit-log-job.js';
export { ownerOfTask } from '../kernel/backend/redis/assign-tasks.js';
export { TASK_TAG, taskStream } from '../kernel/backend/redis/task-names.js';
export type { StageTaskOptions } from '../kernel/backend/redis/stage-task.js';
export type { LoadedJob } from '../kernel/backend/redis/load-job-module.js';
export { adoptLogJobs, type AdoptLogJobsOptions } from '../kernel/jobmanager/adopt-log-jobs.js';
export { LogJobRunner, type LogJobRunnerOptions } from '../kernel/backend/redis/log-job-runner.js';
export {
  readLogJob,
  type LogJobState,
  type LogJobView,
  type LogTaskStatus,
  type LogWorkerStatus,
} from '../kernel/backend/redis/log-job-status.js';
export { logSavepoint, type LogSavepointOptions } from '../kernel/backend/redis/log-savepoint.js';
export { layoutOf } from '../kernel/backend/redis/log-job-layout.js';
export type {
  JobControl,
  LogJobLayout,
  LogMember,
  LogTaskLayout,
  TaskProgress,
} from '../kernel/backend/redis/partitioned-log.js';
export { RedisStreamSink, type RedisStreamSinkOptions } from './redis-stream-sink.js';
export { RedisStreamSource, type RedisStreamSourceOptions } from './redis-stream-source.js';
export { RedisOptionsError } from '../errors/redis-options-error.js';
