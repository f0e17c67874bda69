import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from '../../errors/backend-unavailable-error.js';
import type { RedisBackendSpec } from '../backend/backend-spec.js';
import { layoutOf } from '../backend/redis/log-job-layout.js';
import { LogJobRunner } from '../backend/redis/log-job-runner.js';
import type { PartitionedLog } from '../backend/redis/partitioned-log.js';
import type { ExecutionBackend } from '../runtime/job-runner.js';
import type { JobOrigin } from './job-origin.js';
import { planFingerprint } from './plan-fingerprint.js';

/**
 * The execution backend of `submit({ backend: { kind: 'redis', url } })`: registers the job module in the log
 * (its path relative to `spec.jobRoot`, default the module's directory; its args; the plan fingerprint every
 * worker must reproduce; the task layout) and steers it with a `LogJobRunner`. `onRunner` receives each run.
 *
 * @example
 * ```ts
 * const backend = logJobBackend(env.origin, { kind: 'redis', url }, connectRedisLog, () => undefined);
 * ```
 */
export function logJobBackend(
  origin: JobOrigin,
  spec: RedisBackendSpec,
  connect: (url: string) => Promise<PartitionedLog>,
  onRunner: (runner: LogJobRunner) => void,
): ExecutionBackend {
  const file = fileURLToPath(origin.module);
  const root = spec.jobRoot ?? dirname(file);
  const module = relative(root, file);
  if (module.startsWith('..') || isAbsolute(module)) {
    throw new BackendUnavailableError(
      'redis',
      `its module ${file} is not under the job root ${root}; give the workers' --job-root as backend.jobRoot`,
    );
  }
  return (plan, options) => {
    if (options.restore !== undefined) {
      throw new BackendUnavailableError(
        'redis',
        'restoring a snapshot into a Redis job is not supported; restore it in-process or on threads',
      );
    }
    const runner = new LogJobRunner({
      connect: () => connect(spec.url),
      record: {
        id: options.jobId,
        module: module.split('\\').join('/'),
        exportName: origin.exportName,
        args: origin.args,
        fingerprint: planFingerprint(plan, origin.moduleHash),
        leaseMs: spec.leaseMs ?? 3000,
        name: options.envName,
        submittedAt: new Date().toISOString(),
        layout: layoutOf(plan, options.jobId),
      },
      register: true,
      scheduler: options.scheduler,
    });
    onRunner(runner);
    return runner;
  };
}
